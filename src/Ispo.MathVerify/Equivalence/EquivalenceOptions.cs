// Options for comparing a normalised gold answer with a normalised predicted answer (see VERIFIER.md).
namespace Ispo.MathVerify;

public sealed record EquivalenceOptions
{
    /// <summary>Relative tolerance for values that are not exact rationals (radicals, π, trig, random-point checks).</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Absolute floor used only for approximate values, so sin(π) ≈ 1e-16 equals 0.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-12;

    /// <summary>Whether 50\% also equals 0.5 (it always equals 50).</summary>
    public bool PercentEqualsFraction { get; init; }

    /// <summary>Strict mode: a set never equals a tuple, free-variable sets must be identical.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>Random complex points at which expressions with free variables are compared.</summary>
    public int RandomPoints { get; init; } = 5;

    /// <summary>Seed of the random points, so results are reproducible.</summary>
    public int Seed { get; init; } = 20_240_917;

    /// <summary>A lone decimal with at least this many places equals a non-decimal value that rounds to it
    /// (0.33 = 1/3, 3.14 = π); 0 disables the rule.</summary>
    public int MinRoundingPlaces { get; init; } = 2;

    public static EquivalenceOptions Default { get; } = new();

    /// <summary>Throws naming the field when a value is out of range (tolerances ≥ 0 and finite, counts ≥ 0).</summary>
    public void Validate()
    {
        if (!(RelativeTolerance >= 0 && double.IsFinite(RelativeTolerance)))
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "expected a finite tolerance ≥ 0");
        if (!(AbsoluteTolerance >= 0 && double.IsFinite(AbsoluteTolerance)))
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, "expected a finite tolerance ≥ 0");
        if (RandomPoints is < 0 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(RandomPoints), RandomPoints, "expected 0 to 1000 points");
        if (MinRoundingPlaces < 0)
            throw new ArgumentOutOfRangeException(nameof(MinRoundingPlaces), MinRoundingPlaces, "expected ≥ 0 (0 disables the rule)");
    }
}
