// Where a step's metrics go: JSONL, TensorBoard, the console, or several at once.
namespace Ispo.Training.Runs;

public interface IMetricsSink : IDisposable
{
    /// <summary>Records one step's metrics (names from <see cref="Reports.MetricNames"/>; non-finite values allowed).</summary>
    void Write(int step, IReadOnlyDictionary<string, double> metrics);
}

/// <summary>Fans one step's metrics out to several sinks; disposes them all.</summary>
public sealed class CompositeMetricsSink(params IMetricsSink[] sinks) : IMetricsSink
{
    public void Write(int step, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (IMetricsSink sink in sinks) sink.Write(step, metrics);
    }

    public void Dispose()
    {
        foreach (IMetricsSink sink in sinks) sink.Dispose();
    }
}
