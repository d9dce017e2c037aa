// A "web text" corpus for the synthetic task, so that a short pretraining yields a base model in the paper's regime
// (ISPO.md §7): diverse rollouts at T = 1 rather than one memorised solution. Each document answers a problem in one
// of several styles (terse to verbose), some in another valid step order, and, as text found on the web, some are
// wrong (one slip that carries through) or stop before the answer.
using System.Text;

namespace Ispo.Training.Tasks;

public enum SolutionStyle { Chain, Verbose, Totals, Expression, Terse, Reordered }

public static class PretrainingCorpus
{
    /// <summary>Share of documents with one arithmetic slip, and of documents cut off before their answer.</summary>
    public const double SlipRate = 0.15, UnfinishedRate = 0.05;

    static readonly (SolutionStyle Style, int Weight)[] Styles =
    [
        (SolutionStyle.Chain, 30), (SolutionStyle.Verbose, 20), (SolutionStyle.Totals, 15),
        (SolutionStyle.Expression, 15), (SolutionStyle.Terse, 10), (SolutionStyle.Reordered, 10),
    ];

    static readonly string[] Closings = ["\\boxed{#}", "so \\boxed{#}", "the answer is \\boxed{#}", "answer \\boxed{#}"];

    /// <summary>The document at <paramref name="index"/> of the corpus: a training problem of the given tiers and a
    /// solution text, deterministic from (seed, index).</summary>
    public static (ArithmeticProblem Problem, string Text) Document(IReadOnlyList<int> tiers, int seed, long index)
    {
        ArithmeticProblem problem = SyntheticArithmetic.SampleMixed(tiers, seed, index);
        var rng = new SplitMix64(SplitMix64.Mix((ulong)seed, 0x5EED_C0DE, (ulong)index));
        return (problem, Write(problem, ref rng));
    }

    internal static string Write(ArithmeticProblem problem, ref SplitMix64 rng)
    {
        SolutionStyle style = PickStyle(ref rng);
        IReadOnlyList<ArithmeticStep> steps = style == SolutionStyle.Reordered ? Reorder(problem, ref rng) : problem.Steps;
        int slipAt = Chance(ref rng, SlipRate) ? rng.Between(0, steps.Count - 1) : -1;
        int[] values = RunningValues(problem.Start, steps, slipAt, ref rng);
        string closing = rng.Pick(Closings).Replace("#", values[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        string body = Body(style, problem.Start, steps, values);
        string text = body.Length == 0 ? closing : body + ". " + closing;
        if (Chance(ref rng, UnfinishedRate)) text = text[..rng.Between(0, Math.Max(0, text.IndexOf('\\', StringComparison.Ordinal) - 1))].TrimEnd();
        return text;
    }

    static SolutionStyle PickStyle(ref SplitMix64 rng)
    {
        int roll = rng.Between(0, Styles.Sum(s => s.Weight) - 1);
        foreach ((SolutionStyle style, int weight) in Styles)
            if ((roll -= weight) < 0) return style;
        return SolutionStyle.Chain;
    }

    static bool Chance(ref SplitMix64 rng, double p) => rng.Between(0, 9999) < p * 10000;

    /// <summary>Values after each step, one step's result off by 1–3 when <paramref name="slipAt"/> ≥ 0 (and the slip
    /// carried through, as a careless solver would).</summary>
    static int[] RunningValues(int start, IReadOnlyList<ArithmeticStep> steps, int slipAt, ref SplitMix64 rng)
    {
        var values = new int[steps.Count];
        int value = start;
        for (int i = 0; i < steps.Count; i++)
        {
            value = SyntheticArithmetic.Apply(value, steps[i]);
            if (i == slipAt) value = Math.Max(0, value + (rng.Between(0, 1) == 0 ? -1 : 1) * rng.Between(1, 3));
            values[i] = value;
        }
        return values;
    }

    /// <summary>The same additions and subtractions in another order that keeps every running value in range
    /// (the order of products matters, so problems with × keep theirs).</summary>
    static IReadOnlyList<ArithmeticStep> Reorder(ArithmeticProblem problem, ref SplitMix64 rng)
    {
        if (problem.Steps.Count < 2 || problem.Steps.Any(s => s.Op == '*')) return problem.Steps;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            var order = problem.Steps.ToList();
            for (int i = order.Count - 1; i > 0; i--)
            {
                int j = rng.Between(0, i);
                (order[i], order[j]) = (order[j], order[i]);
            }
            int value = problem.Start;
            bool inRange = true;
            foreach (ArithmeticStep s in order) inRange &= (value = SyntheticArithmetic.Apply(value, s)) is >= 0 and <= ArithmeticTier.MaxValue;
            if (inRange) return order;
        }
        return problem.Steps;
    }

    static string Body(SolutionStyle style, int start, IReadOnlyList<ArithmeticStep> steps, int[] values)
    {
        var sb = new StringBuilder();
        switch (style)
        {
            case SolutionStyle.Terse:
                break;
            case SolutionStyle.Totals:
                sb.Append(start);
                foreach (int v in values) sb.Append(", ").Append(v);
                break;
            case SolutionStyle.Expression:
                sb.Append(start);
                foreach (ArithmeticStep s in steps) sb.Append(s.Op).Append(s.Operand);
                sb.Append('=').Append(values[^1]);
                break;
            case SolutionStyle.Verbose:
                sb.Append("start with ").Append(start);
                for (int i = 0; i < steps.Count; i++)
                    sb.Append(". ").Append(Verb(steps[i].Op)).Append(' ').Append(steps[i].Operand).Append(" so ")
                      .Append(i == 0 ? start : values[i - 1]).Append(steps[i].Op).Append(steps[i].Operand).Append('=').Append(values[i]);
                break;
            default: // Chain and Reordered: 3+4=7, 7-2=5
                for (int i = 0; i < steps.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append(i == 0 ? start : values[i - 1]).Append(steps[i].Op).Append(steps[i].Operand).Append('=').Append(values[i]);
                }
                break;
        }
        return sb.ToString();
    }

    static string Verb(char op) => op switch { '+' => "gets", '-' => "loses", _ => "times" };
}
