// A control request the batch worker runs between batches, never during one (a weight reload, a pause, a resume);
// completed with null on success, else the reason it failed.
namespace Ispo.Serve.Engine;

internal sealed class WorkerCommand(Func<string?> run)
{
    public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Run()
    {
        try
        {
            Completion.TrySetResult(run());
        }
        catch (Exception e)
        {
            Completion.TrySetResult(e.Message);
        }
    }
}
