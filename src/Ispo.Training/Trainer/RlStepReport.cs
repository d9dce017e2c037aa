// What one RL step produced: its metrics row (TRL names plus ispo/… and timing/…) and the rollouts it trained on.
using Ispo.Training.Rollouts;

namespace Ispo.Training.Trainer;

public sealed record RlStepReport(int Step, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<Rollout> Rollouts,
    IReadOnlyList<double> FinalRewards, IReadOnlyList<double> Advantages, bool UpdateSkipped);

/// <summary>Receives progress from the trainer (console, run directory); the trainer itself never logs.</summary>
public interface ITrainingObserver
{
    void OnPhase(int step, string phase);
}
