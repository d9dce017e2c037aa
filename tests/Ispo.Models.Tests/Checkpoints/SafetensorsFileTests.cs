using System.Buffers.Binary;
using System.Text;
using Ispo.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Checkpoints;

public class SafetensorsFileTests
{
    static (string, Tensor)[] Sample()
    {
        var g = new TorchSharp.torch.Generator(7);
        return
        [
            ("a.f32", randn([3, 5], generator: g)),
            ("b.bf16", randn([4, 2], generator: g).to_type(ScalarType.BFloat16)),
            ("c.f16", randn([7], generator: g).to_type(ScalarType.Float16)),
            ("d.i64", arange(6, dtype: ScalarType.Int64).reshape(2, 3)),
            ("e.bool", tensor(new[] { true, false, true })),
            ("f.scalar", tensor(3.5f)),
            ("g.empty", zeros([0, 4])),
        ];
    }

    [Fact]
    public void RoundTripIsBitExactForEveryDtype()
    {
        using var dir = new TempDir();
        var tensors = Sample();
        SafetensorsWriter.Write(dir.File("m.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafetensorsFile.Open(dir.File("m.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        foreach (var (name, expected) in tensors)
        {
            using var actual = file.Read(name);
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expected.bytes.ToArray(), actual.bytes.ToArray());
        }
    }

    [Fact]
    public void ReadConvertsToRequestedDtype()
    {
        using var dir = new TempDir();
        using var source = tensor(new[] { 1.5f, -2.25f, 3f }).to_type(ScalarType.BFloat16);
        SafetensorsWriter.Write(dir.File("m.safetensors"), [("w", source)]);
        using var file = SafetensorsFile.Open(dir.File("m.safetensors"));
        using var f32 = file.Read("w", ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, f32.dtype);
        Assert.Equal(new[] { 1.5f, -2.25f, 3f }, f32.data<float>().ToArray());
    }

    [Fact]
    public void HeaderIsPaddedToEightBytesAndDataIsLaidOutInOrder()
    {
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("m.safetensors"), [("x", ones(2)), ("y", zeros(3))]);
        byte[] bytes = File.ReadAllBytes(dir.File("m.safetensors"));
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 20, bytes.Length);
        using var file = SafetensorsFile.Open(dir.File("m.safetensors"));
        Assert.Equal((0L, 8L), (file.Entries["x"].Begin, file.Entries["x"].End));
        Assert.Equal((8L, 20L), (file.Entries["y"].Begin, file.Entries["y"].End));
    }

    [Fact]
    public void OverwriteReplacesTheWholeFile()
    {
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("m.safetensors"), [("big", zeros(1000))]);
        SafetensorsWriter.Write(dir.File("m.safetensors"), [("small", ones(2))]);
        using var file = SafetensorsFile.Open(dir.File("m.safetensors"));
        Assert.Equal(["small"], file.Entries.Keys);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void TruncatedFileNamesTheTensor()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        SafetensorsWriter.Write(path, [("x", ones(2)), ("y", zeros(3))]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'y'", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "shorter than the 8-byte")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0 }, "exceeds the limit")]
    [InlineData(new byte[] { 100, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "runs past the end")]
    public void BadHeaderLengthIsRefused(byte[] bytes, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bad.safetensors"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(dir.File("bad.safetensors")));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", 8, "not valid JSON")]
    [InlineData("""[1,2]""", 0, "not an object")]
    [InlineData("""{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'x': unknown dtype 'F33'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor 'x': data_offsets span 8 bytes but shape [3] of F32 needs 12")]
    [InlineData("""{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "tensor 'x': shape[0] is not a non-negative integer")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2]}}""", 8, "tensor 'x': missing field 'data_offsets'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "end before they begin")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "tensor 'y': data_offsets [4, 12] overlap tensor 'x'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "leaving a gap")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "trailing bytes")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}""", 8, "overflows")]
    [InlineData("""{"x":{"dtype":"U8","shape":[1099511627776],"data_offsets":[0,1099511627776]}}""", 8, "past the data region")]
    [InlineData("""{"__metadata__":{"format":3}}""", 0, "__metadata__.format is not a string")]
    [InlineData("""{"x":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"x":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}""", 0, "key 'x' appears twice")]
    public void CorruptHeaderGivesClearError(string header, int dataBytes, string expected)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RandomCorruptionNeverCrashes()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        SafetensorsWriter.Write(path, [("x", ones(3)), ("y", zeros(2, 2))]);
        byte[] original = File.ReadAllBytes(path);
        var random = new Random(1);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            int at = random.Next(Math.Min(bytes.Length, 8 + 120));
            bytes[at] = (byte)random.Next(256);
            File.WriteAllBytes(path, bytes);
            try
            {
                using var file = SafetensorsFile.Open(path);
                foreach (string name in file.Entries.Keys) file.Read(name).Dispose();
            }
            catch (InvalidDataException e)
            {
                Assert.Contains(path, e.Message);
            }
        }
    }
}
