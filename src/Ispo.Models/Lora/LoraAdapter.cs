// One projection's low-rank update (PEFT's lora.Linear without its base layer): Δy = s·B·A·dropout(x). A starts
// uniform in ±1/√in (PEFT's kaiming_uniform_ with a = √5), B at zero, so a new adapter leaves the model unchanged.
// A and B are registered under the projection they adapt (`q_proj.lora_A.weight`), so they train, clip, save and
// dispose with the model's own parameters.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Lora;

public sealed class LoraAdapter
{
    readonly Generator? dropoutGenerator;

    internal LoraAdapter(Linear target, LoraOptions options, Generator generator, Generator? dropoutGenerator)
    {
        this.dropoutGenerator = dropoutGenerator;
        Tensor weight = target.weight!; // [out,in]
        (Scale, Dropout) = (options.Scale, options.Dropout);
        A = nn.Linear(weight.shape[1], options.Rank, hasBias: false, device: weight.device, dtype: weight.dtype);
        B = nn.Linear(options.Rank, weight.shape[0], hasBias: false, device: weight.device, dtype: weight.dtype);
        using (no_grad())
        {
            double bound = 1 / Math.Sqrt(weight.shape[1]);
            A.weight!.uniform_(-bound, bound, generator);
            B.weight!.zero_();
        }
        target.register_module("lora_A", A);
        target.register_module("lora_B", B);
        A.train(target.training); // new modules train; these follow the model's mode, as PEFT's do
        B.train(target.training);
    }

    public Linear A { get; } // weight [r,in]
    public Linear B { get; } // weight [out,r]
    public double Scale { get; }
    public double Dropout { get; }

    /// <summary>y + s·B·A·dropout(x), with dropout only while the model trains. The masks come from the adapters' own
    /// generator, which gradient checkpointing rewinds to draw them again in its recompute. One addmm adds the
    /// scaled up-projection to y: the [...,out] product is never scaled or added in passes of its own.</summary>
    public Tensor AddTo(Tensor y, Tensor x) // [...,out], [...,in] -> [...,out]
    {
        using var scope = NewDisposeScope();
        Tensor input = Dropout > 0 && A.training && dropoutGenerator is not null
            ? x * (rand(x.shape, generator: dropoutGenerator, dtype: x.dtype, device: x.device) >= Dropout).to(x.dtype).div_(1 - Dropout)
            : x;
        Tensor down = A.forward(input).reshape(-1, A.weight!.shape[0]); // [N,r]
        long[] shape = y.shape;
        return y.reshape(-1, shape[^1]).addmm(down, B.weight!.t(), beta: 1, alpha: (float)Scale).view(shape).MoveToOuterDisposeScope();
    }

    /// <summary>W + s·B·A, computed in fp32 and cast back to W's dtype.</summary>
    public Tensor Merged(Tensor weight) => LoraMath.Merge(weight, A.weight!, B.weight!, Scale); // [out,in]
}
