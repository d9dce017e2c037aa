using System.Text.RegularExpressions;
using Ispo.Training.Tasks;

namespace Ispo.Training.Tests.Tasks;

public class PretrainingCorpusTests
{
    static readonly int[] Tiers = [1, 2, 3, 4];

    [Fact]
    public void DocumentsAreDeterministicForASeedAndIndex()
    {
        var (a, b) = (PretrainingCorpus.Document(Tiers, 3, 17), PretrainingCorpus.Document(Tiers, 3, 17));
        Assert.Equal((a.Problem.Prompt, a.Text), (b.Problem.Prompt, b.Text));
        var texts = Enumerable.Range(0, 50).Select(i => PretrainingCorpus.Document(Tiers, 3, i).Text).ToHashSet();
        Assert.True(texts.Count > 45);
    }

    [Fact]
    public void MostDocumentsAnswerRightSomeSlipAndSomeStopEarly()
    {
        const int count = 4000;
        int right = 0, wrong = 0, unfinished = 0;
        for (int i = 0; i < count; i++)
        {
            var (problem, text) = PretrainingCorpus.Document(Tiers, 0, i);
            Assert.All(text, c => Assert.Contains(c, SyntheticArithmetic.Alphabet));
            Match box = Regex.Match(text, @"\\boxed\{(\d+)\}$");
            if (!box.Success) { unfinished++; continue; }
            if (box.Groups[1].Value == problem.AnswerText) right++;
            else wrong++;
        }
        Assert.InRange(unfinished / (double)count, 0.03, 0.07);     // UnfinishedRate 5%
        Assert.InRange(wrong / (double)count, 0.10, 0.17);          // SlipRate 15% (a slip of a step can be undone by none: |off| ≥ 1)
        Assert.Equal(count, right + wrong + unfinished);
    }

    [Fact]
    public void EveryStyleAppearsAndReorderedStepsKeepTheAnswer()
    {
        var texts = Enumerable.Range(0, 600).Select(i => PretrainingCorpus.Document([3], 1, i)).ToList();
        Assert.Contains(texts, d => d.Text.StartsWith("start with ", StringComparison.Ordinal));           // verbose
        Assert.Contains(texts, d => Regex.IsMatch(d.Text, @"^\d+, \d+, \d+, \d+\. "));                     // totals
        Assert.Contains(texts, d => Regex.IsMatch(d.Text, @"^\d+[+-]\d+[+-]\d+[+-]\d+=\d+\. "));           // expression
        Assert.Contains(texts, d => d.Text.Contains('\\') && d.Text.IndexOf('\\') <= "the answer is ".Length); // terse
        // a chain whose first step is not the problem's first step: another valid order
        Assert.Contains(texts, d => Regex.Match(d.Text, @"^(\d+)([+-])(\d+)=") is { Success: true } m
            && (m.Groups[2].Value[0], int.Parse(m.Groups[3].Value)) != (d.Problem.Steps[0].Op, d.Problem.Steps[0].Operand));
    }
}
