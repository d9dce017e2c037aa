using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;
using Ispo.Models.Sampling;
using Ispo.Models.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Runtime;

public class DeviceGuardTests
{
    [Fact]
    public void ATensorOnAnotherDeviceIsNamedWithItsSeam()
    {
        using Tensor host = zeros(3, device: CPU), elsewhere = zeros(3, device: META);
        DeviceGuard.Expect(CPU, "a seam", ("x", host), ("absent", null));
        var e = Assert.Throws<WrongDeviceException>(() => DeviceGuard.Expect(CPU, "the rollout batch", ("x", host), ("OldLogProbs", elsewhere)));
        Assert.StartsWith("the rollout batch: OldLogProbs is on meta, expected cpu (model.device)", e.Message);
    }

    [Fact]
    public void LibtorchsDeviceMismatchInsideAPartIsRethrownNamingThePart()
    {
        using Tensor host = zeros(3, device: CPU), elsewhere = zeros(3, device: META);
        var e = Assert.Throws<WrongDeviceException>(() => DeviceGuard.At("reward shaper X", () => host + elsewhere));
        Assert.StartsWith("reward shaper X: Expected all tensors to be on the same device", e.Message);
        Assert.Equal(5.0, DeviceGuard.At("fine", () => 5.0));
    }

    [Fact]
    public void SameDeviceReadsAMissingIndexAsTheCurrentOne()
    {
        Assert.True(DeviceGuard.Same(new Device(DeviceType.CUDA, -1), new Device(DeviceType.CUDA, 0)));
        Assert.False(DeviceGuard.Same(new Device(DeviceType.CUDA, 1), new Device(DeviceType.CUDA, 0)));
        Assert.False(DeviceGuard.Same(CPU, new Device(DeviceType.CUDA, 0)));
    }
}

/// <summary>The check mode changes libtorch's process-wide default device: nothing else may run beside it.</summary>
[CollectionDefinition(nameof(DeviceCheckCollection), DisableParallelization = true)]
public class DeviceCheckCollection;

[Collection(nameof(DeviceCheckCollection))]
public sealed class HostTensorsOnMetaTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ispo-device-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void UnderTheCheckATensorMadeWithoutADeviceIsOnMetaUntilDisposed()
    {
        using (DeviceGuard.HostTensorsOnMeta())
        {
            Assert.True(DeviceGuard.Checking);
            using Tensor planted = zeros(2);
            Assert.Equal(DeviceType.META, planted.device_type);
            using Tensor host = ones(2, device: CPU);
            var e = Assert.Throws<WrongDeviceException>(() => DeviceGuard.At("a planted component", () => host * planted));
            Assert.Contains("a planted component", e.Message);
            Assert.Contains("lands on meta", e.Message);
        }
        Assert.False(DeviceGuard.Checking);
        using Tensor after = zeros(2);
        Assert.Equal(DeviceType.CPU, after.device_type);
    }

    /// <summary>What a GPU run does in the Models layer, on libtorch's own ops (the CPU kernels never run off the CPU):
    /// load from disk, attach LoRA, sample, score, a checkpointed backward, save. Under the check, any of it making a
    /// tensor without naming a device fails here.</summary>
    [Fact]
    public void LoadingSamplingScoringAndTrainingMakeNoTensorOffTheModelsDevice()
    {
        ModelInit.Create(ModelInit.Preset("tiny"), dir, seed: 3);
        using (DeviceGuard.HostTensorsOnMeta())
        {
            using LoadedModel policy = LoadedModel.LoadPretrained(dir, device: CPU, cpuKernels: CpuKernels.Off);
            CausalLM model = policy.Model;
            LoraAdapters.Attach(model, new LoraOptions { Rank = 2, Dropout = 0.1 }, seed: 1);
            model.GradientCheckpointing = true;
            DeviceGuard.ExpectModule(model, CPU, "the loaded policy");
            IReadOnlyList<Sample> samples = Sampler.Generate(model, [[5, 6, 7], [8, 9]],
                new SamplingOptions { SamplesPerPrompt = 2, MaxNewTokens = 4, Seed = 1, Temperature = 1.0 });
            Assert.Equal(4, samples.Count);
            using Tensor ids = tensor(new long[] { 5, 6, 7, 8, 9, 10 }, [2, 3], device: CPU);
            using Tensor mask = tensor(new float[] { 0, 1, 1, 0, 1, 1 }, [2, 3], device: CPU);
            model.train();
            using TokenScores scores = Scorer.Score(model, ids, null, mask, new ScoreOptions { ComputeEntropy = true }, withGrad: true);
            scores.LogProbs.sum().backward();
            Assert.All(model.parameters().Where(p => p.requires_grad), p => Assert.NotNull(p.grad));
            PeftAdapter.Save(model.Lora!, Path.Combine(dir, "adapter"), dir);
            PeftAdapter.LoadWeights(model.Lora!, Path.Combine(dir, "adapter"));
        }
    }
}
