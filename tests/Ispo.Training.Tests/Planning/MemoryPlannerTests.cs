using Ispo.Models.Lora;
using Ispo.Training.Planning;
using Dims = Ispo.Models.Config.ModelConfig;

namespace Ispo.Training.Tests.Planning;

/// <summary>The plan's arithmetic on a model small enough to count by hand: vocab 10, hidden 4, SwiGLU 6, one layer of
/// 2 heads (1 kv head) of dim 2, tied embeddings; fp32 on the CPU (our kernels); 2 prompts × 2 rollouts, prompts of 3
/// tokens, 5 new tokens (T = 8), micro-batches of 2 rows.</summary>
public class MemoryPlannerTests
{
    static readonly Dims Tiny = new()
    {
        VocabSize = 10, HiddenSize = 4, IntermediateSize = 6, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1,
        HeadDim = 2, TieWordEmbeddings = true, EosTokenIds = [0],
    };

    static PlanInputs Inputs(long? budget = null) => new()
    {
        Dims = Tiny, DtypeBytes = 4, OnCpu = true, Prompts = 2, GroupSize = 2, PromptTokens = 3, MaxNewTokens = 5,
        MicroBatchRows = 2, ScoringRows = 4, Budget = budget,
    };

    [Fact]
    public void CountsEveryTermByHand()
    {
        MemoryPlan plan = MemoryPlanner.Plan(Inputs());
        // embeddings 40; layer: q 16, k 8, v 8, o 16, gate/up/down 72, two norms 8 = 128; final norm 4
        Assert.Equal(172, plan.Parameters);
        Assert.Equal((688, 688, 1376, 0), (plan["weights"], plan["gradients"], plan["optimizer"], plan["base_model"]));
        Assert.Equal(4 * (172 - 3 * 4), plan["inference_copy"]); // all but the norms
        // KV: 2 (k, v) × 1 layer × 1 kv head × dim 2 × 4 bytes + a 4-byte key bias = 20 per token; 4 rows × 8 tokens
        Assert.Equal(640, plan["kv_cache"]);
        Assert.Equal(480, plan["kv_compaction"]);
        // saved per token and layer: 4·(4h + 3H·D + 2Hkv·D + 4I) + 4·(H + 2) = 4·56 + 16 = 240; per row: 8 tokens × 240,
        // the final norm's input 8 × 16, per response token 16 (lm_head input) + 40 (fp32 logits) + 4 = 60, mask 8·8·4
        Assert.Equal(2 * (8 * 240 + 8 * 16 + 5 * 60 + 256), plan["activations"]);
        // checkpointed: per token and layer its input, the mid-layer residual and the attention's output 4·(h + h + H·D)
        // and the log-sum-exp 4·H = 56, and during a recompute the larger half: the MLP's 4·(h + 4I) + 4 = 116 (the
        // attention's 4·(h + 2H·D + 2Hkv·D) + 4 = 68)
        Assert.Equal(2 * (8 * (56 + 116) + 8 * 16 + 5 * 60 + 256), plan["activations_checkpointed"]);
        // backward per token 4·(3I + 4h + 2(H·D + 2Hkv·D)) = 200; two logits chunks' gradient 2 · 1024 · 40
        Assert.Equal(2 * 8 * 200 + 2 * 1024 * 40, plan["backward"]);
        Assert.Equal(4 * (20 * 8 + 56 * 5), plan["batch"]);
        long persistent = 688 + 688 + 1376;
        Assert.Equal(persistent + 4 * (20 * 8 + 56 * 5) + 2 * (8 * 240 + 8 * 16 + 5 * 60 + 256) + 2 * 8 * 200 + 2 * 1024 * 40, plan.Update);
        // sampling: the prefill (prefix cache 2·3·20 = 120, a gradient-free layer 2·3·(248 + 16), masks 2·3·3·4) is
        // larger than decoding (KV 640 + its compaction copy 480 + two rows of logits per row 2·4·40)
        Assert.Equal(persistent + 640 + (120 + 2 * 3 * (248 + 16) + 72), plan.Sampling);
        Assert.Equal(persistent, plan.Scoring); // no base model, no ablated pass
        Assert.Equal(plan.Update, plan.Peak);
        Assert.True(plan.Fits);
        Assert.Null(plan.MaxMicroBatchRows);
    }

    [Fact]
    public void ABaseModelIsHeldThroughoutAndScoredOnTwoWorkers()
    {
        MemoryPlan plan = MemoryPlanner.Plan(Inputs() with { BaseModel = true });
        long persistent = 5 * 688; // weights, gradients, two moments, the base model
        // a worker's chunk: 2 rows (half the step): their prompt's cache 3·20, prompt + continuation 2·8·20, a
        // gradient-free forward 2·5·(248 + 16), the mask and its grouped copy (2 query heads per kv head) 2·5·8·4·3, two
        // logits chunks 2·1024·40
        long chunk = 60 + 320 + 2640 + 960 + 81920;
        Assert.Equal(persistent + 640 + 2 * chunk, plan.Scoring);
        Assert.Equal(2 * chunk, plan["scoring_passes"]);
    }

    [Fact]
    public void OverTheBudgetItRefusesAndSaysWhatFits()
    {
        long persistent = 2752, batch = 1760, logitsGrad = 81920, perRow = (8 * 240 + 8 * 16 + 5 * 60 + 256) + 8 * 200;
        long budget = persistent + batch + logitsGrad + perRow + 100; // one row of the micro-batch fits, not two
        MemoryPlan plan = MemoryPlanner.Plan(Inputs(budget));
        Assert.False(plan.Fits);
        Assert.Equal(1, plan.MaxMicroBatchRows);
        string problem = Assert.Single(plan.Problems);
        Assert.Contains("a micro-batch of 2 rows", problem);
        Assert.Contains("at most 1 fit", problem);
        Assert.Contains("optim.grad_accumulation", problem);
    }

    [Fact]
    public void WhenThePersistentStateAloneIsTooLargeNothingElseIsOffered()
    {
        MemoryPlan plan = MemoryPlanner.Plan(Inputs(budget: 1000));
        Assert.False(plan.Fits);
        Assert.Contains("alone need", Assert.Single(plan.Problems));
        Assert.Equal(0, plan.MaxMicroBatchRows);
    }

    [Fact]
    public void ARolloutChunkIsWholeGroups()
    {
        MemoryPlan plan = MemoryPlanner.Plan(Inputs(budget: 1L << 20));
        Assert.True(plan.Fits);
        Assert.Equal(0, plan.MaxRolloutRows!.Value % 2);
        Assert.True(plan.MaxRolloutRows > plan.Rows);
    }

    [Fact]
    public void LoraTrainsOnlyItsAdaptersAndNeedsNoBaseCopy()
    {
        // r 2 on q (4→4), k (4→2), v (4→2), down (6→4): 2·(8 + 6 + 6 + 10) = 60 per layer, one layer
        var lora = new LoraOptions { Rank = 2, TargetModules = ["q_proj", "k_proj", "v_proj", "down_proj"] };
        MemoryPlan plan = MemoryPlanner.Plan(Inputs() with { Lora = lora, BaseModel = true, BaseIsPolicyWithoutAdapters = true });
        Assert.Equal((172, 60), (plan.Parameters, plan.TrainableParameters));
        Assert.Equal((4 * (172 + 60), 4 * 60, 2 * 4 * 60, 0), (plan["weights"], plan["gradients"], plan["optimizer"], plan["base_model"]));
        // the adapters save A·x, 2 values per adapted projection and token: 4 · 2 · 4 = 32 bytes per token and layer
        Assert.Equal(2 * (8 * (240 + 32) + 8 * 16 + 5 * 60 + 256), plan["activations"]);
        // the base log-probs still run, on the policy with its adapters off
        Assert.Equal(4 * (172 + 60) + 4 * 60 + 8 * 60 + 640 + 2 * (60 + 320 + 2640 + 960 + 81920), plan.Scoring);
        // with a base_path, a second model is loaded
        Assert.Equal(688, MemoryPlanner.Plan(Inputs() with { Lora = lora, BaseModel = true })["base_model"]);
    }

    [Fact]
    public void TheAdapterCountIsWhatLoraAttachMakes()
    {
        var dims = Ispo.Models.Pretrained.ModelInit.Preset("tiny");
        using var model = new Ispo.Models.CausalLM(dims);
        var lora = new LoraOptions { Rank = 4 };
        using LoraAdapters adapters = LoraAdapters.Attach(model, lora, seed: 1);
        Assert.Equal(adapters.ParameterCount(), new TokenBytes(dims, 4, false).AdapterParameters(lora));
    }

    [Fact]
    public void CheckpointingKeepsWhatEachLayersRecomputeStartsFromAndOneLayersActivations()
    {
        MemoryPlan plan = MemoryPlanner.Plan(Inputs() with { GradientCheckpointing = true });
        // the backward of one half at a time: the MLP's 4·(3I + 2h) = 104 (the attention's 4·(2h + 2(H·D + 2Hkv·D)) =
        // 96), and the mid-layer residual's gradient 4h
        long persistent = 2752, batch = 1760, backward = 2 * 8 * (104 + 16) + 2 * 1024 * 40;
        // per row: every layer's checkpoint, 8 tokens × (4·(h + h + H·D) + 4·H), plus the recomputed half's 8 × 116,
        // the top, the mask
        long checkpointed = 2 * (8 * (56 + 116) + 8 * 16 + 5 * 60 + 256);
        Assert.Equal(checkpointed, plan["activations_checkpointed"]);
        Assert.Equal(persistent + batch + checkpointed + backward, plan.Update);
        Assert.Equal(plan.UpdateCheckpointed, plan.Update);
        Assert.Equal(persistent + batch + 2 * (8 * 240 + 8 * 16 + 5 * 60 + 256) + 2 * 8 * 200 + 2 * 1024 * 40, plan.UpdateWithoutCheckpointing);
    }

    [Fact]
    public void ATokenBudgetPlansItsTokensAsShareOfFullRows()
    {
        long perRow = 8 * 240 + 8 * 16 + 5 * 60 + 256;   // a row of T = 8
        // 12 tokens: 1.5 rows' worth of every per-row term (rows of any length within 12 padded tokens hold no more)
        MemoryPlan plan = MemoryPlanner.Plan(Inputs() with { MicroBatchTokens = 12, MiniBatchRows = 4 });
        Assert.Equal(12, plan.MicroBatchTokens);
        Assert.Equal(perRow * 12 / 8, plan["activations"]);
        Assert.Equal(12 * 200 + 2 * 1024 * 40, plan["backward"]);
        // under a row's length: a longer row is its own micro-batch, so T; over the mini-batch: at most its rows
        Assert.Equal(8, MemoryPlanner.Plan(Inputs() with { MicroBatchTokens = 3, MiniBatchRows = 4 }).MicroBatchTokens);
        Assert.Equal(32, MemoryPlanner.Plan(Inputs() with { MicroBatchTokens = 1000, MiniBatchRows = 4 }).MicroBatchTokens);
        // the largest budget that fits: the free bytes over a token's share
        long budget = 2752 + 1760 + 81920 + 3 * (perRow + 8 * 200);
        MemoryPlan tight = MemoryPlanner.Plan(Inputs(budget) with { MicroBatchTokens = 32, MiniBatchRows = 4 });
        Assert.Equal(3 * 8, tight.MaxMicroBatchTokens);
        Assert.Contains("optim.micro_batch_tokens to at most 24", Assert.Single(tight.Problems));
    }

    [Fact]
    public void AKvCacheBudgetSamplesInChunksByTheTrainersFormula()
    {
        // 20 bytes of KV per position × 8 × 7/4 = 280 per row; 600 bytes: one group of 2 rows
        MemoryPlan plan = MemoryPlanner.Plan(Inputs() with { KvCacheBudget = 600 });
        Assert.Equal(280, RolloutChunk.KvBytesPerRow(Tiny, 4, 8));
        Assert.Equal(2, plan.RolloutRows);
        Assert.Equal(2 * 8 * 20, plan["kv_cache"]);
        Assert.Equal(4, MemoryPlanner.Plan(Inputs())["kv_cache"] / plan["kv_cache"] * plan.RolloutRows);
        // the prefill of one prompt (cache 3·20, a layer 3·(248 + 16), mask 3·3·4) now tops decoding's 320 + 240 + 2·2·40
        Assert.Equal(2752 + 640 + (60 + 3 * (248 + 16) + 36), plan.Sampling);
    }

    [Fact]
    public void MixedPrecisionAddsFp32MastersTheirGradientsAndFp32Moments()
    {
        MemoryPlan pure = MemoryPlanner.Plan(Inputs() with { DtypeBytes = 2 });
        MemoryPlan mixed = MemoryPlanner.Plan(Inputs() with { DtypeBytes = 2, MasterWeights = true });
        Assert.Equal((344, 0, 344, 688), (pure["weights"], pure["master_weights"], pure["gradients"], pure["optimizer"]));
        Assert.Equal((344, 688, 344 + 688, 1376), (mixed["weights"], mixed["master_weights"], mixed["gradients"], mixed["optimizer"]));
        Assert.Equal(688 + 688 + 688, mixed.Update - pure.Update);
        // with LoRA the masters are the adapters' (60 parameters)
        MemoryPlan lora = MemoryPlanner.Plan(Inputs() with { DtypeBytes = 2, MasterWeights = true, Lora = new LoraOptions { Rank = 2, TargetModules = ["q_proj", "k_proj", "v_proj", "down_proj"] } });
        Assert.Equal((2 * 232, 240, 120 + 240, 480), (lora["weights"], lora["master_weights"], lora["gradients"], lora["optimizer"]));
    }

    [Fact]
    public void MixedPrecisionNeedsATwoByteModel()
    {
        var e = Assert.Throws<Ispo.Training.Configuration.ConfigException>(() => Ispo.Training.Configuration.TrainConfig.Load(null, ["model.mixed_precision=true"]));
        Assert.Contains("mixed_precision", e.Message);
        Assert.True(MemoryPlanner.Plan(PlanInputs.From(Ispo.Training.Configuration.TrainConfig.Load(null, ["model.dtype=bfloat16", "model.mixed_precision=true"]),
            Ispo.Models.Pretrained.ModelInit.Preset("tiny")))["master_weights"] > 0);
    }
}

