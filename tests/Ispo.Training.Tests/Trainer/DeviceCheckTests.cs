// The wrong-device check on a CPU-only machine: whole RL runs under DeviceGuard.HostTensorsOnMeta (a tensor made
// without a device lands on meta, as one would land on the host in a GPU run), and components that plant such a tensor.
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Runtime;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Runs;
using Ispo.Training.Trainer;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

public enum PlantAt { Mixed, Returned }

public sealed record PlantedHostTensorOptions
{
    /// <summary>Mixed: the host tensor meets the batch's in an op. Returned: it is the estimator's output.</summary>
    public PlantAt At { get; init; } = PlantAt.Mixed;
}

/// <summary>GRPO's advantages plus a zero made the careless way, without a device: a bug only a non-CPU device shows.</summary>
[AlgorithmComponent("planted_host_tensor", typeof(PlantedHostTensorOptions), "GRPO plus a tensor made without a device (the device check's test).")]
public sealed class PlantedHostTensorAdvantage(PlantedHostTensorOptions options) : IAdvantageEstimator
{
    readonly GrpoAdvantage grpo = new(new GrpoOptions());

    public BatchInputs Needs => BatchInputs.None;

    public Tensor Compute(GroupedBatch batch, Tensor rewards) => options.At == PlantAt.Mixed
        ? grpo.Compute(batch, rewards) + zeros(batch.Rows)                     // the planted host tensor
        : zeros(batch.Rows).add_(0);                                           // ditto, handed on as the output
}

/// <summary>The check mode changes libtorch's process-wide default device: nothing else may run beside it.</summary>
[CollectionDefinition(nameof(DeviceCheckCollection), DisableParallelization = true)]
public class DeviceCheckCollection;

[Collection(nameof(DeviceCheckCollection))]
public sealed class DeviceCheckTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-devicecheck-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static CausalLM Model()   // libtorch's own ops, as on a GPU: the CPU kernels run only on the CPU
    {
        var model = new CausalLM(RlTrainerTests.Tiny, device: CPU, cpuKernels: CpuKernels.Off);
        model.InitWeights(1);
        model.eval();
        return model;
    }

    RlRunResult Run(TrainConfig config, bool resume)
    {
        using CausalLM policy = Model();
        TrainingSetup.PreparePolicy(policy, config);
        var run = new RlRun(config, policy, null, TrainingSetup.BaseModel(config, policy, Model),
            new FakeEnvironment(RlTrainerTests.Tiny.VocabSize), FakeEnvironment.Problems(5), padTokenId: 0, new PlainProgressReporter(TextWriter.Null));
        return run.Execute(resume);
    }

    TrainConfig Config(string name, int steps, params string[] more) => RlTrainerTests.SmallConfig(
        [$"run.out_dir={root}", $"run.name={name}", $"run.steps={steps}", "run.checkpoint_every=1", "run.tensorboard=false", .. more]);

    /// <summary>Sampling, every scoring pass, signals, each kind of component, the update, LoRA, checkpointing and a
    /// checkpoint saved and resumed: none of it makes a tensor off model.device.</summary>
    [Theory]
    [InlineData("algorithm.shapers=[ispo]", "algorithm.loss={name: clipped, kl_coef: 0.1, mask_truncated: true}")]
    [InlineData("algorithm.shapers=[ispo, {name: overlong_penalty, cache_length: 4}, kl_penalty]", "algorithm.filter.name=dynamic_sampling", "algorithm.filter.by=reward")]
    [InlineData("algorithm.advantage={name: decayed_grpo, gamma: 0.8}", "model.lora={rank: 2, dropout: 0.1}", "model.gradient_checkpointing=true", "optim.grad_accumulation=2")]
    [InlineData("algorithm.advantage=rloo", "algorithm.shapers=[{name: ispo, critical_set: union}]", "model.gradient_checkpointing=true")]
    public void WholeRunsMakeNoTensorOffTheModelsDevice(params string[] recipe)
    {
        using (DeviceGuard.HostTensorsOnMeta())
        {
            Run(Config("check", 2, recipe), resume: false);
            RlRunResult resumed = Run(Config("check", 3, recipe), resume: true);
            Assert.Equal(3, resumed.Steps);
        }
    }

    [Theory]
    [InlineData(PlantAt.Mixed, "advantage estimator PlantedHostTensorAdvantage: Expected all tensors to be on the same device")]
    [InlineData(PlantAt.Returned, "advantage estimator PlantedHostTensorAdvantage: its advantages is on meta, expected cpu (model.device)")]
    public void APlantedHostTensorIsCaughtNamingItsComponent(PlantAt at, string expected)
    {
        TrainConfig config = Config($"planted-{at}", 1, $"algorithm.advantage={{name: planted_host_tensor, at: {ConfigNaming.ToSnake(at.ToString())}}}");
        Assert.Equal(1, Run(config with { Run = config.Run with { Name = $"unchecked-{at}" } }, resume: false).Steps); // on the CPU alone it passes unseen
        using (DeviceGuard.HostTensorsOnMeta())
        {
            var e = Assert.Throws<WrongDeviceException>(() => Run(config, resume: false));
            Assert.StartsWith(expected, e.Message);
        }
    }
}
