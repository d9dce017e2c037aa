// How a remote engine is put on the policy's current weights (rollout.weight_sync): full weights from disk, or the
// LoRA adapter as a new model name.
namespace Ispo.Training.Engines;

public interface IWeightSync
{
    /// <param name="step">Updates the policy has had (0 before the first): names what is written, so each sync has its own.</param>
    void Sync(int step);

    /// <summary>Whether every engine still serves what the last sync sent: false once one has restarted since (and so
    /// serves the weights it was started with).</summary>
    bool IsServed();
}
