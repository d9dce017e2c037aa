using Ispo.Training.Rollouts;

namespace Ispo.Training.Tests.Rollouts;

public class AnswerSpanLocatorTests
{
    // "3+4=7. \boxed{7}" as tokens "3+4", "=7. ", "\boxed{", "7", "}", then EOS (decodes to nothing).
    static readonly int[] Starts = [0, 3, 7, 14, 15, 16];

    [Fact]
    public void MarksTokensFromTheAnswerThroughTheEndButNotEos()
    {
        bool[] mask = AnswerSpanLocator.Locate(Starts, textLength: 16, answerStart: 7);
        Assert.Equal([false, false, true, true, true, false], mask);
    }

    [Fact]
    public void TokenStraddlingTheAnswerStartIsIncluded()
    {
        bool[] mask = AnswerSpanLocator.Locate(Starts, textLength: 16, answerStart: 5);
        Assert.Equal([false, true, true, true, true, false], mask);
    }

    [Fact]
    public void MultiTokenCharacterCountsOnce()
    {
        // "é" split over two byte tokens: the first decodes to nothing new, the second carries the character.
        bool[] mask = AnswerSpanLocator.Locate([0, 1, 1, 2], textLength: 3, answerStart: 1);
        Assert.Equal([false, false, true, true], mask);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-1)]
    [InlineData(16)]
    public void NoAnswerGivesEmptyMask(int? start)
    {
        Assert.All(AnswerSpanLocator.Locate(Starts, 16, start), Assert.False);
    }
}
