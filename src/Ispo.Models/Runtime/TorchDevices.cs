// `model.device`: where every tensor of a run lives (cpu, cuda, cuda:N). Parsing is pure (for config validation);
// Resolve also asks libtorch whether the device exists, so a CUDA request on a CPU-only build fails at start-up.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Runtime;

public static class TorchDevices
{
    /// <summary>The MSBuild switch that builds against TorchSharp's CUDA packages (README, "Memory plans and GPUs").</summary>
    public const string CudaBuildSwitch = "-p:TorchBackend=cuda";

    /// <summary>What a device option accepts, for error messages.</summary>
    public const string Expected = "cpu, cuda or cuda:N (N a GPU index)";

    /// <summary>Null when <paramref name="text"/> names a device Ispo runs on, else what is wrong with it.</summary>
    public static string? Problem(string? text) => TryParse(text, out _, out _) ? null : $"expected {Expected}, got \"{text}\"";

    /// <summary>Parses without touching libtorch: <c>cpu</c>, <c>cuda</c> (the current GPU) or <c>cuda:N</c>.</summary>
    public static bool TryParse(string? text, out DeviceType type, out int index)
    {
        (type, index) = (DeviceType.CPU, -1);
        string s = (text ?? "").Trim();
        if (s == "cpu") return true;
        if (s == "cuda") { type = DeviceType.CUDA; return true; }
        if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s[5..], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int n))
        {
            (type, index) = (DeviceType.CUDA, n);
            return true;
        }
        return false;
    }

    /// <summary>True for <c>cpu</c> (the device Ispo's CPU kernels run on).</summary>
    public static bool IsCpu(string? text) => TryParse(text, out DeviceType type, out _) && type == DeviceType.CPU;

    /// <summary>The device, checked against this process's libtorch: a CUDA device needs a CUDA build and a visible GPU.</summary>
    public static Device Resolve(string text, string key = "model.device")
    {
        if (!TryParse(text, out DeviceType type, out int index)) throw new ArgumentException($"{key}: expected {Expected}, got \"{text}\"");
        if (type == DeviceType.CPU) return CPU;
        TorchRuntime.EnsureLoaded();
        if (!cuda.is_available())
            throw new TorchRuntimeException($"{key} is {text}, but torch.cuda.is_available() is false: this build references libtorch's CPU "
                + $"package, or no GPU is visible. Build with `dotnet build {CudaBuildSwitch}` (TorchSharp-cuda-linux or TorchSharp-cuda-windows) "
                + $"on a machine with an NVIDIA driver, or set {key}: cpu");
        int count = cuda.device_count();
        if (index >= count)
            throw new TorchRuntimeException($"{key} is {text}, but libtorch sees {count} GPU{(count == 1 ? "" : "s")} (cuda:0 to cuda:{count - 1})");
        return new Device(DeviceType.CUDA, Math.Max(0, index));
    }
}
