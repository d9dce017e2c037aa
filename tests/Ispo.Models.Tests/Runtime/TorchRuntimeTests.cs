using Ispo.Models.Runtime;
using TorchSharp;

namespace Ispo.Models.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        TorchRuntime.EnsureLoaded();
        using var x = torch.arange(4, dtype: torch.float32);
        Assert.Equal(6f, x.sum().item<float>());
    }

    [Fact]
    public void GlibcxxFailureIsExplained()
    {
        var e = new TypeInitializationException("TorchSharp.torch",
            new DllNotFoundException("/x/libLibTorchSharp.so: version `GLIBCXX_3.4.32' not found"));
        string message = TorchRuntime.Explain(e);
        Assert.Contains("GLIBCXX_3.4.32", message);
        Assert.Contains("libstdc++", message);
    }

    [Fact]
    public void LoaderErrorOutranksTorchSharpsMisleadingMessage()
    {
        var e = new TypeInitializationException("TorchSharp.torch",
            new NotSupportedException("This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64"));
        string message = TorchRuntime.Explain(e, "libLibTorchSharp.so: version `GLIBCXX_3.4.32' not found (required by libLibTorchSharp.so)");
        Assert.StartsWith("TorchSharp's native library needs a newer libstdc++ (GLIBCXX_3.4.32)", message);
    }

    [Fact]
    public void OpenMpThreadsWaitPassivelyUnlessTheUserChose()
    {
        string? before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        TorchRuntime.ConfigureOpenMp();
        Assert.Equal(before ?? "PASSIVE", Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
    }

    [Fact]
    public void AllocatorKeepsFreedMemoryOnGlibc()
    {
        // This machine is Linux with glibc and no MALLOC_MMAP_MAX_ set; elsewhere the call must decline quietly.
        bool applies = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_") is null;
        Assert.Equal(applies, TorchRuntime.ConfigureAllocator());
    }
}
