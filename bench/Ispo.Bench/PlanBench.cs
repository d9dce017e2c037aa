// `plan` benchmark: the memory plan against measured peaks of real CPU training steps. Runs a recipe's steps in this
// process and reads the resident set's high-water mark (VmHWM) per phase, resetting it between phases
// (/proc/self/clear_refs), less the resident set before the model loads. Run it with glibc's allocator returning
// large blocks (bench/plan-vs-measured.sh sets MALLOC_MMAP_THRESHOLD_), so the resident set follows live tensors
// rather than the heap's high-water mark.
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Planning;
using Ispo.Training.Rollouts;
using Ispo.Training.Trainer;
using TorchSharp;

namespace Ispo.Bench;

public static class PlanBench
{
    /// <summary>args: recipe (configs/NAME.yaml) then key=value overrides, and `full-length` to drop the model's EOS so
    /// every rollout runs to max_new_tokens (the plan's worst case for the scoring passes; no KV compaction then). The
    /// first step warms up; later ones count.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        bool fullLength = args.Contains("full-length");
        args = args.Where(a => a != "full-length").ToArray();
        string recipe = args.Length > 0 ? args[0] : "ispo";
        string root = FindRoot();
        string runDir = Directory.CreateTempSubdirectory("ispo-plan-bench-").FullName;
        var overrides = new List<string> { $"run.out_dir={runDir}", "run.tensorboard=false", "eval.every=0", "run.steps=2" };
        overrides.AddRange(args.Skip(1));
        TrainConfig config = TrainConfig.Load(Path.Combine(root, "configs", recipe + ".yaml"), overrides);
        using (torch.zeros(1)) { } // libtorch loaded and initialised: part of the baseline
        string modelDir = TrainingSetup.ResolveModelDir(config, runDir, null);
        if (fullLength)
        {
            string file = Path.Combine(modelDir, ModelInit.ConfigFileName);
            File.WriteAllText(file, (Ispo.Models.Config.ModelConfig.Load(file) with { EosTokenIds = [] }).ToJson());
        }
        GC.Collect();
        long baseline = Rss("VmRSS");
        var dtype = config.Model.Dtype == ModelDtype.Float32 ? torch.ScalarType.Float32 : torch.ScalarType.BFloat16;
        using LoadedModel policy = LoadedModel.LoadPretrained(modelDir, dtype);
        TrainingSetup.PreparePolicy(policy.Model, config);   // model.lora, model.gradient_checkpointing
        IRolloutEnvironment env = TrainingSetup.Environment(policy, config);
        IReadOnlyList<TrainingProblem> problems = TrainingSetup.Problems(config, null);
        int longest = problems.Max(p => env.EncodePrompt(p).Length);
        MemoryPlan plan = MemoryPlanner.Plan(PlanInputs.From(config, policy.Config, longest));
        var observer = new PeakObserver(baseline);
        using var trainer = new RlTrainer(config, policy.Model,
            TrainingSetup.BaseModel(config, policy.Model, () => LoadedModel.LoadPretrained(modelDir, dtype).Model), env, problems,
            TrainingSetup.PadTokenId(policy));
        int steps = Math.Max(2, config.Run.Steps);
        for (int step = 0; step < steps; step++)
        {
            observer.Counting = step > 0;
            RlStepReport report = trainer.RunStep(observer);
            observer.OnPhase(step, "end");
            output.WriteLine($"step {step}: mean response {report.Metrics.GetValueOrDefault("completions/mean_length"):0.#} tokens, "
                + $"longest {report.Rollouts.Max(r => r.Length)}");
        }
        output.WriteLine($"{recipe} {string.Join(' ', args.Skip(1))}{(fullLength ? " full-length" : "")}: {plan.Parameters:N0} parameters, {plan.Rows} rows × {plan.SequenceTokens} tokens, "
            + $"micro-batch {plan.MicroBatchRows} rows ({plan.MicroBatchTokens:N0} tokens planned), rollout chunk {plan.RolloutRows} rows, "
            + $"{plan.TrainableParameters:N0} trainable, baseline RSS {ByteSize.Format(baseline)}");
        output.WriteLine($"{"phase",-10}{"measured",12}{"planned",12}{"planned/measured",18}{"floor at start",16}");
        foreach (var (phase, planned) in new[] { ("sampling", plan.Sampling), ("scoring", plan.Scoring), ("update", plan.Update) })
        {
            long measured = observer.Peaks.GetValueOrDefault(phase);
            output.WriteLine($"{phase,-10}{ByteSize.Format(measured),12}{ByteSize.Format(planned),12}{(double)planned / Math.Max(1, measured),18:0.000}{ByteSize.Format(observer.Floors.GetValueOrDefault(phase)),16}");
        }
        long peak = observer.Peaks.Values.Max();
        output.WriteLine($"{"peak",-10}{ByteSize.Format(peak),12}{ByteSize.Format(plan.Peak),12}{(double)plan.Peak / Math.Max(1, peak),18:0.000}");
        foreach (var (part, bytes) in plan.Bytes) output.WriteLine($"  {part,-26}{ByteSize.Format(bytes),12}");
        return 0;
    }

    /// <summary>Each phase's resident high-water mark above the baseline, the largest over the counted steps.</summary>
    sealed class PeakObserver(long baseline) : ITrainingObserver
    {
        string? phase;
        public bool Counting { get; set; }
        public Dictionary<string, long> Peaks { get; } = [];
        /// <summary>The resident set above the baseline as each phase starts: what the phases before it left behind
        /// (live tensors, and freed blocks the allocator keeps).</summary>
        public Dictionary<string, long> Floors { get; } = [];

        public void OnPhase(int step, string next)
        {
            if (phase is not null && Counting) Peaks[Key(phase)] = Math.Max(Peaks.GetValueOrDefault(Key(phase)), Rss("VmHWM") - baseline);
            File.WriteAllText("/proc/self/clear_refs", "5"); // the high-water mark restarts at the current resident set
            phase = next == "end" ? null : next;
            if (phase is not null && Counting && !Floors.ContainsKey(Key(phase))) Floors[Key(phase)] = Rss("VmRSS") - baseline;
        }

        // the signals phase holds nothing the update does not: both are the update's
        static string Key(string phase) => phase == "signals" ? "update" : phase;
    }

    static long Rss(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ispo.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
