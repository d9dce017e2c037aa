// Picks the live display on an interactive terminal and plain lines everywhere else.
namespace Ispo.Training.Progress;

public static class ProgressReporters
{
    /// <summary>Live Spectre panel when <paramref name="output"/> is the real, non-redirected console; plain lines otherwise.</summary>
    public static IProgressReporter Create(string title, TextWriter output, int every = 1) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            ? new LiveProgressReporter(title)
            : new PlainProgressReporter(output, every);
}
