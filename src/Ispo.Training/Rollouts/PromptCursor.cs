// Deterministic prompt order: an endless sequence of seeded permutations of the problem list. The position is the
// only state, so a resumed run draws exactly the prompts an uninterrupted one would.
using Ispo.Training.Trainer;

namespace Ispo.Training.Rollouts;

public sealed class PromptCursor(IReadOnlyList<TrainingProblem> problems, int seed, bool shuffle = true)
{
    readonly Dictionary<long, int[]> permutations = [];

    public long Position { get; set; }

    public IReadOnlyList<TrainingProblem> Draw(int count)
    {
        if (problems.Count == 0) throw new InvalidOperationException("the training set is empty");
        var drawn = new List<TrainingProblem>(count);
        for (int i = 0; i < count; i++, Position++)
            drawn.Add(problems[Permutation(Position / problems.Count)[(int)(Position % problems.Count)]]);
        return drawn;
    }

    int[] Permutation(long epoch)
    {
        if (permutations.TryGetValue(epoch, out int[]? p)) return p;
        permutations.Clear();
        var random = new Random(Seeds.Mix(seed, epoch, 0x5eed));
        p = Enumerable.Range(0, problems.Count).ToArray();
        if (shuffle) random.Shuffle(p);
        return permutations[epoch] = p;
    }
}
