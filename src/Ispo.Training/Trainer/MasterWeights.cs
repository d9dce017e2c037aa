// Mixed precision (model.mixed_precision, as verl's and Megatron's): the model runs forward and backward in its 2-byte
// dtype while fp32 master copies of its trainable parameters take the optimizer step (AdamW's moments are then fp32 too).
// After backward the gradients are cast into the masters; after the step the masters are rounded back into the model.
// A checkpoint keeps the masters themselves, so a resumed run steps the same fp32 values, not the model's rounding of them.
using Ispo.Models.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

public sealed class MasterWeights : IDisposable
{
    /// <summary>The file a checkpoint keeps the masters in, keyed by the model's parameter names.</summary>
    public const string FileName = "master_weights.safetensors";

    readonly List<(string Name, Parameter Model, Parameter Master)> pairs;

    MasterWeights(List<(string, Parameter, Parameter)> pairs) => this.pairs = pairs;

    /// <summary>fp32 copies of <paramref name="model"/>'s trainable parameters, on each parameter's own device.</summary>
    public static MasterWeights Create(nn.Module model)
    {
        using var _ = no_grad();
        return new MasterWeights(model.named_parameters().Where(p => p.parameter.requires_grad)
            .Select(p => (p.name, p.parameter, new Parameter(p.parameter.detach().to(ScalarType.Float32, p.parameter.device).clone(), requires_grad: true)))
            .ToList());
    }

    /// <summary>What the optimizer steps (and clips): the fp32 masters.</summary>
    public IReadOnlyList<Parameter> Parameters => pairs.Select(p => p.Master).ToList();

    /// <summary>Each master's gradient := its model parameter's, cast to fp32 (zero where backward left none).</summary>
    public void GradientsToMasters()
    {
        using var _ = no_grad();
        foreach (var (_, model, master) in pairs)
        {
            Tensor? grad = model.grad;
            if (master.grad is null) master.grad = grad is null ? zeros_like(master) : grad.to(ScalarType.Float32);
            else if (grad is null) master.grad.zero_();
            else master.grad.copy_(grad);
        }
    }

    /// <summary>Rounds the masters into the model's parameters (after an optimizer step).</summary>
    public void CopyToModel()
    {
        using var _ = no_grad();
        foreach (var (_, model, master) in pairs) model.copy_(master);
    }

    /// <summary>Writes the masters into checkpoint folder <paramref name="dir"/>.</summary>
    public void Save(string dir) => SafetensorsWriter.Write(Path.Combine(dir, FileName), pairs.Select(p => (p.Name, (Tensor)p.Master)).ToList());

    /// <summary>Takes the masters from checkpoint folder <paramref name="dir"/> (a file of another model's is refused, and
    /// nothing copied); from the model's weights (already loaded from it) when the checkpoint predates saved masters.</summary>
    public void Load(string dir)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path))
        {
            using var _ = no_grad();
            foreach (var (_, model, master) in pairs) master.copy_(model);
            return;
        }
        using SafetensorsFile file = SafetensorsFile.Open(path);
        NamedTensorCopy.Into(path, pairs.ToDictionary(p => p.Name, p => (Tensor)p.Master, StringComparer.Ordinal),
            file.Entries.ToDictionary(e => e.Key, e => e.Value.Shape, StringComparer.Ordinal), file.Read);
    }

    public void Dispose()
    {
        foreach (var (_, _, master) in pairs) master.Dispose();
    }
}
