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
}
