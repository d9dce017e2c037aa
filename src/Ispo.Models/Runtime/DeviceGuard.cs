// The wrong-device check. Every seam between Ispo's parts (the rollout batch, each algorithm component's output, the
// scorer's inputs, the loss, the parameters the optimizer steps) asserts that its tensors live on model.device, and a
// device mismatch libtorch raises inside a part is re-thrown naming that part. On a GPU that catches a host tensor
// where a device tensor is expected. To catch one on a CPU-only machine, HostTensorsOnMeta makes every tensor created
// without an explicit device land on libtorch's `meta` device: a CPU run then is to such a tensor what a GPU run is to
// a host tensor (a different device), so the same seams fail, naming where.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Runtime;

/// <summary>A tensor was on another device than the one its seam expects.</summary>
public sealed class WrongDeviceException(string message, Exception? inner = null) : Exception(message, inner);

public static class DeviceGuard
{
    static int checking;

    /// <summary>True while <see cref="HostTensorsOnMeta"/> is in force.</summary>
    public static bool Checking => Volatile.Read(ref checking) > 0;

    /// <summary>Check mode, for tests on CPU-only machines: until disposed, a tensor (or module) made without a device
    /// lands on <c>meta</c>, where no CPU computation can use it, instead of the CPU. Process-wide (libtorch's default
    /// device is): run it in a test collection of its own.</summary>
    public static IDisposable HostTensorsOnMeta()
    {
        Device before = get_default_device();
        Interlocked.Increment(ref checking);
        set_default_device(META);
        return new Restore(() => { set_default_device(before); Interlocked.Decrement(ref checking); });
    }

    /// <summary>Throws <see cref="WrongDeviceException"/> naming <paramref name="where"/> and the tensor when any of
    /// <paramref name="tensors"/> (nulls skipped) is not on <paramref name="expected"/>.</summary>
    public static void Expect(Device expected, string where, params (string Name, Tensor? Tensor)[] tensors)
    {
        foreach ((string name, Tensor? t) in tensors)
            if (t is not null && !Same(t.device, expected))
                throw new WrongDeviceException($"{where}: {name} is on {t.device}, expected {expected} (model.device){Hint(t.device)}");
    }

    /// <summary>Every parameter and buffer of <paramref name="module"/> on <paramref name="expected"/>.</summary>
    public static void ExpectModule(nn.Module module, Device expected, string where)
    {
        foreach ((string name, Tensor p) in module.named_parameters()) Expect(expected, where, ($"parameter {name}", p));
        foreach ((string name, Tensor b) in module.named_buffers()) Expect(expected, where, ($"buffer {name}", b));
    }

    /// <summary>Runs <paramref name="run"/>; a device mismatch libtorch reports inside it becomes a
    /// <see cref="WrongDeviceException"/> that names <paramref name="where"/>.</summary>
    public static T At<T>(string where, Func<T> run)
    {
        try { return run(); }
        catch (Exception e) when (e is not WrongDeviceException && IsDeviceError(e.Message))
        {
            throw new WrongDeviceException($"{where}: {FirstLine(e.Message)}{(Checking ? Hint(META) : "")}", e);
        }
    }

    public static void At(string where, Action run) => At(where, () => { run(); return 0; });

    /// <summary>Same device: the same type, and the same index where both name one (<c>cuda</c> is the current GPU).</summary>
    public static bool Same(Device a, Device b) => a.type == b.type && (a.index < 0 || b.index < 0 || a.index == b.index);

    static bool IsDeviceError(string message) =>
        message.Contains("Expected all tensors to be on the same device", StringComparison.Ordinal)
        || message.Contains("to be on the same device", StringComparison.Ordinal)
        || (Checking && message.Contains("meta", StringComparison.OrdinalIgnoreCase));

    static string Hint(Device found) => found.type == DeviceType.META && Checking
        ? "; under the device check a tensor made without device: lands on meta, so one was created on the host default here: give it its inputs' device or model.device"
        : "";

    /// <summary>libtorch's first line, without its advice on PT2 fake kernels when an operator met a meta tensor.</summary>
    static string FirstLine(string message)
    {
        string line = message.Split('\n')[0].Trim();
        int meta = line.IndexOf(": attempted to run this operator with Meta tensors", StringComparison.Ordinal);
        return meta > 0 ? line[..meta] + ": an input is on meta" : line;
    }

    sealed class Restore(Action undo) : IDisposable
    {
        Action? pending = undo;
        public void Dispose() => Interlocked.Exchange(ref pending, null)?.Invoke();
    }
}
