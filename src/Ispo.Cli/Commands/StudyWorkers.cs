// `ispo study --jobs N`: each cell of the plan runs in a child `ispo study … --cell I` process (libtorch's thread
// settings and random generators are per process, so a cell computes exactly what it computes alone), N at a time in
// CellSchedule's order; their lines are passed through as they come. The parent then aggregates as a plain study would.
using System.Diagnostics;
using Ispo.Training.Study;

namespace Ispo.Cli.Commands;

internal static class StudyWorkers
{
    public static void Run(StudyOptions options, int jobs, IReadOnlyList<string> commandTokens, TextWriter output, CancellationToken cancel)
    {
        IReadOnlyList<StudyCell> cells = StudyPlan.Cells(options);
        var gate = new object();
        void Say(string line)
        {
            lock (gate) output.WriteLine(line);
        }
        CellSchedule.RunAsync(cells, jobs, (index, token) => RunChild(cells[index], [.. commandTokens, "--cell", index.ToString(System.Globalization.CultureInfo.InvariantCulture)], Say, token), cancel)
            .GetAwaiter().GetResult();
    }

    static async Task<int> RunChild(StudyCell cell, IReadOnlyList<string> args, Action<string> say, CancellationToken cancel)
    {
        var (file, prefix) = Self();
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in prefix.Concat(args)) start.ArgumentList.Add(arg);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start a worker: {file}");
        string label = $"{cell.Size} seed {cell.Seed}";
        say($"{label}: worker started (pid {child.Id}) for {string.Join(", ", cell.Methods.Select(m => m.Name))}");
        var clock = Stopwatch.StartNew();
        child.OutputDataReceived += (_, e) => { if (e.Data is { } line) say(line); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is { } line) say($"{label}: {line}"); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            await child.WaitForExitAsync(cancel);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true); // the cell is resumable: the next run continues from its checkpoints
            await child.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        say($"{label}: worker finished in {clock.Elapsed:h\\:mm\\:ss} (exit code {child.ExitCode})");
        return child.ExitCode;
    }

    /// <summary>How to start this CLI again: the `ispo` app host itself, or `dotnet ispo.dll` (also when the CLI runs
    /// inside another host, as in the tests).</summary>
    static (string File, string[] Prefix) Self()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "ispo") return (process, []);
        string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (dotnet, [typeof(StudyWorkers).Assembly.Location]);
    }
}
