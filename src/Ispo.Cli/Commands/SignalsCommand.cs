// `ispo signals --input batch.json`: ISPO's composite rewards and GRPO advantages for a batch described in JSON,
// printed as JSON, to check the math on your own numbers and debug rewards offline (ISPO.md §3).
// Input: {"config": {lambda1, lambda2, top_k, tau_delta, alpha, beta, tau_h, epsilon, critical_set, symmetric,
// no_answer} (all optional), "rollouts": [{group, outcome, logprobs, base_logprobs, entropies, answer_mask,
// ablated_answer_logprobs (one per answer token)}]}. A rollout may have no tokens (EOS first): it has no answer.
// The answer span is whatever answer_mask marks (answer_span is decided by whoever builds it).
// Output: {"rollouts": [{ifd (the IFD_cond that enters Eq. 8, after the no_answer rule), critical, r_token (also
// when λ2 = 0), reward, advantage}] in input order, "metrics": {...}}.
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
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var (batch, rowOf) = input.ToBatch();
        IspoSignalResult signals = IspoSignals.Compute(batch, input.Ispo);
        Tensor advantages = new GrpoAdvantage(new GrpoOptions { Epsilon = input.Epsilon }).Compute(batch, signals.Reward);
        MetricsBag metrics = BatchDiagnostics.Compute(batch, signals.Reward, advantages, signals);
        return Write(input, rowOf, signals, advantages, metrics);
    }

    static string Write(SignalsInput input, int[] rowOf, IspoSignalResult signals, Tensor advantages, MetricsBag metrics)
    {
        double[] ifd = signals.Ifd.data<double>().ToArray(), tokenReward = signals.TokenReward.data<double>().ToArray();
        double[] reward = signals.Reward.data<double>().ToArray(), advantage = advantages.data<double>().ToArray();
        bool[] critical = signals.Critical.numel() == 0 ? [] : signals.Critical.data<bool>().ToArray(); // TorchSharp cannot copy out an empty tensor
        long t = signals.Critical.shape[1];
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("rollouts");
            for (int i = 0; i < input.Rollouts.Count; i++)
            {
                int row = rowOf[i];
                w.WriteStartObject();
                w.WriteNumber("ifd", ifd[row]);
                w.WriteStartArray("critical");
                for (int j = 0; j < input.Rollouts[i].LogProbs.Length; j++)
                    if (critical[row * t + j]) w.WriteNumberValue(j);
                w.WriteEndArray();
                w.WriteNumber("r_token", tokenReward[row]);
                w.WriteNumber("reward", reward[row]);
                w.WriteNumber("advantage", advantage[row]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("metrics");
            foreach (var (name, value) in metrics) w.WriteNumber(name, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
