using System.Text.Json;
using Ispo.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Checkpoints;

public class CheckpointIoTests
{
    static List<(string, Tensor)> Weights(ScalarType dtype)
    {
        var g = new TorchSharp.torch.Generator(3);
        return Enumerable.Range(0, 5).Select(i => ($"model.layers.{i}.mlp.up_proj.weight", randn([8, 16], generator: g).to_type(dtype))).ToList();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void ShardedRoundTripIsBitExact(ScalarType dtype)
    {
        using var dir = new TempDir();
        var weights = Weights(dtype);
        long perTensor = SafetensorsWriter.ByteLength(weights[0].Item2);
        CheckpointWriter.Save(dir.Path, weights, maxShardBytes: 2 * perTensor);
        Assert.True(File.Exists(dir.File(CheckpointFiles.IndexFile)));
        Assert.True(File.Exists(dir.File("model-00003-of-00003.safetensors")));
        Assert.False(File.Exists(dir.File(CheckpointFiles.SingleFile)));
        using var index = JsonDocument.Parse(File.ReadAllText(dir.File(CheckpointFiles.IndexFile)));
        Assert.Equal(5 * perTensor, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        using var reader = CheckpointReader.Open(dir.Path);
        Assert.Equal(3, reader.Files.Count);
        foreach (var (name, expected) in weights)
        {
            using var actual = reader.Read(name);
            Assert.Equal(expected.bytes.ToArray(), actual.bytes.ToArray());
        }
    }

    [Fact]
    public void SingleFileSaveReplacesAStaleIndex()
    {
        using var dir = new TempDir();
        var weights = Weights(ScalarType.Float32);
        CheckpointWriter.Save(dir.Path, weights, maxShardBytes: 1);
        CheckpointWriter.Save(dir.Path, weights);
        Assert.False(File.Exists(dir.File(CheckpointFiles.IndexFile)));
        using var reader = CheckpointReader.Open(dir.Path);
        Assert.Single(reader.Files);
        Assert.Equal(5, reader.Names.Count);
    }

    [Theory]
    [InlineData("../evil.safetensors")]
    [InlineData("sub/model.safetensors")]
    [InlineData("..")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\\\b.safetensors")]
    public void IndexShardNamesMustBePlainFileNames(string shard)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File(CheckpointFiles.IndexFile), "{\"weight_map\":{\"w\":" + System.Text.Json.JsonSerializer.Serialize(shard) + "}}");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointReader.Open(dir.Path));
        Assert.Contains("weight_map['w']", e.Message);
        Assert.Contains("not a plain file name", e.Message);
    }

    [Fact]
    public void IndexPointingAtAShardWithoutTheTensorIsAnError()
    {
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("model-00001-of-00001.safetensors"), [("a", ones(1))]);
        File.WriteAllText(dir.File(CheckpointFiles.IndexFile), """{"weight_map":{"a":"model-00001-of-00001.safetensors","b":"model-00001-of-00001.safetensors"}}""");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointReader.Open(dir.Path));
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void MissingCheckpointIsReported()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => CheckpointReader.Open(dir.Path));
        Assert.Contains(CheckpointFiles.SingleFile, e.Message);
    }
}
