// The small, non-tensor part of a checkpoint (trainer_state.json): where training stands, so a resume continues exactly.
using Ispo.Models.Checkpoints;
using System.Text.Json;

namespace Ispo.Training.Runs;

/// <param name="Step">Last completed step.</param>
/// <param name="DataCursor">Index of the next prompt in the training stream (e.g. for <see cref="Tasks.SyntheticArithmetic.SampleMixed"/>).</param>
/// <param name="ConsecutiveNonFinite">Non-finite losses in a row so far (the NaN stop counter).</param>
/// <remarks>No generator states are stored: every random draw (prompt order, sampling, mini-batch shuffles, LoRA dropout
/// masks) is seeded from run.seed and the step, so the step and the data cursor determine what comes next.</remarks>
public sealed record TrainerState(int Step, long DataCursor, int ConsecutiveNonFinite)
{
    public const string FileName = "trainer_state.json";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>Writes <c>trainer_state.json</c> into a checkpoint folder (atomically).</summary>
    public void Save(string checkpointDir) => AtomicFile.WriteAllText(Path.Combine(checkpointDir, FileName), JsonSerializer.Serialize(this, Json));

    public static TrainerState Load(string checkpointDir)
    {
        string path = Path.Combine(checkpointDir, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {checkpointDir} has no {FileName}", path);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: empty trainer state");
    }
}
