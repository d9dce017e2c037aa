// `algorithms` benchmark: ISPO signals + GRPO advantages + diagnostics for 512 rollouts × 4,096 tokens, against one
// fp32 forward pass of a "10M" Llama-style stack (hidden 320, 6 layers, 5 heads, SwiGLU 864, vocab 8192, tied head)
// over the same tokens. The forward runs on a few rows and is scaled linearly per row (rows are independent).
// Target: algorithms < 5% of the forward. Arguments: [rows=512] [tokens=4096] [forwardRows=2].
using System.Diagnostics;
using Ispo.Algorithms;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Bench;

public static class AlgorithmsBenchmark
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0]) : 512, tokens = args.Length > 1 ? int.Parse(args[1]) : 4096;
        int forwardRows = args.Length > 2 ? int.Parse(args[2]) : 2;
        Console.WriteLine($"torch threads: {get_num_threads()}; batch {rows} × {tokens}");
        manual_seed(1);

        double algorithms = MedianSeconds(3, () => AlgorithmsStep(rows, tokens));
        Console.WriteLine($"signals + advantages + diagnostics: {algorithms * 1e3:F0} ms ({algorithms * 1e9 / ((double)rows * tokens):F1} ns/token)");

        using var model = new TinyLlama(vocab: 8192, hidden: 320, layers: 6, heads: 5, mlp: 864);
        double forward = MedianSeconds(2, () => model.Forward(forwardRows, tokens)) * rows / forwardRows;
        Console.WriteLine($"10M forward, {forwardRows} rows measured, scaled to {rows}: {forward:F1} s ({forward * 1e9 / ((double)rows * tokens):F0} ns/token)");
        Console.WriteLine($"ratio: {100 * algorithms / forward:F3}% (target < 5%)");
        return algorithms < 0.05 * forward ? 0 : 1;
    }

    static void AlgorithmsStep(int rows, int tokens)
    {
        using var scope = NewDisposeScope();
        GroupedBatch batch = RandomBatch(rows, tokens);
        var started = Stopwatch.StartNew();
        var ispo = AlgorithmRegistry.Create<IRewardShaper>("ispo");
        var grpo = AlgorithmRegistry.Create<IAdvantageEstimator>("grpo");
        RewardShaping shaped = ispo.Shape(batch, batch.OutcomeRewards);   // signals, composite reward and ispo/… metrics
        Tensor advantages = grpo.Compute(batch, shaped.Rewards);
        BatchDiagnostics.Compute(batch, shaped.Rewards, advantages).Merge(shaped.Metrics);
        lastSeconds = started.Elapsed.TotalSeconds;
    }

    static double lastSeconds;

    static GroupedBatch RandomBatch(int rows, int tokens)
    {
        Tensor lengths = randint(tokens / 2, tokens + 1, [rows, 1]);                    // [B,1]
        Tensor mask = (arange(tokens).unsqueeze(0) < lengths).to(ScalarType.Float32); // [B,T]
        Tensor old = -rand(rows, tokens) * 3;
        return new GroupedBatch
        {
            GroupSize = 8,
            ResponseMask = mask,
            OutcomeRewards = randint(0, 2, [rows]).to(ScalarType.Float32),
            OldLogProbs = old,
            Entropies = rand(rows, tokens) * 2,
            BaseLogProbs = old - rand(rows, tokens) + 0.3,
            AnswerMask = (arange(tokens).unsqueeze(0) >= lengths - 16).to(ScalarType.Float32) * mask,
            AblatedAnswerLogProbs = old - rand(rows, tokens),
            Truncated = lengths.squeeze(1) == tokens,
        };
    }

    /// <summary>Median wall time of <paramref name="reps"/> runs after one warm-up; the algorithms step times itself
    /// (excluding building the random batch).</summary>
    static double MedianSeconds(int reps, Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < reps; i++)
        {
            lastSeconds = -1;
            var watch = Stopwatch.StartNew();
            action();
            times.Add(lastSeconds >= 0 ? lastSeconds : watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}

/// <summary>A plain fp32 Llama-style decoder (RMSNorm, RoPE-free causal SDPA, SwiGLU, tied head), only for timing.</summary>
sealed class TinyLlama : IDisposable
{
    readonly Tensor embedding;                                                          // [V,D]
    readonly List<Tensor[]> blocks = [];                                                // q,k,v,o,gate,up,down
    readonly int heads;

    public TinyLlama(int vocab, int hidden, int layers, int heads, int mlp)
    {
        this.heads = heads;
        embedding = randn(vocab, hidden) * 0.02;
        for (int l = 0; l < layers; l++)
            blocks.Add([W(hidden, hidden), W(hidden, hidden), W(hidden, hidden), W(hidden, hidden), W(mlp, hidden), W(mlp, hidden), W(hidden, mlp)]);
    }

    static Tensor W(int outDim, int inDim) => randn(outDim, inDim) * (1.0 / Math.Sqrt(inDim));

    public void Forward(int rows, int tokens)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor ids = randint(0, embedding.shape[0], [rows, tokens]);
        Tensor x = embedding.index_select(0, ids.view(-1)).view(rows, tokens, -1);     // [B,T,D]
        foreach (Tensor[] w in blocks)
        {
            x = x + Attention(RmsNorm(x), w);
            Tensor h = RmsNorm(x);
            x = x + nn.functional.linear(nn.functional.silu(nn.functional.linear(h, w[4])) * nn.functional.linear(h, w[5]), w[6]);
        }
        Tensor logits = nn.functional.linear(RmsNorm(x), embedding);                     // [B,T,V]
        logits.log_softmax(-1).max().item<float>();                                     // log-probs, as the scorer does
    }

    Tensor Attention(Tensor x, Tensor[] w)                                               // [B,T,D]
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        Tensor Split(Tensor y) => y.view(b, t, heads, d / heads).transpose(1, 2);         // [B,H,T,Dh]
        Tensor q = Split(nn.functional.linear(x, w[0])), k = Split(nn.functional.linear(x, w[1])), v = Split(nn.functional.linear(x, w[2]));
        Tensor o = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        return nn.functional.linear(o.transpose(1, 2).reshape(b, t, d), w[3]);
    }

    static Tensor RmsNorm(Tensor x) => x * (x.square().mean([-1], keepdim: true) + 1e-6).rsqrt();

    public void Dispose()
    {
        embedding.Dispose();
        foreach (Tensor w in blocks.SelectMany(b => b)) w.Dispose();
    }
}
