// Mixed precision (model.mixed_precision, as verl's and Megatron's): the model runs forward and backward in its 2-byte
// dtype while fp32 master copies of its trainable parameters take the optimizer step (AdamW's moments are then fp32 too).
// After backward the gradients are cast into the masters; after the step the masters are rounded back into the model.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

public sealed class MasterWeights : IDisposable
{
    readonly List<(Parameter Model, Parameter Master)> pairs;

    MasterWeights(List<(Parameter, Parameter)> pairs) => this.pairs = pairs;

    /// <summary>fp32 copies of <paramref name="model"/>'s trainable parameters, on each parameter's own device.</summary>
    public static MasterWeights Create(nn.Module model)
    {
        using var _ = no_grad();
        return new MasterWeights(model.parameters().Where(p => p.requires_grad)
            .Select(p => (p, new Parameter(p.detach().to(ScalarType.Float32, p.device).clone(), requires_grad: true))).ToList());
    }

    /// <summary>What the optimizer steps (and clips): the fp32 masters.</summary>
    public IReadOnlyList<Parameter> Parameters => pairs.Select(p => p.Master).ToList();

    /// <summary>Each master's gradient := its model parameter's, cast to fp32 (zero where backward left none).</summary>
    public void GradientsToMasters()
    {
        using var _ = no_grad();
        foreach (var (model, master) in pairs)
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
        foreach (var (model, master) in pairs) model.copy_(master);
    }

    /// <summary>Re-takes the masters from the model (after its weights were loaded from a checkpoint).</summary>
    public void CopyFromModel()
    {
        using var _ = no_grad();
        foreach (var (model, master) in pairs) master.copy_(model);
    }

    public void Dispose()
    {
        foreach (var (_, master) in pairs) master.Dispose();
    }
}
