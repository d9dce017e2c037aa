// One trainer for every recipe (GRPO, Dr. GRPO, DAPO-style, ISPO and its ablations): each step samples G
// rollouts per prompt, verifies them, runs the scoring passes the configured components need, shapes rewards,
// computes advantages and applies μ epochs of clipped-surrogate updates. Phases read top-down in Step().
using System.Diagnostics;
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Runtime;
using Ispo.Models.Sampling;
using Ispo.Training.Configuration;
using Ispo.Training.Engines;
using Ispo.Training.Reports;
using Ispo.Training.Rollouts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

public sealed class RlTrainer : IDisposable
{
    readonly TrainConfig config;
    readonly CausalLM policy;
    readonly Lazy<CausalLM> baseModel;
    readonly IRolloutEnvironment env;
    readonly AlgorithmPipeline algorithm;
    readonly AdamW optimizer;
    readonly LearningRateSchedule schedule;
    readonly int padTokenId;
    readonly IRolloutEngine engine;
    /// <summary>fp32 masters under model.mixed_precision (the optimizer steps them); null otherwise.</summary>
    readonly MasterWeights? masters;
    bool engineSynced;

    /// <param name="engine">Samples the rollouts (owned: disposed with the trainer); the local sampler by default.</param>
    public RlTrainer(TrainConfig config, CausalLM policy, Func<CausalLM> loadBaseModel, IRolloutEnvironment env,
        IReadOnlyList<TrainingProblem> problems, int padTokenId, IRolloutEngine? engine = null)
    {
        this.engine = engine ?? new LocalRolloutEngine(policy);
        this.config = config;
        this.policy = policy;
        this.env = env;
        this.padTokenId = padTokenId;
        baseModel = new Lazy<CausalLM>(() =>
        {
            CausalLM reference = loadBaseModel();
            DeviceGuard.ExpectModule(reference, policy.Device, "the frozen base policy");
            return reference;
        });
        algorithm = AlgorithmPipeline.From(config);
        OptimConfig o = config.Optim;
        DeviceGuard.ExpectModule(policy, policy.Device, "the policy the optimizer steps");
        masters = config.Model.MixedPrecision ? MasterWeights.Create(policy) : null;
        optimizer = masters is null ? Optimizers.AdamW(policy, o.Lr, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
            : Optimizers.AdamW(masters.Parameters, o.Lr, o.Beta1, o.Beta2, o.Eps, o.WeightDecay);
        schedule = new LearningRateSchedule(o.Lr, o.WarmupSteps, config.Run.Steps,
            o.Schedule, o.MinLrRatio);
        Cursor = new PromptCursor(problems, config.Run.Seed, config.Data.Shuffle);
    }

    /// <summary>Steps completed so far (the next step's index).</summary>
    public int Step { get; private set; }
    public int ConsecutiveNonFinite { get; private set; }
    public PromptCursor Cursor { get; }
    public AdamW Optimizer => optimizer;
    /// <summary>fp32 masters under model.mixed_precision (checkpoints save and restore them); null otherwise.</summary>
    public MasterWeights? Masters => masters;
    public bool BaseModelLoaded => baseModel.IsValueCreated;

    /// <summary>Runs one step and advances <see cref="Step"/>.</summary>
    public RlStepReport RunStep(ITrainingObserver? observer = null)
    {
        var timer = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        int step = Step;

        if (!engineSynced) SyncEngine(timings, step); // the first step of this trainer, a resumed one included
        observer?.OnPhase(step, "sampling");
        (List<Rollout> rollouts, int rounds) = Time(timings, "sampling", () => DeviceGuard.At("sampling", () => CollectRollouts(step)));

        observer?.OnPhase(step, "scoring");
        rollouts = Time(timings, "scoring", () => DeviceGuard.At("scoring", () => RolloutScoring.Complete(rollouts, algorithm.Needs, policy,
            () => baseModel.Value, RowsPerPass, ScoringTemperature)));

        using var scope = NewDisposeScope();
        observer?.OnPhase(step, "signals");
        using RolloutBatch batch = RolloutBatch.Build(rollouts, config.Rollout.GroupSize, padTokenId, algorithm.Needs, policy.Device);
        (RewardShaping shaped, Tensor advantages, MetricsBag diagnostics) = Time(timings, "signals", () => Signals(batch.Batch));

        observer?.OnPhase(step, "update");
        policy.Lora?.SeedDropout(Seeds.Mix(config.Run.Seed, step, 4));
        double lr = schedule.At(step);
        Optimizers.SetLearningRate(optimizer, lr);
        (Tensor weighted, MetricsBag offPolicy) = config.Rollout.IsCap > 0 && rollouts.Any(r => r.EngineLogProbs is not null)
            ? DeviceGuard.At("truncated importance sampling", () => TruncatedImportanceSampling.Reweight(rollouts, batch.Batch.ResponseMask, advantages, config.Rollout.IsCap))
            : (advantages, new MetricsBag());
        UpdateResult update = Time(timings, "update", () => DeviceGuard.At("update", () => PolicyUpdater.Update(policy, optimizer, batch, weighted,
            algorithm.Loss, UpdateOptionsFor(batch.Batch.Rows), new Random(Seeds.Mix(config.Run.Seed, step, 2)), masters)));

        if (engine.SyncsWeights) observer?.OnPhase(step, "weight_sync");
        SyncEngine(timings, step + 1);

        ConsecutiveNonFinite = update.SkippedNonFinite > 0 ? ConsecutiveNonFinite + 1 : 0;
        Step++;
        var metrics = new MetricsBag().Merge(diagnostics).Merge(shaped.Metrics).Merge(update.Metrics).Merge(LogProbGap.Metrics(rollouts)).Merge(offPolicy);
        metrics.Set(MetricNames.LearningRate, lr);
        metrics.Set(MetricNames.SamplingRounds, rounds);
        metrics.Set(MetricNames.SkippedNonFinite, update.SkippedNonFinite);
        foreach (var (phase, seconds) in timings) metrics.Set(MetricNames.PhaseTime(phase), seconds);
        metrics.Set(MetricNames.StepTime, timer.Elapsed.TotalSeconds);
        metrics.Set(MetricNames.TokensPerSecond, metrics.GetValueOrDefault(MetricNames.NumTokens) / Math.Max(1e-9, timings["sampling"]));
        return new RlStepReport(step, metrics, rollouts, ToList(shaped.Rewards), ToList(batch.Batch.PerRollout(advantages)), update.SkippedNonFinite > 0);
    }

    /// <summary>Samples groups; with a group filter (dynamic sampling) keeps re-sampling new prompts until enough
    /// groups pass or the round cap is hit, then trains on what passed (or on the last round if nothing did).</summary>
    (List<Rollout> Rollouts, int Rounds) CollectRollouts(int step)
    {
        int prompts = config.Data.PromptsPerStep, g = config.Rollout.GroupSize;
        int maxRounds = algorithm.Filter?.MaxRounds ?? 1;
        var kept = new List<Rollout>();
        List<Rollout> last = [];
        int round = 0;
        while (round < maxRounds && kept.Count < prompts * g)
        {
            IReadOnlyList<TrainingProblem> problems = Cursor.Draw(prompts);
            last = engine.Generate(problems, env, SamplingFor(step, round), new RolloutRequest(round * prompts,
                algorithm.Needs.HasFlag(BatchInputs.AblatedAnswer) ? RowsPerPass : 0,
                algorithm.Needs.HasFlag(BatchInputs.AnswerSegment) ? AnswerSpan.Segment : AnswerSpan.Content, RowsPerPass, ScoringTemperature,
                Planning.RolloutChunk.Budget(config.Rollout)));
            round++;
            if (algorithm.Filter is null) return (last, round);
            kept.AddRange(FilterGroups(last));
        }
        List<Rollout> chosen = kept.Count == 0 ? last : kept.Take(Math.Min(kept.Count, prompts * g)).ToList();
        return (chosen, round);
    }

    /// <summary>The groups the filter keeps, already carrying every scoring pass: judging by final reward runs the
    /// shapers, which need them, and the step then reuses them instead of scoring the kept groups again.</summary>
    IEnumerable<Rollout> FilterGroups(List<Rollout> rollouts)
    {
        using var scope = NewDisposeScope();
        List<Rollout> scored = RolloutScoring.Complete(rollouts, algorithm.Needs, policy, () => baseModel.Value, RowsPerPass,
            ScoringTemperature);
        using RolloutBatch batch = RolloutBatch.Build(scored, config.Rollout.GroupSize, padTokenId, algorithm.Needs, policy.Device);
        RewardShaping shaped = algorithm.ShapeRewards(batch.Batch);
        bool[] keep = algorithm.KeepGroups(batch.Batch, shaped.Rewards);
        int g = config.Rollout.GroupSize;
        return scored.Where((_, i) => keep[i / g]);
    }

    /// <summary>Puts the policy's weights on a remote engine (timed as time/weight_sync); the local sampler needs nothing.</summary>
    void SyncEngine(Dictionary<string, double> timings, int updates)
    {
        if (engine.SyncsWeights) Time(timings, "weight_sync", () => { engine.SyncWeights(updates); return 0; });
        engineSynced = true;
    }

    (RewardShaping Shaped, Tensor Advantages, MetricsBag Diagnostics) Signals(GroupedBatch batch)
    {
        batch.Validate(algorithm.Needs);
        RewardShaping shaped = algorithm.ShapeRewards(batch);
        Tensor advantages = algorithm.Advantages(batch, shaped.Rewards);
        MetricsBag diagnostics = DeviceGuard.At("batch diagnostics", () => BatchDiagnostics.Compute(batch, shaped.Rewards, advantages));
        return (shaped, advantages, diagnostics);
    }

    SamplingOptions SamplingFor(int step, int round) =>
        RolloutSampling.Options(config, policy, env, padTokenId, Seeds.Mix(config.Run.Seed, step, 1000 + round));

    UpdateOptions UpdateOptionsFor(int rows) => new(config.Optim.Epochs, Math.Min(rows, config.Optim.MiniBatchSize ?? rows),
        config.Optim.GradAccumulation, config.Optim.GradClip, Temperature: ScoringTemperature, MicroBatchTokens: config.Optim.MicroBatchTokens);

    double ScoringTemperature => RolloutSampling.LogProbTemperature(config);

    int RowsPerPass => config.RowsPerScoringPass;

    static T Time<T>(Dictionary<string, double> timings, string phase, Func<T> run)
    {
        var watch = Stopwatch.StartNew();
        T result = run();
        timings[phase] = timings.GetValueOrDefault(phase) + watch.Elapsed.TotalSeconds;
        return result;
    }

    static List<double> ToList(Tensor t) => t.to(ScalarType.Float64).cpu().data<double>().ToList();

    /// <summary>Restores the step counter, data cursor and failure streak (weights, masters and optimizer are loaded separately).</summary>
    public void Restore(int step, long promptPosition, int consecutiveNonFinite)
    {
        Step = step;
        Cursor.Position = promptPosition;
        ConsecutiveNonFinite = consecutiveNonFinite;
    }

    public void Dispose()
    {
        optimizer.Dispose();
        masters?.Dispose();
        engine.Dispose();
        if (baseModel.IsValueCreated && !ReferenceEquals(baseModel.Value, policy)) baseModel.Value.Dispose();
    }
}
