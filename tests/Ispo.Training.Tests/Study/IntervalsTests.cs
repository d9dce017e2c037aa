using Ispo.Training.Study;

namespace Ispo.Training.Tests.Study;

public class IntervalsTests
{
    static IReadOnlyList<IReadOnlyList<double>> Seeds(params double[][] rows) => rows;

    [Fact]
    public void OneSeedIsANormalIntervalOverProblems()
    {
        // mean 0.75; sample variance of [1,0,1,1] = 0.25; se = sqrt(0.25/4) = 0.25; half = 1.959964·0.25
        Interval i = Intervals.Of(Seeds([1, 0, 1, 1]));
        Assert.Equal(0.75, i.Mean, 12);
        Assert.Equal(0.75 - 0.4899909961350135, i.Low, 9);
        Assert.Equal(0.75 + 0.4899909961350135, i.High, 9);
    }

    [Fact]
    public void SeedsThatAgreeLeaveOnlyTheProblemTerm()
    {
        // seed means 0.75 and 0.75 (no seed term); problem means [1, .5, .5, 1]: variance 1/12, se = sqrt(1/48)
        Interval i = Intervals.Of(Seeds([1, 0, 1, 1], [1, 1, 0, 1]));
        Assert.Equal(0.75, i.Mean, 12);
        Assert.Equal(1.959963984540054 * Math.Sqrt(1.0 / 48), i.HalfWidth, 12);
    }

    [Fact]
    public void SeedsThatDisagreeUseStudentsT()
    {
        // seed means 1 and 0: variance 0.5, se = sqrt(0.25) = 0.5, t(1) = 12.706; problem means equal (no problem term)
        Interval i = Intervals.Of(Seeds([1, 1], [0, 0]));
        Assert.Equal(0.5, i.Mean, 12);
        Assert.Equal(12.706 * 0.5, i.HalfWidth, 9);
    }

    [Fact]
    public void BothTermsAddInQuadrature()
    {
        // seeds [1,0,1] and [0,0,1]: seed means 2/3, 1/3 → var 1/18, se² = 1/36 → seed half = 12.706/6;
        // problem means [.5, 0, 1] → var 0.25, se² = 1/12 → problem half = 1.959964/sqrt(12)
        Interval i = Intervals.Of(Seeds([1, 0, 1], [0, 0, 1]));
        double seedHalf = 12.706 / 6, problemHalf = 1.959963984540054 / Math.Sqrt(12);
        Assert.Equal(0.5, i.Mean, 12);
        Assert.Equal(Math.Sqrt(seedHalf * seedHalf + problemHalf * problemHalf), i.HalfWidth, 9);
    }

    [Fact]
    public void DifferencesArePaired()
    {
        // a − b = [1, 0]: mean 0.5, variance 0.5, se = 0.5
        Interval d = Intervals.OfDifference(Seeds([1, 1]), Seeds([0, 1]));
        Assert.Equal(0.5, d.Mean, 12);
        Assert.Equal(1.959963984540054 * 0.5, d.HalfWidth, 12);
        // the same outcomes unpaired would differ; paired identical lists give a zero-width interval
        Interval same = Intervals.OfDifference(Seeds([1, 0, 1]), Seeds([1, 0, 1]));
        Assert.Equal(0, same.HalfWidth, 12);
    }

    [Fact]
    public void StudentQuantilesFollowTheTable()
    {
        Assert.Equal(4.303, Intervals.StudentT975(2), 3);
        Assert.Equal(2.042, Intervals.StudentT975(30), 3);
        Assert.InRange(Intervals.StudentT975(200), 1.96, 1.975);
        Assert.Throws<ArgumentOutOfRangeException>(() => Intervals.StudentT975(0));
    }

    [Fact]
    public void MismatchedInputsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Intervals.Of(Seeds([1, 0], [1])));
        Assert.Throws<ArgumentException>(() => Intervals.OfDifference(Seeds([1, 0]), Seeds([1, 0], [0, 0])));
        Assert.Throws<ArgumentException>(() => Intervals.Of(Seeds()));
    }
}
