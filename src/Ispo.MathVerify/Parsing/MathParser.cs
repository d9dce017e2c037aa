// Parses normalised LaTeX or plain math into an Expr tree; null when the text is not math it understands.
namespace Ispo.MathVerify.Parsing;

public static class MathParser
{
    /// <summary>The tree, or null when unparseable; throws <see cref="BudgetExceededException"/> past the budget
    /// (too long, too deeply nested, too many steps).</summary>
    public static Expr? Parse(string text, VerifyBudget budget) => new ExpressionParser(text, budget).ParseAll();
}
