// A queued request dropped by /pause_generation in SGLang's default "abort" mode; the client may send it again.
namespace Ispo.Serve.Engine;

internal sealed class JobAbortedException() : Exception("the request was aborted by /pause_generation before it ran; send it again");
