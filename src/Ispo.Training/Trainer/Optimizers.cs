// AdamW over a model's trainable parameters, plus the per-step helpers every trainer shares: setting the rate,
// clipping the global gradient norm, and checking that the gradients are finite.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

public static class Optimizers
{
    public static AdamW AdamW(nn.Module model, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.0) =>
        AdamW(model.parameters().Where(p => p.requires_grad), lr, beta1, beta2, eps, weightDecay);

    public static AdamW AdamW(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0.0) => torch.optim.AdamW(parameters, lr, beta1, beta2, eps, weightDecay);

    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }

    /// <summary>Clips the global L2 norm of the gradients (0 = no clipping) and returns the norm before clipping.</summary>
    public static double ClipGradNorm(nn.Module model, double maxNorm) => ClipGradNorm(model.parameters(), maxNorm);

    public static double ClipGradNorm(IEnumerable<Parameter> all, double maxNorm)
    {
        var parameters = all.Where(p => p.grad is not null).ToList();
        if (parameters.Count == 0) return 0;
        using var scope = NewDisposeScope();
        if (maxNorm > 0) return nn.utils.clip_grad_norm_(parameters, maxNorm);
        Tensor total = stack(parameters.Select(p => p.grad!.pow(2).sum()).ToList()).sum().sqrt();
        return total.item<float>();
    }
}
