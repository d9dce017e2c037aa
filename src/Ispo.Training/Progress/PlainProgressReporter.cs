// Progress as plain log lines (stdout redirected, CI, tests): one line per step and per logged event.
namespace Ispo.Training.Progress;

public sealed class PlainProgressReporter(TextWriter output, int every = 1) : IProgressReporter
{
    public void Phase(string phase) { }  // too chatty for a log; step lines carry the timings

    public void Step(ProgressSnapshot snapshot)
    {
        if (snapshot.Step % every == 0 || snapshot.Step == snapshot.TotalSteps)
            output.WriteLine(snapshot.ToLine());
    }

    public void Log(string message) => output.WriteLine(message);

    public void Dispose() => output.Flush();
}
