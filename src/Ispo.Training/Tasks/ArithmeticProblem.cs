// One synthetic word problem: the question, its worked solution ending in \boxed{N}, and the steps behind both.
namespace Ispo.Training.Tasks;

/// <summary>One operation applied to the running value: <c>+</c>, <c>-</c> or <c>*</c>.</summary>
public readonly record struct ArithmeticStep(char Op, int Operand);

/// <param name="Tier">Difficulty tier 1..5.</param>
/// <param name="Prompt">The question, e.g. <c>ann has 3 pens. she gets 4. how many?</c></param>
/// <param name="Solution">Worked answer, e.g. <c>3+4=7. \boxed{7}</c></param>
/// <param name="Answer">The final value (the \boxed content).</param>
/// <param name="Start">The starting amount.</param>
/// <param name="Steps">Operations applied left to right.</param>
public sealed record ArithmeticProblem(int Tier, string Prompt, string Solution, int Answer, int Start, IReadOnlyList<ArithmeticStep> Steps)
{
    /// <summary>The math without the wording (<c>3+4*2</c>); the train/test split and de-duplication use it.</summary>
    public string MathKey => Start + string.Concat(Steps.Select(s => $"{s.Op}{s.Operand}"));

    public string AnswerText => Answer.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
