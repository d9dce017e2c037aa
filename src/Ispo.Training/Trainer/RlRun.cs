// A whole RL run on disk: starts or resumes runs/<name>/, drives the trainer step by step, logs metrics and
// sampled rollouts, checkpoints every N steps and at the end, stops cleanly on cancellation (Ctrl-C) after saving,
// and stops with an error after too many non-finite updates in a row (never checkpointing broken weights).
using Ispo.Models;
using Ispo.Models.Checkpoints;
using Ispo.Models.Runtime;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Rollouts;
using Ispo.Training.Runs;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

public sealed record RlRunResult(string RunDir, int Steps, bool Cancelled, string? FinalCheckpoint);

public sealed class NonFiniteLossException(string message) : Exception(message);

public sealed class RlRun(TrainConfig config, CausalLM policy, string? modelSourceDir, Func<CausalLM> loadBaseModel,
    IRolloutEnvironment env, IReadOnlyList<TrainingProblem> problems, int padTokenId, IProgressReporter progress,
    Func<IReadOnlyDictionary<string, double>>? evaluate = null)
{
    /// <summary>Runs until run.steps, cancellation, or too many non-finite updates; returns where it stopped.</summary>
    public RlRunResult Execute(bool resume = false, CancellationToken cancel = default, RunDirectory? directory = null)
    {
        using Session session = Start(resume, directory);
        while (!session.Done && !cancel.IsCancellationRequested) session.Step();
        return session.Finish(cancel.IsCancellationRequested);
    }

    /// <summary>Opens (or resumes) the run for stepping by the caller, e.g. in lockstep with another run so that
    /// both see the same machine when their step times are compared.</summary>
    public Session Start(bool resume = false, RunDirectory? directory = null) => new(this, directory ?? RunDirectory.Start(config, resume), resume);

    /// <summary>An open run: its trainer, run folder and metric sinks.</summary>
    public sealed class Session : IDisposable
    {
        readonly RlRun owner;
        readonly RunDirectory run;
        readonly RlTrainer trainer;
        readonly IMetricsSink sink;
        readonly int startStep;
        readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew(); // wall time: in lockstep it covers both runs' steps, so the ETA stays right
        readonly PhaseObserver observer;
        string? checkpoint;
        int savedStep = -1;                                     // the step `checkpoint` holds: never saved twice
        bool sinkClosed;

        internal Session(RlRun owner, RunDirectory run, bool resume)
        {
            (this.owner, this.run) = (owner, run);
            TrainConfig config = owner.config;
            trainer = owner.NewTrainer(run.Root);
            if (resume && run.Checkpoints.Latest() is { } latest)
            {
                TrainerState state = TrainerCheckpoint.Load(latest, owner.policy, trainer.Optimizer, trainer.Masters);
                trainer.Restore(state.Step, state.DataCursor, state.ConsecutiveNonFinite);
                (checkpoint, savedStep) = (latest, state.Step);
                run.TruncateLogsAfter(state.Step);
                owner.progress.Log($"resumed from {latest} at step {state.Step}");
            }
            else if (resume)
            {
                owner.progress.Log($"--resume: no complete checkpoint in {run.Checkpoints.Root}; starting from step 0, logs cleared");
                run.TruncateLogsAfter(0);
            }
            startStep = trainer.Step;
            observer = new PhaseObserver(owner.progress);
            sink = run.OpenMetricsSinks(config.Run.Tensorboard);
        }

        public bool Done => trainer.Step >= owner.config.Run.Steps;

        /// <summary>One training step, logged, and checkpointed when due.</summary>
        public void Step()
        {
            TrainConfig config = owner.config;
            // no collection inside a step: the progress display's thread allocates while this one is in libtorch
            RlStepReport report = NoCollection.Run(() => trainer.RunStep(observer));
            int step = trainer.Step;
            sink.Write(step, owner.WithEvaluation(step, report.Metrics));
            run.AppendGroups(Groups(step, report));
            if (config.Run.SampleEvery > 0 && step % config.Run.SampleEvery == 0) run.AppendSamples(owner.Samples(step, report));
            owner.progress.Step(new ProgressSnapshot(step, config.Run.Steps, step - startStep, clock.Elapsed,
                report.Metrics.GetValueOrDefault("reward"), report.Metrics.GetValueOrDefault("frac_reward_zero_std"),
                report.Metrics.GetValueOrDefault("tokens_per_second")));
            if (report.UpdateSkipped) owner.progress.Log($"step {step}: non-finite loss or gradient, update skipped ({trainer.ConsecutiveNonFinite} in a row)");
            if (trainer.ConsecutiveNonFinite >= config.Run.MaxConsecutiveNan)
                throw new NonFiniteLossException($"stopping: {trainer.ConsecutiveNonFinite} non-finite updates in a row (run.max_consecutive_nan = {config.Run.MaxConsecutiveNan}); last good checkpoint: {run.Checkpoints.Latest() ?? "none"}");
            CrashPoints.Reach("step.logged");
            if (config.Run.CheckpointEvery > 0 && step % config.Run.CheckpointEvery == 0 && step < config.Run.Steps)
                (checkpoint, savedStep) = (owner.Save(run, trainer), step);
        }

        /// <summary>Closes the metric sinks and saves the final checkpoint, unless the current step is already saved (a
        /// Ctrl-C right after a periodic checkpoint, or a resume with nothing run): a re-save would only replace a
        /// complete checkpoint with an identical one.</summary>
        public RlRunResult Finish(bool cancelled)
        {
            CloseSink();
            if (checkpoint is null || savedStep != trainer.Step) (checkpoint, savedStep) = (owner.Save(run, trainer), trainer.Step);
            return new RlRunResult(run.Root, trainer.Step, cancelled, checkpoint);
        }

        public void Dispose()
        {
            CloseSink();
            trainer.Dispose();
        }

        void CloseSink()
        {
            if (!sinkClosed) sink.Dispose();
            sinkClosed = true;
        }
    }

    readonly TrainConfig config = config;
    readonly CausalLM policy = policy;
    readonly IProgressReporter progress = progress;

    RlTrainer NewTrainer(string runDir) => new(config, policy, loadBaseModel, env, problems, padTokenId,
        Engines.RolloutEngines.Create(config.Rollout, policy, modelSourceDir, runDir));

    /// <summary>Adds held-out results every eval.every steps and at the last step.</summary>
    IReadOnlyDictionary<string, double> WithEvaluation(int step, IReadOnlyDictionary<string, double> metrics)
    {
        bool due = evaluate is not null && config.Eval.Every > 0 && (step % config.Eval.Every == 0 || step == config.Run.Steps);
        if (!due) return metrics;
        progress.Phase("evaluation");
        var merged = new Dictionary<string, double>(metrics);
        foreach (var (key, value) in evaluate!()) merged[key] = value;
        progress.Log($"step {step}: " + string.Join(", ", merged.Where(kv => kv.Key.StartsWith("eval/", StringComparison.Ordinal))
            .Select(kv => $"{kv.Key} {kv.Value:0.###}")));
        return merged;
    }

    string Save(RunDirectory run, RlTrainer trainer)
    {
        if (!ParametersFinite()) throw new NonFiniteLossException("refusing to checkpoint: the policy has non-finite parameters");
        var state = new TrainerState(trainer.Step, trainer.Cursor.Position, trainer.ConsecutiveNonFinite);
        string dir = run.Checkpoints.Save(trainer.Step, temp => TrainerCheckpoint.Save(temp, policy, modelSourceDir, trainer.Optimizer, trainer.Masters, state));
        progress.Log($"checkpoint {dir}");
        return dir;
    }

    bool ParametersFinite()
    {
        using var scope = NewDisposeScope();
        return policy.parameters().All(p => isfinite(p).all().item<bool>());
    }

    static IEnumerable<GroupRecord> Groups(int step, RlStepReport report) =>
        report.Rollouts.GroupBy(r => r.Group).Select(g => new GroupRecord(step, g.First().ProblemId, g.Count(r => r.Outcome > 0.5), g.Count()));

    IEnumerable<RolloutSample> Samples(int step, RlStepReport report)
    {
        int g = config.Rollout.GroupSize, count = Math.Min(config.Run.SamplesPerStep, report.Rollouts.Count);
        for (int i = 0; i < count; i++)
        {
            // Spread the written samples over groups: the first rollout of groups 0, 1, 2, … then the second, …
            int groups = report.Rollouts.Count / g, index = i % groups * g + i / groups;
            Rollout r = report.Rollouts[index];
            var breakdown = new Dictionary<string, double> { ["outcome"] = r.Outcome, ["shaping"] = report.FinalRewards[index] - r.Outcome };
            yield return new RolloutSample(step, r.Group, env.DecodePrompt(r.PromptTokens), r.Completion, r.Gold, r.Extracted,
                report.FinalRewards[index], report.Advantages[index], breakdown, r.Truncated);
        }
    }

    sealed class PhaseObserver(IProgressReporter progress) : ITrainingObserver
    {
        public void OnPhase(int step, string phase) => progress.Phase(phase);
    }
}
