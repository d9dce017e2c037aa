// What the memory plan reads from a recipe, as plain numbers: the model's dims and dtype, the step's shape (prompts,
// group size, lengths, micro-batch and scoring chunk rows) and which optional passes the configured components need.
using Ispo.Algorithms;
using Ispo.Models.Lora;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;
using Dims = Ispo.Models.Config.ModelConfig;

namespace Ispo.Training.Planning;

public sealed record PlanInputs
{
    public required Dims Dims { get; init; }
    /// <summary>Bytes of the model dtype: weights, activations, KV cache, gradients and AdamW's moments all use it.</summary>
    public int DtypeBytes { get; init; } = 4;
    /// <summary>Ispo's CPU kernels may run (model.cpu_kernels: auto); false plans libtorch's own operations, as on a GPU.</summary>
    public bool OnCpu { get; init; } = true;
    public int Prompts { get; init; } = 1;
    public int GroupSize { get; init; } = 1;
    /// <summary>Tokens of the longest prompt (the plan's default: all the positions max_new_tokens leaves).</summary>
    public int PromptTokens { get; init; } = 1;
    public int MaxNewTokens { get; init; } = 1;
    public int MicroBatchRows { get; init; } = 1;
    /// <summary>Rows per scoring pass (whole groups, RlTrainer.RowsPerPass).</summary>
    public int ScoringRows { get; init; } = 1;
    /// <summary>A second, frozen model for base log-probs (C_Δ, KL): the trainer loads it when a component needs them.</summary>
    public bool BaseModel { get; init; }
    /// <summary>The trace-ablated answer pass (IFD_cond).</summary>
    public bool AblatedPass { get; init; }
    /// <summary>Tokens the trace-ablated pass reads after a prompt: the answer and its segment's prefix, a response's tail.
    /// Not bounded by anything but max_new_tokens; 256 covers a boxed expression with its segment (a named guess: the
    /// pass is small next to the KV cache and the update either way).</summary>
    public int AnswerTokens { get; init; } = 256;
    /// <summary>The update's loss reads the current policy's entropies (entropy bonus).</summary>
    public bool CurrentEntropies { get; init; }
    /// <summary>AdamW's exp_avg and exp_avg_sq, each zeros_like(parameter): the parameter's dtype.</summary>
    public int OptimizerStates { get; init; } = 2;
    public long? Budget { get; init; }
    /// <summary>optim.micro_batch_tokens: micro-batches packed by padded tokens (null: MicroBatchRows rows).</summary>
    public long? MicroBatchTokens { get; init; }
    /// <summary>Rows of one mini-batch, the most a token-budget micro-batch can hold.</summary>
    public int MiniBatchRows { get; init; } = 1;
    /// <summary>model.mixed_precision: fp32 masters of the trainable parameters, their fp32 gradients beside the model's,
    /// and fp32 AdamW moments (MasterWeights).</summary>
    public bool MasterWeights { get; init; }
    /// <summary>model.gradient_checkpointing: the update keeps each layer's input and recomputes the layer.</summary>
    public bool GradientCheckpointing { get; init; }
    /// <summary>With LoRA and no model.base_path the base policy is the policy with its adapters off: its passes run,
    /// but there is no second copy of the weights.</summary>
    public bool BaseIsPolicyWithoutAdapters { get; init; }
    /// <summary>model.lora: only the adapters train (gradients and AdamW state for them alone).</summary>
    public LoraOptions? Lora { get; init; }
    /// <summary>rollout.kv_cache_budget in bytes: the sampler decodes in chunks of <see cref="RolloutPrompts"/> prompts.</summary>
    public long? KvCacheBudget { get; init; }

    public int Rows => Prompts * GroupSize;
    /// <summary>Prompts the sampler decodes at once (RolloutChunk, the trainer's formula, at the longest prompt).</summary>
    public int RolloutPrompts => RolloutChunk.Prompts(KvCacheBudget, RolloutChunk.KvBytesPerRow(Dims, DtypeBytes, SequenceTokens), GroupSize, Prompts);
    public int RolloutRows => RolloutPrompts * GroupSize;
    /// <summary>Padded tokens of the largest micro-batch: rows × T, or a token budget (a longer row alone: T), at most
    /// a mini-batch's rows × T.</summary>
    public long MicroBatchTokensAtMost => MicroBatchTokens is { } tokens
        ? Math.Min(Math.Max(tokens, SequenceTokens), (long)MiniBatchRows * SequenceTokens)
        : (long)MicroBatchRows * SequenceTokens;
    public int SequenceTokens => PromptTokens + MaxNewTokens;
    /// <summary>fp32 CPU tensors run our own kernels (and CausalAttention only up to 2048 positions).</summary>
    public bool OwnKernels => OnCpu && DtypeBytes == 4 && SequenceTokens <= 2048;

    /// <summary>The inputs of <paramref name="config"/> on a model of <paramref name="dims"/>. Prompts default to the
    /// longest that TrainingSetup.CheckPromptsFit admits: max_position_embeddings − rollout.max_new_tokens.</summary>
    public static PlanInputs From(TrainConfig config, Dims dims, int? promptTokens = null, long? budget = null)
    {
        BatchInputs needs = AlgorithmPipeline.From(config).Needs;
        int rows = config.RowsPerStep;
        int mini = Math.Min(rows, config.Optim.MiniBatchSize ?? rows);
        return new PlanInputs
        {
            Dims = dims,
            DtypeBytes = config.Model.Dtype == ModelDtype.Float32 ? 4 : 2,
            OnCpu = Ispo.Models.Runtime.TorchDevices.IsCpu(config.Model.Device) && config.Model.CpuKernels == Ispo.Models.CpuKernels.Auto,  // Ispo's CPU kernels; `off` or a GPU plans libtorch's own ops
            Prompts = config.Data.PromptsPerStep,
            GroupSize = config.Rollout.GroupSize,
            PromptTokens = Math.Max(1, promptTokens ?? dims.MaxPositionEmbeddings - config.Rollout.MaxNewTokens),
            MaxNewTokens = config.Rollout.MaxNewTokens,
            MicroBatchRows = PolicyUpdater.MicroBatchRows(mini, config.Optim.GradAccumulation),
            MicroBatchTokens = config.Optim.MicroBatchTokens,
            MiniBatchRows = mini,
            GradientCheckpointing = config.Model.GradientCheckpointing,
            MasterWeights = config.Model.MixedPrecision,
            Lora = config.Model.Lora?.ToOptions(),
            KvCacheBudget = RolloutChunk.Budget(config.Rollout),
            ScoringRows = config.RowsPerScoringPass,
            BaseModel = needs.HasFlag(BatchInputs.BaseLogProbs),
            BaseIsPolicyWithoutAdapters = config.Model.Lora is not null && config.Model.BasePath is null,
            AblatedPass = needs.HasFlag(BatchInputs.AblatedAnswer),
            CurrentEntropies = needs.HasFlag(BatchInputs.CurrentEntropies),
            Budget = budget,
        };
    }
}
