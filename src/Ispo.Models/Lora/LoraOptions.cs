// The shape of a LoRA adapter set (Hu et al. 2021; PEFT's LoraConfig): which projections get W + s·B·A, the rank r and
// the scale s = alpha / r (alpha / √r with rsLoRA, as PEFT's use_rslora).
namespace Ispo.Models.Lora;

public sealed record LoraOptions
{
    /// <summary>Every projection a decoder layer has, by its checkpoint name (PEFT's target_modules).</summary>
    public static IReadOnlyList<string> Projections { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int Rank { get; init; } = 16;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; }
    public IReadOnlyList<string> TargetModules { get; init; } = Projections;
    public bool UseRslora { get; init; }

    /// <summary>s in W + s·B·A.</summary>
    public double Scale => UseRslora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Whether adapters with <paramref name="other"/>'s options have the same tensors (rank, projections) and the
    /// same scale; dropout, which inference does not apply, may differ.</summary>
    public bool SameShape(LoraOptions other) => Rank == other.Rank && Scale == other.Scale
        && TargetModules.Order(StringComparer.Ordinal).SequenceEqual(other.TargetModules.Order(StringComparer.Ordinal));

    /// <summary>What is wrong with these options, each as (field, message); empty when they are usable.</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (Rank < 1) yield return ("rank", $"expected at least 1, got {Rank}");
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) yield return ("alpha", $"expected a positive number, got {Alpha}");
        if (!(Dropout >= 0 && Dropout < 1)) yield return ("dropout", $"expected 0 <= dropout < 1, got {Dropout}");
        if (TargetModules.Count == 0) yield return ("target_modules", "name at least one projection");
        foreach (string unknown in TargetModules.Where(t => !Projections.Contains(t)))
            yield return ("target_modules", $"unknown projection '{unknown}' (expected some of: {string.Join(", ", Projections)})");
    }

    public LoraOptions Validated() =>
        Problems().FirstOrDefault() is ({ } field, { } message) ? throw new ArgumentException($"lora.{field}: {message}") : this;
}
