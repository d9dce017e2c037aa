// An answer that only restates the question (issue 17): "We need to simplify $\frac{4}{8}$." yields \frac{4}{8},
// which equals the gold 1/2 without answering anything. The rule: README.md beside this file.
using Ispo.MathVerify.Extraction;
using Ispo.MathVerify.Normalization;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal static class QuestionEcho
{
    /// <summary>True when an answer the comparison found equal loses its credit: the scope covers the rule that
    /// found it; it is not exempt (below); and it is one of the question's expressions (a math span, or a number the
    /// last-number rule could take), as the same normalised text or the same parsed expression.</summary>
    public static bool Refuses(string question, ExtractedAnswer answer, string normalizedPred, string normalizedGold, VerifyOptions options)
    {
        if (!Covers(options.EffectiveQuestionEcho, answer.Rule) || normalizedPred == normalizedGold) return false;
        VerifyBudget budget = options.Budget();             // its own: a long question never costs the verdict its budget
        try
        {
            Expr? pred = MathParser.Parse(normalizedPred, budget);
            if (Exempt(pred, MathParser.Parse(normalizedGold, budget))) return false;
            foreach (string expression in Expressions(question))
            {
                budget.CheckLength(expression.Length);
                budget.Step(expression.Length / 64 + 1);
                string normalized = AnswerNormalizer.Normalize(expression, budget.MaxDepth);
                if (normalized == normalizedPred) return true;
                if (pred is not null && normalized.Length > 0 && pred.Equals(MathParser.Parse(normalized, budget))) return true;
            }
            return false;
        }
        catch (BudgetExceededException)
        {
            return false;
        }
    }

    static bool Covers(QuestionEchoScope scope, ExtractionRule rule) => scope switch
    {
        QuestionEchoScope.Anywhere => true,
        QuestionEchoScope.LastResort => rule is ExtractionRule.LastMath or ExtractionRule.LastNumber,
        _ => false,
    };

    // The gold respelled (3/4 for \frac{3}{4}); an integer (7, -7, 1,000); a decimal against a gold that is a plain
    // number too (12.50 for 12.5). A plain value needs no evaluation, so repeating one from the question is answering
    // with it; a decimal against a fraction or radical gold is not exempt ("Write $0.5$ as a fraction").
    static bool Exempt(Expr? pred, Expr? gold) =>
        pred is not null && (pred.Equals(gold)
            || (PlainNumber(pred) is { } number && ((number.DecimalPlaces < 0 && number.Value.IsInteger) || PlainNumber(gold) is not null)));

    static Num? PlainNumber(Expr? expr) => expr switch
    {
        Num { Exponent10: 0 } n => n,
        Neg { Operand: Num { Exponent10: 0 } n } => n,
        _ => null,
    };

    /// <summary>The question's math spans (cleaned as extraction cleans answers), then its numbers.</summary>
    internal static IEnumerable<string> Expressions(string question)
    {
        foreach (TextRegion span in LatexScanner.MathSpans(question, 0))
        {
            var (start, end) = AnswerCleanup.Trim(question, span.Start, span.End);
            if (end > start) yield return question[start..end];
        }
        foreach (string number in AnswerExtractor.Numbers(question)) yield return number;
    }
}
