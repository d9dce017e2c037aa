// TensorBoard event files through TorchSharp's SummaryWriter (scalars only), one tag per metric name.
using TorchSharp;

namespace Ispo.Training.Runs;

public sealed class TensorBoardMetricsSink(string logDir) : IMetricsSink
{
    readonly TorchSharp.Modules.SummaryWriter writer = torch.utils.tensorboard.SummaryWriter(logDir);

    public void Write(int step, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var (name, value) in metrics)
            if (double.IsFinite(value)) writer.add_scalar(name, (float)value, step);
    }

    public void Dispose() { }  // SummaryWriter writes and closes the event file on every call
}
