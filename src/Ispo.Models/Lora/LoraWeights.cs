// A PEFT adapter folder read into memory: its options and every saved tensor, to be copied into a model's attached
// adapters whenever that adapter is wanted, without reading the folder again. `ispo serve` keeps several adapters over
// one base model this way and swaps them in between batches.
using Ispo.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Lora;

public sealed class LoraWeights : IDisposable
{
    readonly Dictionary<string, Tensor> tensors; // saved key -> [r,in] or [out,r] float32, CPU
    readonly string path;

    LoraWeights(string directory, LoraOptions options, Dictionary<string, Tensor> tensors)
    {
        (Directory, Options, this.tensors) = (directory, options, tensors);
        path = Path.Combine(directory, PeftAdapter.WeightsFile);
    }

    public string Directory { get; }
    public LoraOptions Options { get; }

    /// <summary>Reads the adapter in <paramref name="dir"/> (its config checked as <see cref="PeftAdapter.ReadConfig"/> does).</summary>
    public static LoraWeights Read(string dir)
    {
        (LoraOptions options, _) = PeftAdapter.ReadConfig(dir);
        string file = Path.Combine(dir, PeftAdapter.WeightsFile);
        ReadableFile.Check(file);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var reader = SafetensorsFile.Open(file);
            foreach (string key in reader.Entries.Keys) tensors[key] = reader.Read(key, ScalarType.Float32);
            return new LoraWeights(dir, options, tensors);
        }
        catch
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Overwrites <paramref name="adapters"/>' A and B with these (every key must match, or nothing changes).</summary>
    public void CopyInto(LoraAdapters adapters)
    {
        if (!adapters.Options.SameShape(Options))
            throw new ArgumentException($"{Directory}: rank {Options.Rank}, scale {Options.Scale} on [{string.Join(", ", Options.TargetModules)}] "
                + $"does not fit adapters of rank {adapters.Options.Rank}, scale {adapters.Options.Scale} on [{string.Join(", ", adapters.Options.TargetModules)}]");
        PeftAdapter.CopyInto(adapters, path, tensors.ToDictionary(t => t.Key, t => t.Value.shape, StringComparer.Ordinal),
            (key, dtype) => tensors[key].to(dtype ?? ScalarType.Float32, copy: true));
    }

    public void Dispose()
    {
        foreach (Tensor t in tensors.Values) t.Dispose();
        tensors.Clear();
    }
}
