using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Study;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Study;

public class PreconditionsTests
{
    static PreconditionFigures Measure(double temperature)
    {
        using var dir = new TempDir();
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 3);
        using LoadedModel model = LoadedModel.LoadPretrained(dir.Path);
        TrainConfig config = ConfigBinder.Bind<TrainConfig>(StudyRunner.BuiltInRecipe(), "configs/study.yaml",
            ["model.threads=1", "rollout.max_new_tokens=6", $"rollout.temperature={temperature}", "data.tiers=[1, 3]"]);
        return Preconditions.Measure(model.Model, TrainingSetup.Environment(model, config), config, promptsPerTier: 3, TrainingSetup.PadTokenId(model));
    }

    [Fact]
    public void GreedyRolloutsAreIdenticalGroupsWithoutSignal()
    {
        PreconditionFigures f = Measure(temperature: 0);
        Assert.Equal(1.0, f.IdenticalGroupFrac);
        Assert.Equal(1.0, f.GrpoZeroAdvRate);       // identical rollouts, identical outcomes
        Assert.Equal(f.Pass1ByTier, f.PassGByTier);  // all right or all wrong per group
        Assert.Equal([1, 3], f.Tiers);
        Assert.Equal(3, f.HardestTier);
        Assert.False(f.Checks["identical_group_frac < 0.05"]);
    }

    [Fact]
    public void SampledRolloutsOfARandomModelAreDiverseAndUncertain()
    {
        PreconditionFigures f = Measure(temperature: 1);
        Assert.Equal(0.0, f.IdenticalGroupFrac);
        Assert.True(f.Top10Entropy >= f.MeanEntropy);            // the top decile of each rollout is at least its mean
        Assert.InRange(f.Top10Entropy, 4.0, Math.Log(260) + 1e-3); // near-uniform over the character vocabulary
        Assert.True(f.Checks["top10_entropy >= 1"]);
        Assert.All(f.PassGByTier.Zip(f.Pass1ByTier), p => Assert.True(p.First >= p.Second));
    }
}
