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
}
