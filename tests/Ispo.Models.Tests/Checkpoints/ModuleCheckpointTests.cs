using System.Text;
using System.Text.Json.Nodes;
using Ispo.Models.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Checkpoints;

public class ModuleCheckpointTests
{
    // Field names mirror HF keys: model.embed_tokens.weight, model.layers.0.self_attn.q_proj.{weight,bias}, lm_head.weight.
    sealed class Attention : nn.Module
    {
        public readonly Linear q_proj;
        public Attention(int d) : base("attn") { q_proj = nn.Linear(d, d, hasBias: true); RegisterComponents(); }
    }

    sealed class Layer : nn.Module
    {
        public readonly Attention self_attn;
        public Layer(int d) : base("layer") { self_attn = new Attention(d); RegisterComponents(); }
    }

    sealed class Body : nn.Module
    {
        public readonly Embedding embed_tokens;
        public readonly ModuleList<Layer> layers;
        public Body(int vocab, int d) : base("body")
        {
            embed_tokens = nn.Embedding(vocab, d);
            layers = nn.ModuleList(new Layer(d));
            RegisterComponents();
        }
    }

    sealed class TinyLm : nn.Module
    {
        public readonly Body model;
        public readonly Linear? lm_head;
        public TinyLm(int vocab = 11, int d = 4, bool tied = false, ScalarType dtype = ScalarType.Float32) : base("tiny")
        {
            model = new Body(vocab, d);
            if (!tied) lm_head = nn.Linear(d, vocab, hasBias: false);
            RegisterComponents();
            this.to(dtype);
        }
    }

    static void AssertSameParameters(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.Equal(a[key].bytes.ToArray(), b[key].bytes.ToArray());
    }

    [Theory]
    [InlineData(false, ScalarType.Float32)]
    [InlineData(true, ScalarType.BFloat16)]
    public void SaveThenLoadIsBitExact(bool tied, ScalarType dtype)
    {
        using var dir = new TempDir();
        manual_seed(1);
        using var source = new TinyLm(tied: tied, dtype: dtype);
        ModuleCheckpoint.Save(source, dir.Path);
        manual_seed(2);
        using var target = new TinyLm(tied: tied, dtype: dtype);
        var report = ModuleCheckpoint.LoadInto(target, dir.Path);
        Assert.Empty(report.Missing);
        AssertSameParameters(source, target);
        using var reader = CheckpointReader.Open(dir.Path);
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", reader.Names);
        Assert.Equal(!tied, reader.Names.Contains("lm_head.weight"));
    }

    [Fact]
    public void ShardedSaveLoadsBack()
    {
        using var dir = new TempDir();
        manual_seed(1);
        using var source = new TinyLm();
        ModuleCheckpoint.Save(source, dir.Path, maxShardBytes: 100);
        Assert.True(File.Exists(dir.File(CheckpointFiles.IndexFile)));
        using var target = new TinyLm();
        ModuleCheckpoint.LoadInto(target, dir.Path);
        AssertSameParameters(source, target);
    }

    [Fact]
    public void LoadConvertsDtypes()
    {
        using var dir = new TempDir();
        using var source = new TinyLm(dtype: ScalarType.BFloat16);
        ModuleCheckpoint.Save(source, dir.Path);
        using var target = new TinyLm(dtype: ScalarType.Float32);
        ModuleCheckpoint.LoadInto(target, dir.Path);
        var expected = source.state_dict()["lm_head.weight"].to_type(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, target.state_dict()["lm_head.weight"].dtype);
        Assert.Equal(expected.data<float>().ToArray(), target.state_dict()["lm_head.weight"].data<float>().ToArray());
    }

    [Fact]
    public void SavingInAnotherDtypeCasts()
    {
        using var dir = new TempDir();
        using var source = new TinyLm();
        ModuleCheckpoint.Save(source, dir.Path, dtype: ScalarType.BFloat16);
        using var reader = CheckpointReader.Open(dir.Path);
        Assert.All(reader.Names, n => Assert.Equal(SafetensorsDtype.BF16, reader.Entry(n).Dtype));
    }

    [Fact]
    public void TiedCheckpointLoadsIntoTiedModuleAndExtraLmHeadIsTolerated()
    {
        using var dir = new TempDir();
        using var untied = new TinyLm(tied: false);
        ModuleCheckpoint.Save(untied, dir.Path);
        using var tied = new TinyLm(tied: true);
        var report = ModuleCheckpoint.LoadInto(tied, dir.Path);
        Assert.Empty(report.Unexpected);
        Assert.Equal(3, report.Loaded);
    }

    [Fact]
    public void SharedParameterIsWrittenOnceAndCountsAsLoaded()
    {
        using var dir = new TempDir();
        using var source = new TinyLm();
        source.lm_head!.weight = source.model.embed_tokens.weight!;
        ModuleCheckpoint.Save(source, dir.Path);
        using (var reader = CheckpointReader.Open(dir.Path)) Assert.DoesNotContain("lm_head.weight", reader.Names);
        using var target = new TinyLm();
        target.lm_head!.weight = target.model.embed_tokens.weight!;
        var report = ModuleCheckpoint.LoadInto(target, dir.Path);
        Assert.Empty(report.Missing);
        Assert.Equal(source.model.embed_tokens.weight!.data<float>().ToArray(), target.lm_head.weight!.data<float>().ToArray());
    }

    [Fact]
    public void MismatchesAreListedTogether()
    {
        using var dir = new TempDir();
        using var small = new TinyLm(vocab: 11, tied: true);
        ModuleCheckpoint.Save(small, dir.Path);
        using (var extra = new TinyLm(vocab: 11, tied: true))
        {
            var tensors = extra.state_dict().Select(kv => (kv.Key, kv.Value)).Append(("model.norm.weight", ones(4))).ToList();
            CheckpointWriter.Save(dir.Path, tensors);
        }
        using var big = new TinyLm(vocab: 13, tied: false);
        var e = Assert.Throws<CheckpointMismatchException>(() => ModuleCheckpoint.LoadInto(big, dir.Path));
        Assert.Equal(["lm_head.weight"], e.Missing);
        Assert.Equal(["model.norm.weight"], e.Unexpected);
        Assert.Single(e.ShapeMismatches);
        Assert.Contains("model.embed_tokens.weight: checkpoint [11,4] vs model [13,4]", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void AHeaderOf150kExtraTensorsGivesAShortMessage()
    {
        using var dir = new TempDir();
        using var model = new TinyLm();
        ModuleCheckpoint.Save(model, dir.Path);
        AddEmptyTensors(dir.File(CheckpointFiles.SingleFile), 150_000);
        var e = Assert.Throws<CheckpointMismatchException>(() => ModuleCheckpoint.LoadInto(model, dir.Path));
        Assert.Equal(150_000, e.Unexpected.Count);
        Assert.Contains("and 149995 more", e.Message);
        Assert.True(e.Message.Length < 1000, $"message of {e.Message.Length} characters");
    }

    /// <summary>Adds <paramref name="count"/> zero-element tensors to a safetensors header (no data bytes needed).</summary>
    static void AddEmptyTensors(string path, int count)
    {
        byte[] file = File.ReadAllBytes(path);
        int headerLength = (int)BitConverter.ToUInt64(file, 0);
        var header = JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        for (int i = 0; i < count; i++)
            header[$"extra.{i}"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(0), ["data_offsets"] = new JsonArray(0, 0) };
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. file.AsSpan(8 + headerLength)]);
    }

    [Fact]
    public void NonStrictLoadReportsMissingAndUnexpected()
    {
        using var dir = new TempDir();
        CheckpointWriter.Save(dir.Path, [("model.embed_tokens.weight", ones(11, 4)), ("extra.weight", ones(1))]);
        using var target = new TinyLm(tied: true);
        var report = ModuleCheckpoint.LoadInto(target, dir.Path, strict: false);
        Assert.Equal(1, report.Loaded);
        Assert.Equal(["extra.weight"], report.Unexpected);
        Assert.Equal(2, report.Missing.Count);
        Assert.Equal(1f, target.model.embed_tokens.weight!.mean().item<float>());
    }
}
