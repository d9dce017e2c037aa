// The five difficulty tiers: more steps, larger operands and more kinds of operation as the tier rises.
namespace Ispo.Training.Tasks;

/// <param name="Steps">Number of operations.</param>
/// <param name="MaxStart">Largest starting amount.</param>
/// <param name="MaxAddend">Largest operand of + and −.</param>
/// <param name="MaxFactor">Largest factor of ×.</param>
/// <param name="Ops">Allowed operations.</param>
public sealed record ArithmeticTier(int Steps, int MaxStart, int MaxAddend, int MaxFactor, string Ops)
{
    /// <summary>Running values never exceed this, so answers stay short.</summary>
    public const int MaxValue = 999;

    /// <summary>Tiers 1–3 add and subtract one-digit amounts in 1, 2 and 3 steps (the demo trains on these); tiers 4
    /// and 5 bring multiplication and two-digit operands, which a tiny model trained on tiers 1–3 cannot do.</summary>
    public static readonly IReadOnlyList<ArithmeticTier> All =
    [
        new(Steps: 1, MaxStart: 9, MaxAddend: 9, MaxFactor: 1, Ops: "+"),
        new(Steps: 2, MaxStart: 9, MaxAddend: 9, MaxFactor: 1, Ops: "+-"),
        new(Steps: 3, MaxStart: 9, MaxAddend: 9, MaxFactor: 1, Ops: "+-"),
        new(Steps: 3, MaxStart: 20, MaxAddend: 20, MaxFactor: 5, Ops: "+-*"),
        new(Steps: 4, MaxStart: 30, MaxAddend: 30, MaxFactor: 6, Ops: "+-*"),
    ];

    /// <summary>Tier 1..5.</summary>
    public static ArithmeticTier Get(int tier) =>
        tier is >= 1 and <= 5 ? All[tier - 1] : throw new ArgumentOutOfRangeException(nameof(tier), tier, "tiers are 1..5");
}
