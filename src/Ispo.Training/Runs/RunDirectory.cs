// runs/<name>/: the resolved config, metrics.jsonl, samples.jsonl, TensorBoard events and checkpoints of one run.
using Ispo.Models.Checkpoints;
using System.Text.Json;
using Ispo.Training.Configuration;

namespace Ispo.Training.Runs;

public sealed class RunDirectory
{
    public const string ConfigFile = "config.yaml";
    public const string MetricsFile = "metrics.jsonl";
    public const string SamplesFile = "samples.jsonl";
    public const string GroupsFile = "groups.jsonl";
    public const string TensorBoardFolder = "tensorboard";
    public const string CheckpointsFolder = "checkpoints";

    static readonly JsonSerializerOptions SampleJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Root { get; }
    public CheckpointStore Checkpoints { get; }

    RunDirectory(string root, int keepLast)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        AtomicFolder.Recover(Root);  // what a killed run was writing (its initial model, a log being cut back)
        Checkpoints = new CheckpointStore(Path.Combine(Root, CheckpointsFolder), keepLast);
    }

    public string ConfigPath => Path.Combine(Root, ConfigFile);
    public string MetricsPath => Path.Combine(Root, MetricsFile);
    public string SamplesPath => Path.Combine(Root, SamplesFile);
    public string GroupsPath => Path.Combine(Root, GroupsFile);
    public string TensorBoardDir => Path.Combine(Root, TensorBoardFolder);

    /// <summary><c>run.out_dir/run.name</c> of a config.</summary>
    public static string PathFor(TrainConfig config) => Path.Combine(config.Run.OutDir, config.Run.Name);

    /// <summary>
    /// A new run: refuses a folder that already holds metrics (so a run is never silently mixed with another) unless
    /// <paramref name="resume"/>, which requires one; saves the resolved config either way.
    /// </summary>
    public static RunDirectory Start(TrainConfig config, bool resume = false, string? root = null)
    {
        root ??= PathFor(config);
        bool hasMetrics = File.Exists(Path.Combine(root, MetricsFile)) && new FileInfo(Path.Combine(root, MetricsFile)).Length > 0;
        if (hasMetrics && !resume)
            throw new InvalidOperationException($"run directory {root} already has metrics; pass --resume to continue it or choose another run.name");
        if (resume && !Directory.Exists(root))
            throw new InvalidOperationException($"cannot resume: run directory {root} does not exist");
        var run = new RunDirectory(root, config.Run.KeepLast);
        AtomicFile.WriteAllText(run.ConfigPath, config.ToYaml());
        return run;
    }

    /// <summary>An existing run, for reading (reports) or resuming.</summary>
    public static RunDirectory Open(string root, int keepLast = int.MaxValue)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"run directory not found: {root}");
        return new RunDirectory(root, keepLast);
    }

    /// <summary>The run's saved config, or null when it has none or it no longer binds.</summary>
    public TrainConfig? TryLoadConfig()
    {
        try { return File.Exists(ConfigPath) ? TrainConfig.Load(ConfigPath) : null; }
        catch (ConfigException) { return null; }
    }

    /// <summary>On resume from <paramref name="step"/>: drops logged rows after it so the logs equal an uninterrupted run's.</summary>
    public void TruncateLogsAfter(int step)
    {
        JsonlFile.TruncateAfterStep(MetricsPath, step);
        JsonlFile.TruncateAfterStep(SamplesPath, step);
        JsonlFile.TruncateAfterStep(GroupsPath, step);
        TensorBoardEvents.TruncateAfterStep(TensorBoardDir, step);
    }

    /// <summary>Appends one line per prompt group of a step to groups.jsonl (how many of its rollouts were right).</summary>
    public void AppendGroups(IEnumerable<GroupRecord> groups)
    {
        using StreamWriter writer = JsonlFile.OpenAppend(GroupsPath);
        foreach (GroupRecord group in groups)
            writer.WriteLine(JsonSerializer.Serialize(group, SampleJson));
    }

    public IReadOnlyList<GroupRecord> ReadGroups() => !File.Exists(GroupsPath) ? [] :
        File.ReadLines(GroupsPath).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<GroupRecord>(l, SampleJson)!).ToList();

    /// <summary>metrics.jsonl, plus TensorBoard events when <paramref name="tensorboard"/>, plus any <paramref name="extra"/> sinks.</summary>
    public IMetricsSink OpenMetricsSinks(bool tensorboard, params IMetricsSink[] extra)
    {
        var sinks = new List<IMetricsSink> { new JsonlMetricsSink(MetricsPath) };
        if (tensorboard) sinks.Add(new TensorBoardMetricsSink(TensorBoardDir));
        sinks.AddRange(extra);
        return new CompositeMetricsSink([.. sinks]);
    }

    public IReadOnlyList<MetricsRow> ReadMetrics() => JsonlMetricsSink.Read(MetricsPath);

    /// <summary>Appends sampled rollouts to samples.jsonl (snake_case fields), one line each.</summary>
    public void AppendSamples(IEnumerable<RolloutSample> samples)
    {
        using StreamWriter writer = JsonlFile.OpenAppend(SamplesPath);
        foreach (RolloutSample sample in samples)
            writer.WriteLine(JsonSerializer.Serialize(sample, SampleJson));
    }
}
