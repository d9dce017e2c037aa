// `ispo report RUN_DIR [RUN_DIR…]`: a markdown report with PNG plots, several runs overlaid.
using System.CommandLine;
using Ispo.Training.Reports;

namespace Ispo.Cli.Commands;

public static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("RUN_DIR") { Description = "Run directories (each holding metrics.jsonl).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string?>("--out") { Description = "Output folder; default RUN_DIR/report for one run, ./report for several." };
        var command = new Command("report", "Write a markdown report with plots (reward, zero-advantage rate, critical-token entropy, IFD, critical sets) for one or more runs.");
        command.Arguments.Add(runs);
        command.Options.Add(outDir);
        command.SetAction(parse =>
        {
            string[] dirs = parse.GetValue(runs) ?? [];
            string[] absent = dirs.Where(d => !Directory.Exists(d)).ToArray();
            if (absent.Length > 0)
            {
                parse.InvocationConfiguration.Error.WriteLine("run directory not found: " + string.Join(", ", absent));
                return 2;
            }
            string target = parse.GetValue(outDir) ?? (dirs.Length == 1 ? Path.Combine(dirs[0], "report") : "report");
            string report = ReportWriter.Write(dirs, target);
            parse.InvocationConfiguration.Output.WriteLine("report: " + report);
            return 0;
        });
        return command;
    }
}
