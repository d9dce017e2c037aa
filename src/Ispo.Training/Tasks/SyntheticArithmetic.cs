// Procedural multi-step arithmetic word problems with worked solutions, deterministic from (seed, tier, split,
// index), short enough for a tiny character-level model: prompts ≲ 60 characters, solutions ≲ 80.
using System.Text;

namespace Ispo.Training.Tasks;

public enum TaskSplit { Train, Test }

/// <summary>
/// The synthetic reasoning task. A problem belongs to the test split when the hash of its math (not its wording)
/// falls in the test fraction, so train and test never share a computation, whatever the seeds.
/// </summary>
public static class SyntheticArithmetic
{
    public const int TierCount = 5;
    /// <summary>Fraction of distinct computations reserved for the test split.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Characters any prompt or solution may contain (a char tokenizer built from this covers the task).</summary>
    public const string Alphabet = " 0123456789abcdefghijklmnopqrstuvwxyz.,?+-*=(){}\\";

    static readonly string[] Names = ["ann", "bob", "sam", "kim", "max", "eva", "tom", "liz", "ben", "amy"];
    static readonly string[] Items = ["pens", "eggs", "coins", "cards", "books", "cups", "keys", "hats"];

    /// <summary>The problem at <paramref name="index"/> of a split's stream: random access, so a data cursor is just an index.</summary>
    public static ArithmeticProblem Sample(int tier, TaskSplit split, int seed, long index)
    {
        ArithmeticTier spec = ArithmeticTier.Get(tier);
        var rng = new SplitMix64(SplitMix64.Mix((ulong)seed, (ulong)tier, (ulong)split, (ulong)index));
        while (true)  // rejection: on average 1.25 draws for train, 5 for test
        {
            ArithmeticProblem p = Draw(tier, spec, ref rng);
            if (SplitOf(p) == split) return p;
        }
    }

    /// <summary>A training stream over several tiers: the tier of each index is drawn from the seed too.</summary>
    public static ArithmeticProblem SampleMixed(IReadOnlyList<int> tiers, int seed, long index)
    {
        var rng = new SplitMix64(SplitMix64.Mix((ulong)seed, 0xC0FFEE, (ulong)index));
        return Sample(rng.Pick(tiers), TaskSplit.Train, seed, index);
    }

    /// <summary>Up to <paramref name="count"/> distinct test problems of a tier: every held-out computation once,
    /// then, where a tier has too few of them (tier 1 has ~20 distinct sums), the same computations in other
    /// wordings, so an accuracy does not move in steps of 5%.</summary>
    public static IReadOnlyList<ArithmeticProblem> TestSet(int tier, int count, int seed = 0)
    {
        var maths = new HashSet<string>();
        var prompts = new HashSet<string>();
        var computations = new List<ArithmeticProblem>(count);
        var rewordings = new List<ArithmeticProblem>();
        for (long i = 0; computations.Count < count && i < 50L * count; i++)
        {
            ArithmeticProblem p = Sample(tier, TaskSplit.Test, seed, i);
            if (!prompts.Add(p.Prompt)) continue;
            if (maths.Add(p.MathKey)) computations.Add(p);
            else rewordings.Add(p);
        }
        return [.. computations.Concat(rewordings).Take(count)];
    }

    public static TaskSplit SplitOf(ArithmeticProblem problem) =>
        StableHash(problem.MathKey) % 1000 < TestFraction * 1000 ? TaskSplit.Test : TaskSplit.Train;

    static ArithmeticProblem Draw(int tier, ArithmeticTier spec, ref SplitMix64 rng)
    {
        int start = rng.Between(tier == 1 ? 0 : 1, spec.MaxStart);
        var steps = new List<ArithmeticStep>(spec.Steps);
        int value = start;
        while (steps.Count < spec.Steps)
        {
            ArithmeticStep step = DrawStep(spec, value, ref rng);
            value = Apply(value, step);
            steps.Add(step);
        }
        string name = rng.Pick(Names), item = rng.Pick(Items);
        return new ArithmeticProblem(tier, Prompt(name, item, start, steps), Solution(start, steps), value, start, steps);
    }

    /// <summary>An operation that keeps the running value in [0, MaxValue].</summary>
    static ArithmeticStep DrawStep(ArithmeticTier spec, int value, ref SplitMix64 rng)
    {
        while (true)
        {
            char op = spec.Ops[rng.Between(0, spec.Ops.Length - 1)];
            int operand = op == '*' ? rng.Between(2, spec.MaxFactor) : rng.Between(op == '-' ? 1 : 0, spec.MaxAddend);
            int next = Apply(value, new ArithmeticStep(op, operand));
            if (next is >= 0 and <= ArithmeticTier.MaxValue) return new ArithmeticStep(op, operand);
        }
    }

    public static int Apply(int value, ArithmeticStep step) => step.Op switch
    {
        '+' => value + step.Operand,
        '-' => value - step.Operand,
        '*' => value * step.Operand,
        _ => throw new ArgumentException($"unknown operation '{step.Op}'"),
    };

    /// <summary><c>ann has 3 pens. gets 4, loses 2, times 3. how many?</c></summary>
    static string Prompt(string name, string item, int start, IReadOnlyList<ArithmeticStep> steps)
    {
        var clauses = steps.Select(s => s.Op switch
        {
            '+' => $"gets {s.Operand}",
            '-' => $"loses {s.Operand}",
            _ => $"times {s.Operand}",
        });
        return $"{name} has {start} {item}. {string.Join(", ", clauses)}. how many?";
    }

    /// <summary><c>3+4=7, 7-2=5, 5*3=15. \boxed{15}</c></summary>
    static string Solution(int start, IReadOnlyList<ArithmeticStep> steps)
    {
        var sb = new StringBuilder();
        int value = start;
        foreach (ArithmeticStep s in steps)
        {
            int next = Apply(value, s);
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(value).Append(s.Op).Append(s.Operand).Append('=').Append(next);
            value = next;
        }
        return sb.Append(". \\boxed{").Append(value).Append('}').ToString();
    }

    /// <summary>FNV-1a: stable across processes and .NET versions (string.GetHashCode is randomised).</summary>
    static uint StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) h = (h ^ c) * 16777619;
        return h;
    }
}
