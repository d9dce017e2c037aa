// `ispo signals --input batch.json`: ISPO's composite rewards and GRPO advantages for a batch described in JSON,
// printed as JSON, to check the math on your own numbers and debug rewards offline (ISPO.md §3).
// Input: {"config": {lambda1, lambda2, top_k, tau_delta, alpha, beta, tau_h, epsilon, critical_set, symmetric,
// no_answer} (all optional), "rollouts": [{group, outcome, logprobs, base_logprobs, entropies, answer_mask,
// ablated_answer_logprobs (one per answer token)}]}. A rollout may have no tokens (EOS first): it has no answer.
// The answer span is whatever answer_mask marks (answer_span is decided by whoever builds it).
// Output: {"rollouts": [{ifd (the IFD_cond that enters Eq. 8, after the no_answer rule), critical, r_token (also
// when λ2 = 0), reward, advantage}] in input order, "metrics": {...}}. Whole groups are computed chunk by chunk, each
// padded only to its own longest rollout, and the metrics merged from partial sums (one 100k-token rollout among
// short ones costs its group's padding, not the batch's).
using System.CommandLine;
using System.Text.Json;
using Ispo.Algorithms;
using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Cli.Commands;

public static class SignalsCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "JSON batch: {\"config\": {...}, \"rollouts\": [...]}", Required = true };
        var command = new Command("signals", "Compute ISPO composite rewards and GRPO advantages for a JSON batch; prints JSON.");
        command.Options.Add(input);
        command.SetAction(parse =>
        {
            FileInfo file = parse.GetValue(input)!;
            try
            {
                string json = Compute(File.ReadAllText(file.FullName));
                parse.InvocationConfiguration.Output.WriteLine(json);
                return 0;
            }
            catch (Exception e) when (e is FormatException or JsonException or ArgumentException or IOException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {file.FullName}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Parses the batch, computes the signals, and returns the output JSON.</summary>
    internal static string Compute(string json)
    {
        SignalsInput input = SignalsInput.Parse(json);
        return Write(Evaluate(input, input.Chunks()));
    }

    /// <summary>Per input rollout (in input order) its signals; the batch's metrics; and the shape [B,T] of every chunk
    /// computed, which the tests read to see that no chunk is padded beyond its own longest rollout.</summary>
    internal sealed record Result(double[] Ifd, int[][] Critical, double[] TokenReward, double[] Reward, double[] Advantage,
                                  MetricsBag Metrics, IReadOnlyList<long[]> ChunkShapes);

    /// <summary>Chunk by chunk (whole groups, each chunk padded to its own longest rollout; see SignalsInput.Chunks):
    /// signals, GRPO advantages (group-scaled, so per group) and metric partials, merged into the batch's metrics.</summary>
    internal static Result Evaluate(SignalsInput input, IReadOnlyList<int[]> chunks)
    {
        TorchRuntime.EnsureLoaded();
        int n = input.Rollouts.Count;
        var result = new Result(new double[n], new int[n][], new double[n], new double[n], new double[n], new MetricsBag(), []);
        var partials = new MetricPartials();
        var shapes = new List<long[]>();
        var advantage = new GrpoAdvantage(new GrpoOptions { Epsilon = input.Epsilon });
        foreach (int[] inputs in chunks)
        {
            using var scope = NewDisposeScope();
            GroupedBatch batch = input.ToBatch(inputs);
            shapes.Add(batch.ResponseMask.shape);
            IspoSignalResult signals = IspoSignals.Compute(batch, input.Ispo);
            Tensor advantages = advantage.Compute(batch, signals.Reward);
            partials.Merge(BatchDiagnostics.Partials(batch, signals.Reward, advantages, signals));
            Scatter(input, inputs, signals, advantages, result);
        }
        return result with { Metrics = partials.ToMetrics(), ChunkShapes = shapes };
    }

    /// <summary>Copies a chunk's per-row outputs to their input positions.</summary>
    static void Scatter(SignalsInput input, int[] inputs, IspoSignalResult signals, Tensor advantages, Result result)
    {
        double[] ifd = signals.Ifd.data<double>().ToArray(), tokenReward = signals.TokenReward.data<double>().ToArray();
        double[] reward = signals.Reward.data<double>().ToArray(), advantage = advantages.data<double>().ToArray();
        bool[] critical = signals.Critical.numel() == 0 ? [] : signals.Critical.data<bool>().ToArray(); // TorchSharp cannot copy out an empty tensor
        long t = signals.Critical.shape[1];
        for (int row = 0; row < inputs.Length; row++)
        {
            int i = inputs[row];
            result.Ifd[i] = ifd[row];
            result.TokenReward[i] = tokenReward[row];
            result.Reward[i] = reward[row];
            result.Advantage[i] = advantage[row];
            result.Critical[i] = Enumerable.Range(0, input.Rollouts[i].LogProbs.Length).Where(j => critical[row * t + j]).ToArray();
        }
    }

    static string Write(Result result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("rollouts");
            for (int i = 0; i < result.Ifd.Length; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("ifd", result.Ifd[i]);
                w.WriteStartArray("critical");
                foreach (int j in result.Critical[i]) w.WriteNumberValue(j);
                w.WriteEndArray();
                w.WriteNumber("r_token", result.TokenReward[i]);
                w.WriteNumber("reward", result.Reward[i]);
                w.WriteNumber("advantage", result.Advantage[i]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("metrics");
            foreach (var (name, value) in result.Metrics) w.WriteNumber(name, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
