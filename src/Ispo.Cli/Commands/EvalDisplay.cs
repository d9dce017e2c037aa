// How `ispo eval` shows itself: a Spectre progress bar per benchmark and a results table on a terminal, plain
// lines (progress per batch, then the markdown table) when the output is redirected or captured.
using System.Globalization;
using Ispo.Training.Data;
using Ispo.Training.Evaluation;
using Spectre.Console;

namespace Ispo.Cli.Commands;

internal abstract class EvalDisplay
{
    public delegate EvaluationResults Evaluation(IProgress<EvalProgress> progress, CancellationToken cancellationToken);

    public static EvalDisplay For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? new Terminal() : new Plain(output);

    public abstract EvaluationResults Run(IReadOnlyList<Dataset> benchmarks, Evaluation evaluation, CancellationToken cancellationToken);

    public abstract void ShowResults(EvaluationResults results);

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    sealed class Callback(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }

    sealed class Plain(TextWriter output) : EvalDisplay
    {
        public override EvaluationResults Run(IReadOnlyList<Dataset> benchmarks, Evaluation evaluation, CancellationToken cancellationToken) =>
            evaluation(new Callback(p => output.WriteLine($"{p.Benchmark} {p.Done}/{p.Total}")), cancellationToken);

        public override void ShowResults(EvaluationResults results) => output.Write(ResultsWriter.ToMarkdown(results));
    }

    sealed class Terminal : EvalDisplay
    {
        public override EvaluationResults Run(IReadOnlyList<Dataset> benchmarks, Evaluation evaluation, CancellationToken cancellationToken) =>
            AnsiConsole.Progress().AutoClear(false).Start(context =>
            {
                var tasks = benchmarks.ToDictionary(b => b.Name, b => context.AddTask(b.Name, maxValue: Math.Max(1, b.Problems.Count)));
                return evaluation(new Callback(p =>
                {
                    ProgressTask task = tasks[p.Benchmark];
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }), cancellationToken);
            });

        public override void ShowResults(EvaluationResults results)
        {
            IReadOnlyList<int> ks = results.Average.PassAt.Keys.Order().ToList();
            var table = new Table().AddColumns(["benchmark", "problems", "samples", .. ks.Select(k => $"pass@{k}"), "no answer", "mean length"]);
            foreach ((string name, BenchmarkMetrics m) in results.Benchmarks.Append(("[bold]average[/]", results.Average)))
                table.AddRow([name, $"{m.Problems}", $"{m.SamplesPerProblem}",
                    .. ks.Select(k => m.PassAt.TryGetValue(k, out double v) ? Percent(v) : "–"), Percent(m.ExtractionFailureRate),
                    m.MeanLength.ToString("F1", CultureInfo.InvariantCulture)]);
            AnsiConsole.Write(table);
        }

        static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture);
    }
}
