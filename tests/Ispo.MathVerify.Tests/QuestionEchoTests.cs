// An output that only restates the question gets no credit for the question's own expression (issue 17), and
// a correct answer that happens to appear in the question keeps its credit.
using Ispo.MathVerify.Rewards;

namespace Ispo.MathVerify.Tests;

public class QuestionEchoTests
{
    static VerifyReason Evaluate(string output, string gold, string? question) =>
        MathVerifier.Verify(output, gold, VerifyOptions.Evaluation, question).Reason;

    static VerifyReason Strict(string output, string gold, string? question) =>
        MathVerifier.Verify(output, gold, VerifyOptions.Strict, question).Reason;

    /// <summary>Evaluation mode: the last resorts took the question's expression; without the question it was credited.</summary>
    [Theory]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"We need to simplify $\frac{4}{8}$.", @"\frac{1}{2}")]
    [InlineData(@"Compute $2^{10}$.", @"We need to compute $2^{10}$.", "1024")]
    [InlineData("Simplify 4/8.", "We simplify 4/8.", @"\frac{1}{2}")]                            // the last number, a/b
    [InlineData(@"Simplify $4/8$.", @"Let us simplify $\frac{4}{8}$.", @"\frac{1}{2}")]           // the same expression, respelled
    [InlineData(@"Find $y$ if $y = \frac{4}{8}$.", @"We have $y = \frac{4}{8}$.", @"\frac{1}{2}")] // lone-variable side dropped
    [InlineData(@"Write $0.5$ as a fraction.", @"We write $0.5$ as a fraction.", @"\frac{1}{2}")]  // a decimal is not exempt
    [InlineData(@"Evaluate $\dbinom{8}{4}$.", @"Evaluating \dbinom{8}{4}", "70")]                  // bare LaTeX, no $
    public void A_restated_question_expression_found_by_a_last_resort_gets_no_credit(string question, string output, string gold)
    {
        Assert.Equal(VerifyReason.Equal, Evaluate(output, gold, question: null));
        Assert.Equal(VerifyReason.QuestionEcho, Evaluate(output, gold, question));
        Assert.Equal("question_echo", VerifyReason.QuestionEcho.ToName());
    }

    /// <summary>No new false negatives: worked answers, answers in the gold's own form, integers and answers in an
    /// explicit position keep their credit in evaluation mode.</summary>
    [Theory]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"$\frac{4}{8} = \frac{1}{2}$", @"\frac{1}{2}")]                 // worked to the end
    [InlineData(@"Simplify $\frac{4}{8}$.", @"We simplify $\frac{4}{8}$ to get $\frac{1}{2}$.", @"\frac{1}{2}")]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"Dividing by two gives $\frac{2}{4}$.", @"\frac{1}{2}")]         // not the question's
    [InlineData(@"Which is larger, $\frac{3}{4}$ or $\frac{2}{3}$?", @"The larger is $\frac{3}{4}$.", @"\frac34")] // the gold as written
    [InlineData("Tom has 5 apples and eats none. How many are left?", "He still has 5 apples.", "5")]           // an integer
    [InlineData("Tom has 1,000 apples and eats none. How many are left?", "He still has 1000 apples.", "1000")]
    [InlineData("It is $-3$ degrees and stays so. How cold is it at noon?", "It is $-3$ degrees.", "-3")]
    [InlineData("Is 7 prime? Reply with 7 if so, else 0.", "Yes, so 7.", "7")]
    [InlineData("AMC: how many of the 27 cubes are red?", "All 27 are red.", "27.0")]                           // a float gold
    [InlineData("A pen costs 2.50 dollars and the price stays. What does it cost now?", "It costs 2.50 dollars.", "2.5")] // decimals
    [InlineData(@"Simplify $\frac{4}{8}$.", @"\boxed{\frac{4}{8}}", @"\frac{1}{2}")]                          // boxed: credited here
    [InlineData(@"Simplify $\frac{4}{8}$.", @"The answer is $\frac{4}{8}$.", @"\frac{1}{2}")]
    [InlineData(@"Compute $2^{10}$.", "Final Answer: $2^{10}$", "1024")]
    [InlineData(@"Compute $2^{10}$.", "A: 2^{10}", "1024")]
    [InlineData(@"Compute $2^{10}$.", "#### 2^{10}", "1024")]
    public void A_correct_answer_that_appears_in_the_question_keeps_its_credit_in_evaluation(string question, string output, string gold) =>
        Assert.Equal(VerifyReason.Equal, Evaluate(output, gold, question));

    /// <summary>Strict mode (RL rewards) refuses a restated expression in any position, boxed included; the plain
    /// integer and the gold-as-written exemptions hold there too.</summary>
    [Theory]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"\boxed{\frac{4}{8}}", @"\frac{1}{2}", VerifyReason.QuestionEcho)]
    [InlineData(@"Compute $2^{10}$.", @"The answer is $2^{10}$.", "1024", VerifyReason.QuestionEcho)]
    [InlineData(@"Compute $2^{10}$.", "Answer: 2^{10}", "1024", VerifyReason.QuestionEcho)]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"\boxed{\frac{1}{2}}", @"\frac{1}{2}", VerifyReason.Equal)]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"\boxed{0.5}", @"\frac{1}{2}", VerifyReason.Equal)]
    [InlineData(@"Compute $2^{10}$.", @"\boxed{1024}", "1024", VerifyReason.Equal)]
    [InlineData(@"Which is larger, $\frac{3}{4}$ or $\frac{2}{3}$?", @"\boxed{\frac{3}{4}}", @"\frac{3}{4}", VerifyReason.Equal)]
    [InlineData("Tom has 5 apples and eats none. How many are left?", @"\boxed{5}", "5", VerifyReason.Equal)]
    [InlineData(@"Its area is $\textbf{(A)}\ 5/2 \qquad \textbf{(B)}\ 7/2$", @"\boxed{7/2}", @"\frac{7}{2}", VerifyReason.Equal)] // the gold respelled
    [InlineData("A pen costs 2.50 dollars and the price stays. What does it cost now?", @"\boxed{2.50}", "2.5", VerifyReason.Equal)]
    [InlineData(@"Circle((0,-0.58),2.15): what is the radius? Simplest radical form.", @"\boxed{2.15}", @"\frac{3+2\sqrt{3}}{3}", VerifyReason.QuestionEcho)]
    [InlineData(@"Simplify $\frac{4}{8}$.", @"\boxed{\frac{4}{8}}", @"\frac{3}{8}", VerifyReason.NotEqual)]   // wrong stays wrong
    public void Strict_mode_refuses_a_restated_expression_anywhere(string question, string output, string gold, VerifyReason expected) =>
        Assert.Equal(expected, Strict(output, gold, question));

    [Fact]
    public void The_scope_is_an_option()
    {
        const string Question = @"Simplify $\frac{4}{8}$.", Boxed = @"\boxed{\frac{4}{8}}", Restated = @"We need to simplify $\frac{4}{8}$.";
        Assert.Equal(QuestionEchoScope.Anywhere, VerifyOptions.Strict.EffectiveQuestionEcho);
        Assert.Equal(QuestionEchoScope.LastResort, VerifyOptions.Evaluation.EffectiveQuestionEcho);
        var none = VerifyOptions.Evaluation with { QuestionEcho = QuestionEchoScope.None };
        var anywhere = VerifyOptions.Evaluation with { QuestionEcho = QuestionEchoScope.Anywhere };
        Assert.True(MathVerifier.Verify(Restated, @"\frac{1}{2}", none, Question).Equal);
        Assert.True(MathVerifier.Verify(Boxed, @"\frac{1}{2}", VerifyOptions.Strict with { QuestionEcho = QuestionEchoScope.None }, Question).Equal);
        Assert.Equal(VerifyReason.QuestionEcho, MathVerifier.Verify(Boxed, @"\frac{1}{2}", anywhere, Question).Reason);
    }

    [Fact]
    public void The_reward_scores_a_restated_question_as_incorrect()
    {
        var reward = new MathReward(new MathRewardOptions { Incorrect = -1 });
        const string Question = @"Compute $\dbinom{8}{4}$.";
        Assert.Equal(-1.0, reward.ScoreOf(reward.Evaluate(@"\boxed{\dbinom{8}{4}}", "70", Question)));
        Assert.Equal(1.0, reward.ScoreOf(reward.Evaluate(@"\boxed{\dbinom{8}{4}}", "70")));
        Assert.Equal(1.0, reward.ScoreOf(reward.Evaluate(@"so \boxed{70}", "70", Question)));
    }

    [Fact]
    public void The_question_expressions_are_its_math_spans_then_its_numbers()
    {
        Assert.Equal([@"\frac{4}{8}", "x", "2", "3/6", @"\frac{4}{8}"],
            QuestionEcho.Expressions(@"Simplify $\frac{4}{8}$ and $x$, then 3/6 at $2 each."));
        Assert.Empty(QuestionEcho.Expressions("No maths here."));
    }

    /// <summary>A question too long for the budget never costs the verdict: it is simply not an echo.</summary>
    [Fact]
    public void An_overlong_question_is_not_an_echo()
    {
        string question = "Simplify $" + string.Concat(Enumerable.Repeat(@"\frac{4}{8}+", 5_000)) + "1$ and $2^{10}$.";
        Assert.Equal(VerifyReason.Equal, MathVerifier.Verify(@"\boxed{2^{10}}", "1024", VerifyOptions.Strict with
        {
            Budget = () => new VerifyBudget(200_000, TimeSpan.FromSeconds(5)) { MaxInputLength = 1_000 },
        }, question).Reason);
    }
}
