using Ispo.Models;
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Rollouts;
using Ispo.Training.Trainer;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

public class TrainingSetupTests
{
    static readonly FakeEnvironment Env = new(64);

    [Fact]
    public void LoadModel_takes_the_recipes_cpu_kernels_choice()
    {
        using var dir = new TempDir();
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 1);
        using LoadedModel off = TrainingSetup.LoadModel(dir.Path, RlTrainerTests.SmallConfig("model.cpu_kernels=off"));
        using LoadedModel auto = TrainingSetup.LoadModel(dir.Path, RlTrainerTests.SmallConfig());
        using LoadedModel plain = LoadedModel.LoadPretrained(dir.Path);
        Assert.False(off.Model.UsesCpuKernels);
        Assert.Equal(plain.Model.UsesCpuKernels, auto.Model.UsesCpuKernels);
        Assert.Equal("libtorch operations only", TrainingSetup.KernelsNote(off.Model));
    }

    [Fact]
    public void LoadModel_takes_the_recipes_dtype()
    {
        using var dir = new TempDir();
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 1);
        using LoadedModel bf16 = TrainingSetup.LoadModel(dir.Path, RlTrainerTests.SmallConfig("model.dtype=bfloat16"));
        using LoadedModel fp32 = TrainingSetup.LoadModel(dir.Path, RlTrainerTests.SmallConfig());
        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, bf16.Model.Dtype);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, fp32.Model.Dtype);
    }

    [Fact]
    public void WithLoraOnlyTheAdaptersTrainAndTheBaseIsThePolicyWithThemOff()
    {
        TrainConfig config = RlTrainerTests.SmallConfig("algorithm.shapers=[ispo]", "model.lora.rank=4", "model.lora.alpha=8");
        using CausalLM policy = RlTrainerTests.TinyModel();
        TrainingSetup.PreparePolicy(policy, config);
        var adapters = policy.Lora!.Parameters().ToHashSet(ReferenceEqualityComparer.Instance);
        var before = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var trainer = new RlTrainer(config, policy, TrainingSetup.BaseModel(config, policy, () => throw new InvalidOperationException("loaded a second model")),
            new FakeEnvironment(RlTrainerTests.Tiny.VocabSize), FakeEnvironment.Problems(6), padTokenId: 0);
        Assert.Equal(adapters.Count, trainer.Optimizer.parameters().Count());
        Assert.All(trainer.Optimizer.parameters(), p => Assert.Contains(p, adapters));

        RlStepReport first = trainer.RunStep();
        trainer.RunStep();
        Assert.True(trainer.BaseModelLoaded);
        foreach (var (name, p) in policy.named_parameters())
        {
            bool changed = (p.detach() - before[name]).abs().max().item<float>() > 0;
            Assert.True(changed == adapters.Contains(p), name); // A moves from the second step on, once B ≠ 0
        }
        // the first step's base log-probs are the untouched model's (its adapters still had B = 0, so also the policy's)
        using CausalLM untouched = RlTrainerTests.TinyModel();
        float[][] expected = RolloutScoring.ScoreResponses(untouched, first.Rollouts);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].Zip(first.Rollouts[i].BaseLogProbs!).All(p => Math.Abs(p.First - p.Second) < 1e-5));
    }

    [Fact]
    public void APromptThatFitsBesideTheRolloutPasses() =>
        TrainingSetup.CheckPromptsFit(RlTrainerTests.SmallConfig(["rollout.max_new_tokens=8"]), [new TrainingProblem("p", new string('x', 24), "1")], Env, maxPositions: 32);

    [Fact]
    public void APromptLongerThanThePositionsLeaveIsRefusedNamingIt()
    {
        var error = Assert.Throws<InvalidDataException>(() => TrainingSetup.CheckPromptsFit(
            RlTrainerTests.SmallConfig(["rollout.max_new_tokens=8"]), [new TrainingProblem("p", new string('x', 25), "1")], Env, maxPositions: 32));
        Assert.Contains("problem 'p': its prompt is 25 tokens, more than the 24 tokens", error.Message);
    }

    [Fact]
    public void AHugePromptIsRefusedWithoutTokenizingIt()
    {
        var counting = new CountingEnvironment();
        string huge = new('x', 50_000_000);
        var error = Assert.Throws<InvalidDataException>(() => TrainingSetup.CheckPromptsFit(
            RlTrainerTests.SmallConfig(["rollout.max_new_tokens=8"]), [new TrainingProblem("big", huge, "1")], counting, maxPositions: 512));
        Assert.Contains("problem 'big': its prompt is 50000000 characters", error.Message);
        Assert.Equal(0, counting.Encoded);
    }

    sealed class CountingEnvironment : IRolloutEnvironment
    {
        public int Encoded;
        public int[] EncodePrompt(TrainingProblem problem) { Encoded++; return Env.EncodePrompt(problem); }
        public ResponseText Decode(IReadOnlyList<int> responseTokens) => Env.Decode(responseTokens);
        public string DecodePrompt(IReadOnlyList<int> promptTokens) => Env.DecodePrompt(promptTokens);
        public Judgement Judge(string completion, TrainingProblem problem) => Env.Judge(completion, problem);
    }
}

public class TrainingSetupDatasetTests
{
    [Fact]
    public void ADatasetWithoutGoldAnswersIsRefusedNamingIt()
    {
        using var dir = new TempDir();
        string file = dir.File("no-answers.jsonl");
        File.WriteAllText(file, "{\"problem\": \"1+1\", \"answer\": \"\"}\n{\"problem\": \"2+2\", \"answer\": \" \"}\n");
        var error = Assert.Throws<InvalidDataException>(() => TrainingSetup.Problems(
            RlTrainerTests.SmallConfig(["data.task=dataset", $"data.dataset={file}"]), null));
        Assert.Contains($"data.dataset {file}: none of its 2 rows has a gold answer", error.Message);
    }
}
