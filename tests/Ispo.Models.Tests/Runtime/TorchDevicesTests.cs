using Ispo.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Runtime;

public class TorchDevicesTests
{
    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, -1)]
    [InlineData("cuda:0", DeviceType.CUDA, 0)]
    [InlineData("cuda:3", DeviceType.CUDA, 3)]
    public void ParsesTheDevicesIspoRunsOn(string text, DeviceType type, int index)
    {
        Assert.True(TorchDevices.TryParse(text, out DeviceType t, out int i));
        Assert.Equal((type, index), (t, i));
        Assert.Null(TorchDevices.Problem(text));
        Assert.Equal(type == DeviceType.CPU, TorchDevices.IsCpu(text));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("CUDA")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("mps")]
    [InlineData("")]
    public void RefusesAnythingElse(string text)
    {
        Assert.False(TorchDevices.TryParse(text, out _, out _));
        Assert.Equal($"expected cpu, cuda or cuda:N (N a GPU index), got \"{text}\"", TorchDevices.Problem(text));
        Assert.Throws<ArgumentException>(() => TorchDevices.Resolve(text));
    }

    [Fact]
    public void CpuResolvesToTheCpu() => Assert.Equal(DeviceType.CPU, TorchDevices.Resolve("cpu").type);

    [Fact]
    public void CudaWithoutCudaIsRefusedNamingTheBuildSwitch()
    {
        if (cuda.is_available()) return; // a CUDA build on a GPU machine: nothing to refuse
        var e = Assert.Throws<TorchRuntimeException>(() => TorchDevices.Resolve("cuda:0"));
        Assert.Contains("model.device is cuda:0, but torch.cuda.is_available() is false", e.Message);
        Assert.Contains("-p:TorchBackend=cuda", e.Message);
    }
}
