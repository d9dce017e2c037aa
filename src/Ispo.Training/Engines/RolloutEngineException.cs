// A remote rollout engine failed past its retries, or answered what the trainer cannot use; the message names the
// endpoint and route, and Status the HTTP status when the engine answered one.
namespace Ispo.Training.Engines;

public sealed class RolloutEngineException(string message, Exception? inner = null, int? status = null) : Exception(message, inner)
{
    public int? Status { get; } = status;
}
