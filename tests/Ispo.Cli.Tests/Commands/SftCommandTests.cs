namespace Ispo.Cli.Tests.Commands;

/// <summary>Kills a real `ispo sft` process at named points (CrashPoints) while it writes its model, into a new --out
/// and over an earlier model there, and checks that --out then holds the old model complete, the new one complete, or
/// nothing, never a partial folder; and that a clean rerun brings back a retired model's place and finishes.</summary>
public sealed class SftCommandTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-sft-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    // The model's atomic file writes (file.written) number 1 model.safetensors, 2 config.json, … 5 tokenizer_config.json.
    // Each: the crash point, whether --out already holds an earlier model, what --out holds after the kill.
    static readonly (string Point, bool Existing, string After)[] Scenarios =
    [
        ("file.written#3", false, "nothing"),     // half-way through the files
        ("folder.written#1", false, "nothing"),   // every file written, not yet published
        ("file.written#3", true, "old"),
        ("folder.written#1", true, "old"),
        ("folder.retired#1", true, "nothing"),    // the old model moved aside (.old-out), the new one not yet in place
        ("folder.published#1", true, "new"),      // the new model in place, the retired one not yet deleted
    ];

    static readonly string[] ModelFiles = ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"];

    [Fact]
    public void AKillMidWriteLeavesTheOldModelOrNothingNeverAPartialFolder()
    {
        string model = Path.Combine(root, "tiny");
        Assert.Equal(0, CliRun.Run("model", "init", "--preset", "tiny", "--out", model, "--seed", "3").Code);
        string oldModel = Path.Combine(root, "old"), newModel = Path.Combine(root, "new");
        Assert.Equal(0, Sft(model, oldModel, steps: 1, crashAt: null).Code);
        Assert.Equal(0, Sft(model, newModel, steps: 2, crashAt: null).Code);
        Assert.NotEqual(Files(oldModel)["model.safetensors"], Files(newModel)["model.safetensors"]);
        Parallel.For(0, Scenarios.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var (point, existing, after) = Scenarios[i];
            string scenario = $"{point}{(existing ? " over an earlier model" : "")}";
            string parent = Directory.CreateDirectory(Path.Combine(root, $"crash-{i}")).FullName, target = Path.Combine(parent, "out");
            if (existing) CopyFolder(oldModel, target);
            var (code, output) = Sft(model, target, steps: 2, crashAt: point);
            Assert.True(code == 137, $"{scenario}: expected a kill, exit {code}\n{output}");
            if (point.StartsWith("file.written", StringComparison.Ordinal))         // the kill really came mid-write
                Assert.Contains(Directory.GetDirectories(parent, ".tmp-out-*"), d => Directory.GetFiles(d).Length is > 0 and < 5);
            string holds = !Directory.Exists(target) ? "nothing" : Same(target, oldModel) ? "old" : Same(target, newModel) ? "new" : "a partial folder";
            Assert.True(holds == after, $"{scenario}: --out holds {holds}, expected {after}");
            var (rerun, rerunOutput) = Sft(model, target, steps: 2, crashAt: null);
            Assert.True(rerun == 0, $"{scenario}: the rerun failed\n{rerunOutput}");
            Assert.True(Same(target, newModel), $"{scenario}: the rerun's model differs from an uninterrupted run's");
            Assert.Equal(["out"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));  // no temp or retired copy left
        });
    }

    [Fact]
    public void RefusesANonEmptyFolderThatIsNotAModelBeforeTraining()
    {
        string target = Directory.CreateDirectory(Path.Combine(root, "notes")).FullName;
        File.WriteAllText(Path.Combine(target, "todo.txt"), "mine");
        var (code, output, error) = CliRun.Run("sft", "--config", Path.Combine(TrainCommandTests.Configs(), "grpo.yaml"),
            "--set", "model.path=" + CliRun.TinyModel(), "--set", "sft.steps=1", "--out", target);
        Assert.Equal(1, code);
        Assert.DoesNotContain("step 1/1", output);                                     // refused before any training
        Assert.Contains($"--out {target} is a non-empty folder that holds no model (it has todo.txt…)", error);
        Assert.Equal(["todo.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public void MixedPrecisionIsRefusedNotIgnored()
    {
        var (code, output, error) = CliRun.Run("sft", "--config", Path.Combine(TrainCommandTests.Configs(), "grpo.yaml"),
            "--set", "model.path=" + CliRun.TinyModel(), "--set", "sft.steps=1", "--set", "model.dtype=bfloat16",
            "--set", "model.mixed_precision=true", "--out", Path.Combine(root, "out"));
        Assert.Equal(1, code);
        Assert.DoesNotContain("step 1/1", output);
        Assert.Contains("model.mixed_precision applies to RL training", error);
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
    }

    static Dictionary<string, byte[]> Files(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    static bool Same(string dir, string reference)
    {
        Dictionary<string, byte[]> a = Files(dir), b = Files(reference);
        return a.Keys.Order().SequenceEqual(ModelFiles) && b.Keys.Order().SequenceEqual(ModelFiles) && a.All(f => f.Value.SequenceEqual(b[f.Key]));
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    (int Code, string Output) Sft(string model, string target, int steps, string? crashAt)
    {
        string[] settings = [$"model.path={model}", $"sft.steps={steps}", "sft.batch_size=2", "sft.log_every=1", "model.threads=1",
            $"run.out_dir={root}", "run.name=run"];
        return CliRun.Process(["sft", "--config", Path.Combine(TrainCommandTests.Configs(), "grpo.yaml"),
            .. settings.SelectMany(s => new[] { "--set", s }), "--out", target], crashAt);
    }
}
