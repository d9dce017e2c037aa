// A request to load new weights from a folder, run by the batch worker between batches.
namespace Ispo.Serve.Engine;

/// <summary>A request to load new weights from a folder; completed with null on success, else the reason.</summary>
internal sealed class WeightReload(string directory)
{
    public string Directory { get; } = directory;
    public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
