// The one formula LoRA adds: a weight with its low-rank update folded in (merging, and packing for inference).
using static TorchSharp.torch;

namespace Ispo.Models.Lora;

public static class LoraMath
{
    /// <summary>W + s·B·A in fp32, cast back to W's dtype; no gradient.</summary>
    public static Tensor Merge(Tensor weight, Tensor a, Tensor b, double scale) // [out,in], [r,in], [out,r] -> [out,in]
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor update = b.to(ScalarType.Float32).matmul(a.to(ScalarType.Float32)).mul_(scale);
        return weight.to(ScalarType.Float32).add(update).to(weight.dtype).MoveToOuterDisposeScope();
    }
}
