using System.Text.RegularExpressions;
using Ispo.Training.Tasks;

namespace Ispo.Training.Tests.Tasks;

public class SyntheticArithmeticTests
{
    static IEnumerable<ArithmeticProblem> Many(int tier, TaskSplit split, int seed = 1, int count = 400) =>
        Enumerable.Range(0, count).Select(i => SyntheticArithmetic.Sample(tier, split, seed, i));

    static IEnumerable<int> Tiers => Enumerable.Range(1, SyntheticArithmetic.TierCount);

    [Fact]
    public void SameSeedSameProblemsDifferentSeedDifferentProblems()
    {
        foreach (int tier in Tiers)
        {
            Assert.Equal(Many(tier, TaskSplit.Train).Select(p => p.Prompt), Many(tier, TaskSplit.Train).Select(p => p.Prompt));
            Assert.NotEqual(Many(tier, TaskSplit.Train).Select(p => p.Prompt), Many(tier, TaskSplit.Train, seed: 2).Select(p => p.Prompt));
        }
    }

    [Fact]
    public void KnownProblemsArePinned()  // guards determinism across processes and .NET versions
    {
        ArithmeticProblem p = SyntheticArithmetic.Sample(5, TaskSplit.Train, 0, 0);
        Assert.Equal("amy has 4 cards. gets 22, loses 8, loses 2, times 4. how many?", p.Prompt);
        Assert.Equal("4+22=26, 26-8=18, 18-2=16, 16*4=64. \\boxed{64}", p.Solution);
        Assert.Equal(64, p.Answer);
        Assert.Equal("1+7=8, 8-5=3. \\boxed{3}", SyntheticArithmetic.Sample(2, TaskSplit.Train, 0, 0).Solution);
    }

    [Fact]
    public void TrainAndTestNeverShareAComputation()
    {
        foreach (int tier in Tiers)
        {
            var train = Many(tier, TaskSplit.Train, seed: 3, count: 2000).Select(p => p.MathKey).ToHashSet();
            var test = SyntheticArithmetic.TestSet(tier, 200, seed: 4);
            Assert.Equal(200, test.Count);
            Assert.DoesNotContain(test, p => train.Contains(p.MathKey));
            Assert.Equal(test.Count, test.Select(p => p.Prompt).Distinct().Count());
        }
    }

    [Fact]
    public void TestSetsAskEveryHeldOutComputationBeforeRewordingOne()
    {
        var tierOne = SyntheticArithmetic.TestSet(1, 100);
        int computations = tierOne.Select(p => p.MathKey).Distinct().Count();
        Assert.InRange(computations, 10, 40);  // only 100 distinct sums exist
        Assert.Equal(computations, tierOne.Take(computations).Select(p => p.MathKey).Distinct().Count());
        Assert.Equal(100, tierOne.Select(p => p.Prompt).Distinct().Count());
        foreach (int tier in Tiers.Skip(1))
            Assert.Equal(100, SyntheticArithmetic.TestSet(tier, 100).Select(p => p.MathKey).Distinct().Count());
    }

    [Fact]
    public void AnIndependentSolverAgreesWithEveryAnswerAndWorkedStep()
    {
        foreach (int tier in Tiers)
            foreach (var p in Many(tier, TaskSplit.Train).Concat(Many(tier, TaskSplit.Test, count: 100)))
            {
                Assert.Equal(SolveFromPrompt(p.Prompt), p.Answer);
                CheckWorkedSolution(p.Solution, p.Answer);
            }
    }

    [Fact]
    public void TiersGetHarder()
    {
        var stats = Tiers.Select(t => Many(t, TaskSplit.Train).ToList()).Select(ps => (
            steps: ps.Average(p => p.Steps.Count),
            maxOperand: ps.Max(p => p.Steps.Where(s => s.Op != '*').Select(s => s.Operand).Append(p.Start).Max()),
            ops: ps.SelectMany(p => p.Steps.Select(s => s.Op)).Distinct().Count(),
            answer: ps.Average(p => p.Answer))).ToList();
        for (int i = 1; i < stats.Count; i++)
        {
            var (a, b) = (stats[i - 1], stats[i]);
            Assert.True(b.steps >= a.steps && b.maxOperand >= a.maxOperand && b.ops >= a.ops, $"tier {i + 1} is not harder than tier {i}");
            Assert.True(b.steps > a.steps || b.maxOperand > a.maxOperand || b.ops > a.ops, $"tier {i + 1} equals tier {i}");
        }
        Assert.Equal([1.0, 2.0, 3.0, 3.0, 4.0], stats.Select(s => s.steps));
    }

    [Fact]
    public void TextIsShortAndInTheAlphabet()
    {
        foreach (int tier in Tiers)
            foreach (var p in Many(tier, TaskSplit.Train, count: 1000))
            {
                Assert.InRange(p.Prompt.Length, 1, 66);
                Assert.InRange(p.Solution.Length, 1, 80);
                Assert.True((p.Prompt + p.Solution).All(SyntheticArithmetic.Alphabet.Contains), p.Prompt + p.Solution);
            }
    }

    [Fact]
    public void MixedStreamDrawsOnlyTheRequestedTiers()
    {
        var tiers = Enumerable.Range(0, 300).Select(i => SyntheticArithmetic.SampleMixed([2, 4], 7, i).Tier).ToList();
        Assert.Equal([2, 4], tiers.Distinct().Order());
        Assert.InRange(tiers.Count(t => t == 2), 100, 200);
    }

    /// <summary>Reads the prompt's words, not the generator's steps.</summary>
    static int SolveFromPrompt(string prompt)
    {
        Match m = Regex.Match(prompt, @"^[a-z]+ has (\d+) [a-z]+\. (.*)\. how many\?$");
        Assert.True(m.Success, prompt);
        int value = int.Parse(m.Groups[1].Value);
        foreach (string clause in m.Groups[2].Value.Split(", "))
        {
            string[] words = clause.Split(' ');
            int n = int.Parse(words[1]);
            value = words[0] switch { "gets" => value + n, "loses" => value - n, "times" => value * n, _ => throw new Exception(clause) };
            Assert.True(value >= 0, prompt);
        }
        return value;
    }

    /// <summary>Every "a op b = c" in the worked solution is true, chains on, and ends at \boxed{answer}.</summary>
    static void CheckWorkedSolution(string solution, int answer)
    {
        Assert.EndsWith($". \\boxed{{{answer}}}", solution, StringComparison.Ordinal);
        int? previous = null;
        foreach (Match m in Regex.Matches(solution, @"(\d+)([+*-])(\d+)=(\d+)"))
        {
            int a = int.Parse(m.Groups[1].Value), b = int.Parse(m.Groups[3].Value), c = int.Parse(m.Groups[4].Value);
            Assert.Equal(m.Groups[2].Value switch { "+" => a + b, "-" => a - b, _ => a * b }, c);
            if (previous is not null) Assert.Equal(previous, a);
            previous = c;
        }
        Assert.Equal(answer, previous);
    }
}
