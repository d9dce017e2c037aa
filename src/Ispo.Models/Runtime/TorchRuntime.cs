// Startup check for TorchSharp's native libraries: turns the loader's confusing TypeInitializationException
// into one message that names the cause and the fix.
using TorchSharp;

namespace Ispo.Models.Runtime;

public static class TorchRuntime
{
    static readonly Lazy<string?> LoadError = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads libtorch once; throws <see cref="TorchRuntimeException"/> with the cause if it cannot.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } message) throw new TorchRuntimeException(message);
    }

    /// <summary>
    /// Makes libtorch's OpenMP threads sleep instead of spin while waiting (OMP_WAIT_POLICY=PASSIVE) unless the user
    /// chose otherwise. Spinning threads on a busy 2-core machine made 2-thread decoding ~10× slower than 1 thread;
    /// passive waiting keeps it at least as fast. Must run before libtorch loads, so it sets the native environment.
    /// </summary>
    public static void ConfigureOpenMp()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
        _ = NativeSetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setenv")]
    static extern int NativeSetEnv(string name, string value, int overwrite);

    /// <summary>
    /// Makes glibc's malloc keep freed memory for reuse instead of handing large blocks back to the kernel
    /// (mmap off, trimming off), unless the user set MALLOC_MMAP_MAX_ or the process called ReturnFreedMemory.
    /// libtorch frees and re-allocates every activation of a training step; fresh pages cost a page fault and a zeroing
    /// each time, ~25% of a step on the "10M" model. The price is that the process keeps its peak heap. False where
    /// glibc is absent.
    /// </summary>
    public static bool ConfigureAllocator()
    {
        if (returnFreedMemory || Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_") is not null) return false;
        return SetMalloc((MmapMax, 0), (TrimThreshold, int.MaxValue));
    }

    const int TrimThreshold = -1, MmapMax = -4;

    /// <summary>mallopt for each (parameter, value); false where glibc is absent (musl's allocator has no such knobs).</summary>
    static bool SetMalloc(params (int Parameter, int Value)[] settings)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return settings.All(s => MallOpt(s.Parameter, s.Value) == 1);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    static bool returnFreedMemory;

    /// <summary>Makes glibc's malloc map every large block on its own and hand it back when freed, for a long-running
    /// process whose allocations come in ever-varying sizes, as a server's KV caches do: a kept heap then fragments and
    /// the resident set keeps growing. Setting M_MMAP_MAX (to its default) also stops glibc raising its mmap threshold
    /// after each large free, which would otherwise move those blocks into the heap. Call before anything loads
    /// libtorch; <see cref="ConfigureAllocator"/> then does nothing. False where glibc is absent.</summary>
    public static bool ReturnFreedMemory()
    {
        returnFreedMemory = true;
        return SetMalloc((MmapMax, 65536)); // glibc's default count
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
    static extern int MallOpt(int parameter, int value);

    static string? TryLoad()
    {
        ConfigureOpenMp();
        ConfigureAllocator();
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e)
        {
            return Explain(e, ProbeNativeLoad());
        }
    }

    /// <summary>TorchSharp hides the loader's own error; loading the library ourselves recovers it.</summary>
    static string? ProbeNativeLoad()
    {
        string rid = OperatingSystem.IsWindows() ? "win-x64" : OperatingSystem.IsMacOS() ? "osx-arm64" : "linux-x64";
        string file = OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, file),
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", file),
        ];
        foreach (string path in candidates.Where(File.Exists))
        {
            try
            {
                System.Runtime.InteropServices.NativeLibrary.Free(System.Runtime.InteropServices.NativeLibrary.Load(path));
            }
            catch (Exception e)
            {
                return e.Message;
            }
        }
        return null;
    }

    /// <summary>Maps a native-load failure to a one-paragraph explanation.</summary>
    public static string Explain(Exception e, string? nativeLoaderError = null)
    {
        string details = string.Join(" | ", Chain(e).Select(x => x.Message.Split('\n')[0]).Prepend(nativeLoaderError ?? "")
            .Where(m => m.Length > 0).Distinct());
        if (details.Contains("GLIBCXX_", StringComparison.Ordinal))
            return "TorchSharp's native library needs a newer libstdc++ (" + FirstMatch(details, "GLIBCXX_") +
                   "). Ispo's build writes a patched libLibTorchSharp.so (see Directory.Build.targets); run the " +
                   "program from a build of this repository, or install a libstdc++ with that version. Details: " + details;
        if (details.Contains("libtorch", StringComparison.OrdinalIgnoreCase) ||
            details.Contains("LibTorchSharp", StringComparison.Ordinal) || details.Contains("DllNotFound", StringComparison.Ordinal))
            return "libtorch's native libraries were not found next to the program. Reference TorchSharp together " +
                   "with a libtorch runtime package (libtorch-cpu-linux-x64 on Linux). Details: " + details;
        return "TorchSharp failed to initialise: " + details;
    }

    static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x != null; x = x.InnerException) yield return x;
    }

    static string FirstMatch(string text, string prefix)
    {
        int i = text.IndexOf(prefix, StringComparison.Ordinal);
        int j = i;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '.')) j++;
        return text[i..j].TrimEnd('.');
    }
}

public sealed class TorchRuntimeException(string message) : Exception(message);
