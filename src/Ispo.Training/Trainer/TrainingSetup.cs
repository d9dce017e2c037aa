// What `ispo train`, `ispo sft` and the demo share: finding the starting model (a local or Hub checkpoint, or a
// fresh preset written into the run folder), the training problems (synthetic tiers or a dataset), and the
// rollout environment (template, chat format, math reward).
using Ispo.MathVerify.Rewards;
using Ispo.Models;
using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;
using Ispo.Training.Configuration;
using Ispo.Training.Data;
using Ispo.Training.Hub;
using Ispo.Training.Rollouts;
using Ispo.Training.Tasks;

namespace Ispo.Training.Trainer;

public static class TrainingSetup
{
    /// <summary>The development setup keeps data in ../shared/data next to the repository; elsewhere data comes from the Hub.</summary>
    public static string? DefaultDataDir()
    {
        string shared = Path.GetFullPath(Path.Combine("..", "shared", "data"));
        return Directory.Exists(shared) ? shared : null;
    }

    /// <summary>model.path (a folder, or a Hub repo downloaded into the cache), else model.preset initialised once into
    /// <c>runDir/initial-model</c> with run.seed (kept, so a resumed run and the base policy see the same start).</summary>
    public static string ResolveModelDir(TrainConfig config, string runDir, string? dataDir, CancellationToken cancel = default)
    {
        if (config.Model.Path is { } path)
            return Directory.Exists(path) ? path
                : HubResolver.ResolveModelAsync(path, dataDir, new HubClient(HubOptions.FromEnvironment()), cancellationToken: cancel).GetAwaiter().GetResult();
        string initial = Path.Combine(runDir, "initial-model");
        AtomicFolder.Recover(runDir);  // a start killed while writing it left only a temp folder
        if (!Directory.Exists(initial))
            AtomicFolder.Publish(initial, dir => ModelInit.Create(ModelInit.Preset(config.Model.Preset!), dir, config.Run.Seed));
        return initial;
    }

    /// <summary>Training problems: a fixed pool from the synthetic tiers' train split, or the configured dataset
    /// (rows without a gold answer are dropped: they cannot be rewarded).</summary>
    public static IReadOnlyList<TrainingProblem> Problems(TrainConfig config, string? dataDir)
    {
        if (config.Data.Task == TaskKind.Synthetic)
            return Enumerable.Range(0, config.Data.SyntheticPool)
                .Select(i => SyntheticArithmetic.SampleMixed(config.Data.Tiers, config.Run.Seed + 1, i))
                .Select((p, i) => new TrainingProblem($"synthetic-{i}", p.Prompt, p.AnswerText, p.Tier))
                .ToList();
        string name = config.Data.Dataset!;
        Dataset dataset = File.Exists(name) ? DatasetRegistry.LoadFile(Path.GetFileNameWithoutExtension(name), name)
            : DatasetRegistry.ResolveAsync(name, dataDir, new HubClient(HubOptions.FromEnvironment())).GetAwaiter().GetResult();
        List<TrainingProblem> problems = dataset.Problems.Where(p => !string.IsNullOrWhiteSpace(p.Answer))
            .Select(p => new TrainingProblem(p.Id, p.Problem, p.Answer)).ToList();
        return problems.Count > 0 ? problems
            : throw new InvalidDataException($"data.dataset {name}: none of its {dataset.Problems.Count} rows has a gold answer to reward; nothing to train on");
    }

    /// <summary>
    /// Refuses a prompt that cannot fit the model with its rollout: prompt tokens + rollout.max_new_tokens must be at
    /// most max_position_embeddings (positions beyond it were never trained and RoPE tables end there). A text longer
    /// than <see cref="CharsPerPosition"/> characters per position is refused before it is tokenized, so one huge row
    /// costs no more than reading it. Returns the longest prompt in tokens (1 when there are none), for the memory plan.
    /// </summary>
    public static int CheckPromptsFit(TrainConfig config, IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env, int maxPositions)
    {
        int budget = maxPositions - config.Rollout.MaxNewTokens;
        string source = config.Data.Task == TaskKind.Dataset ? $"data.dataset {config.Data.Dataset}" : "the synthetic task";
        if (budget < 1)
            throw new InvalidDataException($"rollout.max_new_tokens {config.Rollout.MaxNewTokens} leaves no room for a prompt in the model's {maxPositions} positions");
        int longest = 1;
        foreach (TrainingProblem problem in problems)
        {
            int tokens = problem.Question.Length > (long)budget * CharsPerPosition ? int.MaxValue : env.EncodePrompt(problem).Length;
            if (tokens > budget)
                throw new InvalidDataException($"{source}, problem '{problem.Id}': its prompt is {(tokens == int.MaxValue ? $"{problem.Question.Length} characters" : $"{tokens} tokens")}, "
                    + $"more than the {budget} tokens the model's {maxPositions} positions leave beside rollout.max_new_tokens {config.Rollout.MaxNewTokens}; "
                    + "remove or shorten it, or lower rollout.max_new_tokens");
            longest = Math.Max(longest, tokens);
        }
        return longest;
    }

    /// <summary>More characters than any tokenizer puts into one token on average over a whole prompt.</summary>
    public const int CharsPerPosition = 64;

    /// <summary>model.device, checked against this build's libtorch (a CUDA device on a CPU-only build is refused here,
    /// naming the build switch).</summary>
    public static TorchSharp.torch.Device Device(TrainConfig config) => TorchDevices.Resolve(config.Model.Device);

    public static TaskFormat Format(LoadedModel policy, TrainConfig config) => TaskFormat.For(policy, config.Data.Template, config.Data.ChatFormat);

    public static IRolloutEnvironment Environment(LoadedModel policy, TrainConfig config) => Format(policy, config).Environment(new MathReward());

    /// <summary>Applies model.gradient_checkpointing and model.lora to a freshly loaded policy: new adapters drawn with
    /// run.seed (a resumed run then loads its saved ones over them).</summary>
    public static void PreparePolicy(CausalLM policy, TrainConfig config)
    {
        policy.GradientCheckpointing = config.Model.GradientCheckpointing;
        if (config.Model.Lora is { } lora) LoraAdapters.Attach(policy, lora.ToOptions(), config.Run.Seed);
    }

    /// <summary>The frozen base policy π_θ0: with LoRA and no model.base_path, the policy with its adapters off (no
    /// second model in memory); else what <paramref name="load"/> loads.</summary>
    public static Func<CausalLM> BaseModel(TrainConfig config, CausalLM policy, Func<CausalLM> load) =>
        policy.Lora is not null && config.Model.BasePath is null ? policy.WithoutAdapters : load;

    /// <summary>A model folder loaded as the recipe says: model.dtype, model.device, model.cpu_kernels.</summary>
    public static LoadedModel LoadModel(string dir, TrainConfig config) =>
        LoadedModel.LoadPretrained(dir, ScalarTypeOf(config.Model.Dtype), Device(config), config.Model.CpuKernels);

    static TorchSharp.torch.ScalarType ScalarTypeOf(ModelDtype dtype) => dtype switch
    {
        ModelDtype.Bfloat16 => TorchSharp.torch.ScalarType.BFloat16,
        ModelDtype.Float16 => TorchSharp.torch.ScalarType.Float16,
        _ => TorchSharp.torch.ScalarType.Float32,
    };

    /// <summary>Which operations run <paramref name="model"/>, for a log line.</summary>
    public static string KernelsNote(CausalLM model) => model.UsesCpuKernels ? "Ispo's CPU kernels" : "libtorch operations only";

    public static int PadTokenId(LoadedModel policy) => policy.Config.PadTokenId ?? policy.Tokenizer.PadId ?? policy.EosTokenIds[0];
}
