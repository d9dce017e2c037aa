// Runs the CLI in-process with captured output, or as its own process (which a crash point may kill), and temporary
// model directories for command tests.
using System.Diagnostics;
using Ispo.Models.Checkpoints;

namespace Ispo.Cli.Tests.Commands;

internal static class CliRun
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = IspoCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs `dotnet ispo.dll args` as a process, killed at <paramref name="crashAt"/> (CrashPoints) when given;
    /// returns its exit code (137 when killed) and its stdout and stderr.</summary>
    public static (int Code, string Output) Process(IEnumerable<string> args, string? crashAt)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args.Prepend(Path.Combine(AppContext.BaseDirectory, "ispo.dll"))) start.ArgumentList.Add(arg);
        start.Environment.Remove(CrashPoints.Variable);
        if (crashAt is not null) start.Environment[CrashPoints.Variable] = crashAt;
        using Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(); throw new TimeoutException($"ispo {args.First()} did not finish ({crashAt})"); }
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>A fresh directory under the temp folder holding a tiny model.</summary>
    public static string TinyModel()
    {
        string dir = NewDir();
        var (code, _, err) = Run("model", "init", "--preset", "tiny", "--out", dir, "--seed", "3");
        Assert.True(code == 0, err);
        return dir;
    }

    public static string NewDir() => Path.Combine(Directory.CreateTempSubdirectory("ispo-cli-").FullName, "model");
}
