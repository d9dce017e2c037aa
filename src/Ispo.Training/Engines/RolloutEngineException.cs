// A remote rollout engine failed past its retries, or answered what the trainer cannot use; the message names the
// endpoint and route.
namespace Ispo.Training.Engines;

public sealed class RolloutEngineException(string message, Exception? inner = null) : Exception(message, inner);
