using Ispo.MathVerify;
using Ispo.MathVerify.Extraction;
using Ispo.Training.Data;
using Ispo.Training.Evaluation;
using Ispo.Training.Prompts;

namespace Ispo.Training.Tests.Evaluation;

public class MathVerifyAnswerTests
{
    [Fact]
    public void The_templates_answer_form_is_tried_first()
    {
        Assert.Equal(ExtractionRule.AnswerLine, MathVerifyAnswer.RulesFor(AnswerFormat.AnswerLine)[0]);
        Assert.Equal(ExtractionRule.Boxed, MathVerifyAnswer.RulesFor(AnswerFormat.Boxed)[0]);
        Assert.Equal(ExtractionRules.Evaluation.Count, MathVerifyAnswer.RulesFor(AnswerFormat.AnswerLine).Count);
    }

    [Fact]
    public void Grades_boxed_and_answer_line_completions()
    {
        VerifyAnswer verify = MathVerifyAnswer.Create();

        Assert.True(verify("so the total is \\boxed{\\frac{1}{2}}.", "0.5", null, AnswerFormat.Boxed).Correct);
        Assert.Equal(new AnswerVerdict("12", true, "equal"), verify("3*4 = 12\nAnswer: 12", "12", null, AnswerFormat.AnswerLine));
        Assert.False(verify("\\boxed{7}", "8", null, AnswerFormat.Boxed).Correct);
    }

    /// <summary>Evaluation refuses a restated question found by the last resorts, and credits a boxed one (as
    /// Math-Verify does); the evaluator hands the verifier each problem's text.</summary>
    [Fact]
    public void A_restated_question_is_not_credited_unless_boxed()
    {
        VerifyAnswer verify = MathVerifyAnswer.Create();
        const string Question = "Simplify $\\frac{4}{8}$.";

        Assert.Equal(new AnswerVerdict("\\frac{4}{8}", false, "question_echo"),
            verify("We need to simplify $\\frac{4}{8}$.", "\\frac{1}{2}", Question, AnswerFormat.Boxed));
        Assert.True(verify("We need to simplify $\\frac{4}{8}$.", "\\frac{1}{2}", null, AnswerFormat.Boxed).Correct);
        Assert.True(verify("\\boxed{\\frac{4}{8}}", "\\frac{1}{2}", Question, AnswerFormat.Boxed).Correct);

        var benchmark = new Dataset("echo", [new MathProblem("p0", Question, "\\frac{1}{2}", new Dictionary<string, string>())]);
        EvaluationResults results = new Evaluator(new Restating(), verify, new EvalOptions()).Run([benchmark]);
        Assert.Equal(0.0, results["echo"].PassAt1, 12);
    }

    sealed class Restating : ICompletionGenerator
    {
        public IReadOnlyList<IReadOnlyList<Completion>> Generate(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken) =>
            requests.Select(r => (IReadOnlyList<Completion>)[new Completion("We need to simplify $\\frac{4}{8}$.", 10)]).ToList();
    }

    /// <summary>End to end on real data: a generator that answers every problem with its own gold scores 1.</summary>
    [Theory]
    [InlineData("math500")]
    [InlineData("aime24")]
    [InlineData("amc23")]
    [InlineData("minerva")]
    [InlineData("olympiadbench")]
    [InlineData("gsm8k")]
    public void Every_benchmark_gold_verifies_against_itself(string name)
    {
        Dataset benchmark = DatasetRegistry.Load(name, RepoPaths.SharedData, limit: 25);
        var evaluator = new Evaluator(new GoldEcho(benchmark), MathVerifyAnswer.Create(), new EvalOptions { ProblemsPerBatch = 25 });

        EvaluationResults results = evaluator.Run([benchmark]);

        Assert.Equal(1.0, results[name].PassAt1, 12);
        Assert.Equal(0.0, results[name].ExtractionFailureRate, 12);
    }

    sealed class GoldEcho(Dataset benchmark) : ICompletionGenerator
    {
        public IReadOnlyList<IReadOnlyList<Completion>> Generate(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken) =>
            requests.Select(r => (IReadOnlyList<Completion>)
                [new Completion($"Thus the answer is \\boxed{{{benchmark.Problems[r.ProblemIndex].Answer}}}.", 10)]).ToList();
    }
}
