// The datasets Ispo knows by name: one adapter (file name + field mapping) per benchmark and training set.
using Ispo.Training.Hub;
using Ispo.Training.Prompts;

namespace Ispo.Training.Data;

public enum DatasetKind { Benchmark, Training }

/// <summary>A file of a Hub dataset repository that holds a dataset as published.</summary>
public sealed record HubSource(string Repo, string Path);

/// <summary>A named dataset: where its file lives under the data directory, how its fields map, and where on the Hub.</summary>
public sealed record DatasetSpec(string Name, DatasetKind Kind, string FileStem, FieldMapping Mapping, HubSource? Hub = null)
{
    string Folder => Kind == DatasetKind.Benchmark ? "benchmarks" : "train";

    /// <summary>Candidate paths: DIR/{benchmarks|train}/STEM.{jsonl,json,parquet}, then DIR/STEM.*.</summary>
    public IEnumerable<string> CandidatePaths(string dataDir) =>
        from folder in new[] { Path.Combine(dataDir, Folder), dataDir }
        from extension in DatasetFile.Extensions
        select Path.Combine(folder, FileStem + extension);
}

/// <summary>A loaded benchmark or training set.</summary>
public sealed record Dataset(string Name, IReadOnlyList<MathProblem> Problems);

public static class DatasetRegistry
{
    static readonly FieldMapping Gsm8k = new() { AnswerRules = [new(AnswerSource.Gsm8k, "answer")] };
    static readonly FieldMapping Minerva = new() { AnswerRules = [new(AnswerSource.LastBoxed, "solution")] };
    static readonly FieldMapping OlympiadBench = new() { AnswerRules = [new(AnswerSource.Field, "final_answer")] };
    static readonly FieldMapping Math500 = new() { AnswerRules = [new(AnswerSource.Field, "answer")] };
    static readonly FieldMapping DapoMath = new()
    {
        AnswerRules = [new(AnswerSource.Field, "reward_model.ground_truth"), new(AnswerSource.Field, "answer")],
        ProblemTransform = PromptTemplates.Dapo.Unwrap,
        DropDuplicateProblems = true,
    };

    public static IReadOnlyList<DatasetSpec> All { get; } =
    [
        new("math500", DatasetKind.Benchmark, "math500", Math500, new("HuggingFaceH4/MATH-500", "test.jsonl")),
        new("aime24", DatasetKind.Benchmark, "aime24", Math500, new("HuggingFaceH4/aime_2024", "data/train-00000-of-00001.parquet")),
        new("aime25", DatasetKind.Benchmark, "aime25", FieldMapping.Default),
        new("amc23", DatasetKind.Benchmark, "amc23", Math500),
        new("minerva", DatasetKind.Benchmark, "minerva_math", Minerva),
        new("olympiadbench", DatasetKind.Benchmark, "olympiadbench", OlympiadBench),
        new("gsm8k", DatasetKind.Benchmark, "gsm8k_test", Gsm8k, new("openai/gsm8k", "main/test-00000-of-00001.parquet")),
        new("math8k", DatasetKind.Training, "math8k_level3to5", FieldMapping.Default),
        new("dapo-math-17k", DatasetKind.Training, "dapo-math-17k", DapoMath,
            new("BytedTsinghua-SIA/DAPO-Math-17k", "data/dapo-math-17k.parquet")),
    ];

    public static IEnumerable<string> BenchmarkNames => All.Where(s => s.Kind == DatasetKind.Benchmark).Select(s => s.Name);

    public static DatasetSpec? Find(string name) => All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant());

    public static DatasetSpec Get(string name) =>
        Find(name)
        ?? throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>Loads a named dataset from the data directory (dev setup: ../shared/data); first <paramref name="limit"/> rows.</summary>
    public static Dataset Load(string name, string dataDir, int? limit = null)
    {
        DatasetSpec spec = Get(name);
        string path = spec.CandidatePaths(dataDir).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"no file for dataset '{spec.Name}' under {dataDir}: looked for {string.Join(", ", spec.CandidatePaths(dataDir))}");
        return LoadFile(spec.Name, path, limit);
    }

    /// <summary>
    /// Loads a named dataset from the data directory when its file is there, else downloads the published file from
    /// the Hub (datasets that have a HubSource) through <paramref name="hub"/>.
    /// </summary>
    public static async Task<Dataset> ResolveAsync(string name, string? dataDir, HubClient? hub, int? limit = null,
        CancellationToken cancellationToken = default)
    {
        DatasetSpec spec = Get(name);
        if (dataDir is not null && spec.CandidatePaths(dataDir).FirstOrDefault(File.Exists) is string local)
            return LoadFile(spec.Name, local, limit);
        if (spec.Hub is null || hub is null)
            return Load(name, dataDir ?? ".", limit);              // throws, naming the files looked for
        string file = await hub.DownloadFileAsync(new HubRepo(spec.Hub.Repo, HubRepoType.Dataset), spec.Hub.Path, cancellationToken);
        return LoadFile(spec.Name, file, limit);
    }

    /// <summary>Loads a user-given file with a named dataset's mapping (or the default mapping for an unknown name).</summary>
    public static Dataset LoadFile(string name, string path, int? limit = null)
    {
        FieldMapping mapping = Find(name)?.Mapping ?? FieldMapping.Default;
        return new Dataset(name, ProblemMapper.Load(path, mapping, limit));
    }
}
