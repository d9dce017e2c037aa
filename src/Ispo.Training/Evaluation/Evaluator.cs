// Evaluates benchmarks: renders prompts, asks the generator for the missing (problem, sample) pairs in batches,
// grades each completion, logs it to samples.jsonl as it goes, and computes and writes the metrics.
using Ispo.Training.Data;

namespace Ispo.Training.Evaluation;

public sealed class Evaluator(ICompletionGenerator generator, VerifyAnswer verify, EvalOptions? options = null)
{
    public const string SamplesFileName = "samples.jsonl";
    public const string SettingsFileName = "eval-settings.json";

    readonly EvalOptions options = Validate(options ?? new EvalOptions());

    public EvaluationResults Run(IReadOnlyList<Dataset> benchmarks, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string? samplesPath = options.OutputDir is null ? null : Path.Combine(options.OutputDir, SamplesFileName);
        if (options.OutputDir is not null) EvalSettings.Keep(Path.Combine(options.OutputDir, SettingsFileName), options.Settings, options.Resume);
        List<SampleRecord> records = LoadPrevious(samplesPath);
        using (StreamWriter? log = OpenLog(samplesPath))
        {
            foreach (Dataset benchmark in benchmarks)
                records.AddRange(EvaluateMissing(benchmark, records, log, progress, cancellationToken));
        }
        var results = Summarise(benchmarks, records);
        if (options.OutputDir is not null)
        {
            SampleLog.WriteAll(samplesPath!, Sorted(records, benchmarks));
            ResultsWriter.Write(options.OutputDir, results);
        }
        return results;
    }

    List<SampleRecord> LoadPrevious(string? samplesPath)
    {
        if (samplesPath is null || !options.Resume)
            return [];
        List<SampleRecord> previous = SampleLog.Read(samplesPath);
        SampleLog.WriteAll(samplesPath, previous);                 // drops a half-written last line before appending
        return previous;
    }

    StreamWriter? OpenLog(string? samplesPath)
    {
        if (samplesPath is null)
            return null;
        Directory.CreateDirectory(Path.GetDirectoryName(samplesPath)!);
        // LoadPrevious has rewritten a resumed log by rename; a fresh one is created anew, so a link planted under
        // the log's name is replaced or removed, never written through
        if (!options.Resume) File.Delete(samplesPath);
        return new StreamWriter(new FileStream(samplesPath, options.Resume ? FileMode.Append : FileMode.CreateNew, FileAccess.Write, FileShare.Read));
    }

    IEnumerable<SampleRecord> EvaluateMissing(Dataset benchmark, IReadOnlyList<SampleRecord> previous, StreamWriter? log,
        IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        var done = previous.Where(r => r.Benchmark == benchmark.Name).ToList();
        CheckSameProblems(benchmark, done);
        var finished = done.Select(r => (r.ProblemIndex, r.SampleIndex)).ToHashSet();
        List<GenerationRequest> pending = PendingRequests(benchmark, finished);
        int total = benchmark.Problems.Count * options.SamplesPerProblem;
        int completed = total - pending.Sum(r => r.SampleIndices.Count);
        progress?.Report(new EvalProgress(benchmark.Name, completed, total));
        var added = new List<SampleRecord>();
        foreach (GenerationRequest[] batch in pending.Chunk(options.ProblemsPerBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<SampleRecord> graded = Grade(benchmark, batch, generator.Generate(batch, cancellationToken));
            if (log is not null)
                SampleLog.Append(log, graded);
            added.AddRange(graded);
            completed += graded.Count;
            progress?.Report(new EvalProgress(benchmark.Name, completed, total));
        }
        return added;
    }

    List<GenerationRequest> PendingRequests(Dataset benchmark, HashSet<(int, int)> finished)
    {
        var requests = new List<GenerationRequest>();
        for (int p = 0; p < benchmark.Problems.Count; p++)
        {
            int problem = p;
            int[] missing = Enumerable.Range(0, options.SamplesPerProblem).Where(s => !finished.Contains((problem, s))).ToArray();
            if (missing.Length > 0)
                requests.Add(new GenerationRequest(benchmark.Name, p, options.Template.Render(benchmark.Problems[p].Problem), missing));
        }
        return requests;
    }

    List<SampleRecord> Grade(Dataset benchmark, GenerationRequest[] batch, IReadOnlyList<IReadOnlyList<Completion>> completions)
    {
        if (completions.Count != batch.Length || batch.Where((r, i) => completions[i].Count != r.SampleIndices.Count).Any())
            throw new InvalidOperationException("the generator returned a different number of completions than requested");
        var graded = new List<SampleRecord>();
        for (int i = 0; i < batch.Length; i++)
        {
            MathProblem problem = benchmark.Problems[batch[i].ProblemIndex];
            for (int j = 0; j < completions[i].Count; j++)
            {
                Completion completion = completions[i][j];
                AnswerVerdict verdict = verify(completion.Text, problem.Answer, problem.Problem, options.Template.AnswerFormat);
                graded.Add(new SampleRecord(benchmark.Name, batch[i].ProblemIndex, problem.Id, batch[i].SampleIndices[j],
                    problem.Answer, completion.Text, verdict.Extracted, verdict.Correct, completion.TokenCount, completion.Truncated, verdict.Reason));
            }
        }
        return graded;
    }

    /// <summary>A resumed log must belong to the same problems (same ids at the same positions).</summary>
    static void CheckSameProblems(Dataset benchmark, IEnumerable<SampleRecord> done)
    {
        SampleRecord? stranger = done.FirstOrDefault(r =>
            r.ProblemIndex < benchmark.Problems.Count && r.ProblemId != benchmark.Problems[r.ProblemIndex].Id);
        if (stranger is not null)
            throw new InvalidOperationException(
                $"cannot resume: {SamplesFileName} has problem '{stranger.ProblemId}' at {benchmark.Name}[{stranger.ProblemIndex}], " +
                $"but the benchmark has '{benchmark.Problems[stranger.ProblemIndex].Id}' there; use a fresh --out directory");
    }

    /// <summary>Metrics over the records in range of this run (problems within --limit, samples within --n).</summary>
    EvaluationResults Summarise(IReadOnlyList<Dataset> benchmarks, IReadOnlyList<SampleRecord> records)
    {
        var inRange = benchmarks.Select(b => (b.Name, Records: records
            .Where(r => r.Benchmark == b.Name && r.ProblemIndex < b.Problems.Count && r.SampleIndex < options.SamplesPerProblem)
            .ToList())).ToList();
        var metrics = inRange.Select(b => (b.Name, BenchmarkMetrics.Compute(b.Records))).ToList();
        return new EvaluationResults(metrics, BenchmarkMetrics.Average(metrics.Select(m => m.Item2).ToList()),
            [.. Sorted(inRange.SelectMany(b => b.Records), benchmarks)]);
    }

    /// <summary>Run order of benchmarks, then problem and sample index: identical files whether resumed or not.</summary>
    static IEnumerable<SampleRecord> Sorted(IEnumerable<SampleRecord> records, IReadOnlyList<Dataset> benchmarks)
    {
        var order = benchmarks.Select((b, i) => (b.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return records
            .OrderBy(r => order.GetValueOrDefault(r.Benchmark, int.MaxValue)).ThenBy(r => r.Benchmark, StringComparer.Ordinal)
            .ThenBy(r => r.ProblemIndex).ThenBy(r => r.SampleIndex);
    }

    static EvalOptions Validate(EvalOptions options) =>
        options.SamplesPerProblem < 1 || options.ProblemsPerBatch < 1
            ? throw new ArgumentOutOfRangeException(nameof(options), "SamplesPerProblem and ProblemsPerBatch must be at least 1")
            : options;
}
