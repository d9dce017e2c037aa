using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Checkpoints;
using Ispo.Training.Rollouts;
using Ispo.Training.Trainer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

/// <summary>bf16 mixed precision: the model stays bf16, the masters and AdamW's moments fp32; one step's gradient is an
/// fp32 model's to bf16's rounding, and the masters keep updates smaller than bf16 can hold.</summary>
public class MasterWeightsTests
{
    internal static CausalLM Bf16Copy(CausalLM fp32)
    {
        var model = new CausalLM(RlTrainerTests.Tiny, ScalarType.BFloat16, fp32.Device);
        using var _ = no_grad();
        var source = fp32.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in model.named_parameters()) p.copy_(source[name]);
        model.eval();
        return model;
    }

    static List<Rollout> Rollouts() => Enumerable.Range(0, 4).Select(i => new Rollout
    {
        Group = i / 2, PromptTokens = [3, 4 + i, 5], ResponseTokens = Enumerable.Range(0, 3 + i).Select(j => 6 + (i * 7 + j) % 30).ToArray(),
        OldLogProbs = Enumerable.Repeat(-3.5f, 3 + i).ToArray(), Entropies = new float[3 + i], Completion = "", Outcome = i % 2, Truncated = false,
    }).ToList();

    static UpdateResult Step(CausalLM policy, optim.Optimizer optimizer, MasterWeights? masters)
    {
        using RolloutBatch batch = RolloutBatch.Build(Rollouts(), 2, 0, BatchInputs.None);
        using Tensor advantages = tensor(new[] { 1.0f, -1.0f, 0.5f, -0.5f });
        return PolicyUpdater.Update(policy, optimizer, batch, advantages, new ClippedSurrogateLoss(new PolicyLossOptions()),
            new UpdateOptions(1, 4, 2, GradClip: 1.0), new Random(1), masters);
    }

    [Fact]
    public void MastersAndMomentsStayFp32AndTheStepFollowsFp32s()
    {
        using CausalLM reference = RlTrainerTests.TinyModel();
        using CausalLM policy = Bf16Copy(reference);
        var start = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using MasterWeights masters = MasterWeights.Create(policy);
        using AdamW optimizer = Optimizers.AdamW(masters.Parameters, 1e-3);
        using AdamW fp32Optimizer = Optimizers.AdamW(reference, 1e-3);

        UpdateResult mixed = Step(policy, optimizer, masters), full = Step(reference, fp32Optimizer, null);
        Assert.Equal((1, 1), (mixed.OptimizerSteps, full.OptimizerSteps));
        Assert.True(double.IsFinite(mixed.Metrics["loss"]));
        Assert.All(policy.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.All(masters.Parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(optimizer.state_dict().State.OfType<AdamW.State>(), s => Assert.Equal(ScalarType.Float32, s.exp_avg.dtype));

        var names = reference.named_parameters().Select(p => p.name).ToList();
        var fp32 = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var bf16 = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        for (int i = 0; i < names.Count; i++)
        {
            Tensor master = masters.Parameters[i];
            // the fp32 gradient the masters stepped with is the fp32 model's, to bf16's rounding of the forward and backward
            double error = (master.grad! - fp32[names[i]].grad!).norm().item<float>() / fp32[names[i]].grad!.norm().item<float>();
            Assert.True(error < 0.05, $"{names[i]}: the mixed gradient is {error:P1} off fp32's");
            Assert.True((master - start[names[i]]).abs().max().item<float>() > 0, $"{names[i]} did not move");
            // the model is the masters rounded to bf16
            Assert.Equal(0, (bf16[names[i]].to(ScalarType.Float32) - master.to(ScalarType.BFloat16).to(ScalarType.Float32)).abs().max().item<float>());
        }
    }

    [Fact]
    public void TheMastersKeepStepsBelowBf16sResolution()
    {
        using CausalLM reference = RlTrainerTests.TinyModel();
        using CausalLM policy = Bf16Copy(reference);
        using CausalLM pure = Bf16Copy(reference);
        var start = policy.parameters().Select(p => p.detach().to(ScalarType.Float32)).ToList();
        using MasterWeights masters = MasterWeights.Create(policy);
        using AdamW optimizer = Optimizers.AdamW(masters.Parameters, 1e-5);
        using AdamW pureOptimizer = Optimizers.AdamW(pure, 1e-5);
        Step(policy, optimizer, masters);
        Step(pure, pureOptimizer, null);
        // weights near 0.1 step by 1e-5, under bf16's spacing there (5e-4): pure bf16 loses most of them, the masters none
        Tensor embed = masters.Parameters[0];
        double moved = (embed - start[0]).abs().gt(5e-6).to(ScalarType.Float32).mean().item<float>();
        double pureMoved = (pure.parameters().First().to(ScalarType.Float32) - start[0]).abs().gt(0).to(ScalarType.Float32).mean().item<float>();
        Assert.True(moved > 0.5, $"masters moved {moved:P0}");
        Assert.True(pureMoved < moved / 2, $"pure bf16 moved {pureMoved:P0}, the masters {moved:P0}");
    }

    [Fact]
    public void TheTrainerStepsMastersUnderMixedPrecision()
    {
        using CausalLM reference = RlTrainerTests.TinyModel();
        using CausalLM policy = Bf16Copy(reference);
        var before = policy.parameters().Select(p => p.detach().clone()).ToList();
        var config = RlTrainerTests.SmallConfig("model.dtype=bfloat16", "model.mixed_precision=true", "run.steps=1");
        using var trainer = new RlTrainer(config, policy, () => Bf16Copy(reference), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(4), padTokenId: 0);
        RlStepReport report = trainer.RunStep();
        Assert.True(double.IsFinite(report.Metrics["loss"]));
        Assert.All(trainer.Optimizer.state_dict().State.OfType<AdamW.State>(), s => Assert.Equal(ScalarType.Float32, s.exp_avg.dtype));
        Assert.All(policy.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.Contains(policy.parameters().Zip(before), p => (p.First - p.Second).abs().max().to(ScalarType.Float32).item<float>() > 0);
    }

    [Fact]
    public void SavedMastersLoadBackExactlyAndAnotherModelsAreRefusedByName()
    {
        string dir = Directory.CreateTempSubdirectory("ispo-masters-").FullName;
        try
        {
            using CausalLM policy = Bf16Copy(RlTrainerTests.TinyModel());
            using MasterWeights masters = MasterWeights.Create(policy);
            using (no_grad()) masters.Parameters[0].add_(1e-4f); // a change bf16 cannot hold
            masters.Save(dir);
            using MasterWeights loaded = MasterWeights.Create(policy);
            loaded.Load(dir);
            Assert.All(masters.Parameters.Zip(loaded.Parameters), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));

            using var other = new CausalLM(RlTrainerTests.Tiny with { VocabSize = RlTrainerTests.Tiny.VocabSize + 1 }, ScalarType.BFloat16);
            using MasterWeights wrong = MasterWeights.Create(other);
            Tensor before = wrong.Parameters[1].detach().clone(); // a layer weight: its shape matches
            var e = Assert.Throws<CheckpointMismatchException>(() => wrong.Load(dir));
            Assert.Contains(MasterWeights.FileName, e.Message);
            Assert.Contains("embed_tokens", e.Message);
            Assert.True(wrong.Parameters[1].allclose(before, rtol: 0, atol: 0)); // checked before anything is copied
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
