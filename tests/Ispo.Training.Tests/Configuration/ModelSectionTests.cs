using Ispo.Models;
using Ispo.Training.Configuration;

namespace Ispo.Training.Tests.Configuration;

public class ModelSectionTests
{
    [Fact]
    public void CpuKernelsAreOnUnlessTurnedOff()
    {
        Assert.Equal(CpuKernels.Auto, new ModelSection().CpuKernels);
        Assert.Equal(CpuKernels.Off, ConfigBinder.Bind<TrainConfig>("model:\n  cpu_kernels: off\n").Model.CpuKernels);
        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TrainConfig>("model:\n  cpu_kernels: fast\n"));
        Assert.Contains("cpu_kernels", error.Message);
    }

    [Fact]
    public void DeviceIsCpuUnlessSetAndABadOneIsRefusedWithItsLine()
    {
        Assert.Equal("cpu", new ModelSection().Device);
        Assert.Equal("cuda:1", ConfigBinder.Bind<TrainConfig>("model:\n  device: cuda:1\n").Model.Device);
        Assert.Equal("cuda", ConfigBinder.Bind<TrainConfig>(null, overrides: ["model.device=cuda"]).Model.Device);
        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TrainConfig>("model:\n  preset: tiny\n  device: gpu0\n", "r.yaml"));
        Assert.Equal("model.device: expected cpu, cuda or cuda:N (N a GPU index), got \"gpu0\" (r.yaml line 3)", Assert.Single(error.Errors).ToString());
        Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TrainConfig>(null, overrides: ["model.device=cuda:-1"]));
    }
}
