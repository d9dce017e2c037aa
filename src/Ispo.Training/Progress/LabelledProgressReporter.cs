// One of several jobs reporting to the same display in turn: its phases and log lines carry its label.
namespace Ispo.Training.Progress;

/// <summary>Forwards to <paramref name="inner"/>, labelling phases and log lines; disposing it leaves the inner one open.</summary>
public sealed class LabelledProgressReporter(IProgressReporter inner, string label) : IProgressReporter
{
    public void Phase(string phase) => inner.Phase($"{label}: {phase}");

    public void Step(ProgressSnapshot snapshot) => inner.Step(snapshot with { Run = label });

    public void Log(string message) => inner.Log($"{label}: {message}");

    public void Dispose()
    {
    }
}
