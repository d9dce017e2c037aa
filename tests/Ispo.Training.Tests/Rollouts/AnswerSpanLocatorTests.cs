using Ispo.Algorithms;
using Ispo.MathVerify.Rewards;
using Ispo.Models.Tokenization;
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

    static (ResponseText Text, Judgement Judgement) JudgeCharLevel(string completion, string gold)
    {
        using var dir = new TempDir();
        var tokenizer = CharTokenizer.Save(dir.Path);
        var env = new MathEnvironment(tokenizer, tokenizer.Encode, new MathReward());
        int[] tokens = [.. tokenizer.Encode(completion), 256];                      // then EOS, which decodes to nothing
        ResponseText text = env.Decode(tokens);
        Assert.Equal(completion, text.Text);
        return (text, env.Judge(text.Text, new TrainingProblem("p", "q", gold)));
    }

    static int[] Marked(bool[] mask) => Enumerable.Range(0, mask.Length).Where(t => mask[t]).ToArray();

    [Fact]
    public void BoxedContentIsTheInsideOfTheBoxAfterItsPrefix()
    {
        // "3+4=7. \boxed{7}", one token per character, then EOS: the segment starts at 7 (\), the content is 14 (7)
        var (text, judgement) = JudgeCharLevel(@"3+4=7. \boxed{7}", "7");
        AnswerTokens content = AnswerSpanLocator.Locate(text, judgement, AnswerSpan.Content);
        Assert.Equal([14], Marked(content.Answer));
        Assert.Equal([7, 8, 9, 10, 11, 12, 13], Marked(content.Prefix));             // \boxed{
        AnswerTokens segment = AnswerSpanLocator.Locate(text, judgement, AnswerSpan.Segment);
        Assert.Equal([7, 8, 9, 10, 11, 12, 13, 14, 15], Marked(segment.Answer));     // \boxed{7} through the end, not EOS
        Assert.Empty(Marked(segment.Prefix));
    }

    [Fact]
    public void AnswerLineContentIsWhatFollowsTheLabel()
    {
        // "so 12\nAnswer: $12$." : the segment starts at 6 (A), the cleaned content "12" is 15–16; `$.` after it is not in A
        var (text, judgement) = JudgeCharLevel("so 12\nAnswer: $12$.", "12");
        AnswerTokens content = AnswerSpanLocator.Locate(text, judgement, AnswerSpan.Content);
        Assert.Equal([15, 16], Marked(content.Answer));
        Assert.Equal(Enumerable.Range(6, 9).ToArray(), Marked(content.Prefix));      // "Answer: $"
        Assert.Equal(Enumerable.Range(6, 13).ToArray(), Marked(AnswerSpanLocator.Locate(text, judgement, AnswerSpan.Segment).Answer));
    }

    [Fact]
    public void TokensStraddlingTheContentOrTheSegmentStartAreIncluded()
    {
        // "x=7 \boxed{12}" as "x", "=7 \", "boxed", "{1", "2}", EOS; segment at 4 (\), content "12" at [11, 13)
        int[] starts = [0, 1, 5, 10, 12, 14];
        AnswerTokens tokens = AnswerSpanLocator.LocateContent(starts, [1, 5, 10, 12, 14, 14], 14, segmentStart: 4, contentStart: 11, contentLength: 2);
        Assert.Equal([false, false, false, true, true, false], tokens.Answer);        // "{1" and "2}" carry content
        Assert.Equal([false, true, true, false, false, false], tokens.Prefix);        // "=7 \" carries the segment's first character
        Assert.Equal([false, true, true, true, true, false], AnswerSpanLocator.Locate(starts, 14, 4));
    }

    [Fact]
    public void ASplitCharacterStaysWhole()
    {
        // "\boxed{é}" as "\boxed{", two byte tokens of é, "}", EOS; content é at [7, 8)
        int[] starts = [0, 7, 7, 8, 9];
        AnswerTokens withEnds = AnswerSpanLocator.LocateContent(starts, [7, 8, 8, 9, 9], 9, 0, 7, 1);
        Assert.Equal([false, true, true, false, false], withEnds.Answer);
        Assert.Equal([true, false, false, false, false], withEnds.Prefix);
        // with starts only the first byte token carries no text: it is fed (in the prefix run) but not scored
        var (text, judgement) = (new ResponseText("\\boxed{é}", starts), new Judgement(0, "é", 0, 7, 1));
        AnswerTokens startsOnly = AnswerSpanLocator.Locate(text, judgement, AnswerSpan.Content);
        Assert.Equal([false, false, true, false, false], startsOnly.Answer);
        Assert.Equal([true, true, false, false, false], startsOnly.Prefix);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(14, 0)]
    [InlineData(15, 2)]
    public void NoContentGivesNoAnswerAndNoPrefix(int? contentStart, int contentLength)
    {
        AnswerTokens tokens = AnswerSpanLocator.LocateContent([0, 3, 7, 14, 15, 16], [3, 7, 14, 15, 16, 16], 16, 7, contentStart, contentLength);
        Assert.All(tokens.Answer, Assert.False);
        Assert.All(tokens.Prefix, Assert.False);
    }
}
