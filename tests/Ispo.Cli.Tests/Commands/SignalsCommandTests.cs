using System.Text.Json;
using Ispo.Cli.Commands;

namespace Ispo.Cli.Tests.Commands;

public class SignalsCommandTests
{
    // The hand case of IspoSignalsTests: with top_k 0.3, C = {1, 5}, IFD = 0.5, R_token = −0.45 (correct) / 1.75 (incorrect).
    const string Tokens = """
        "logprobs": [-0.1, -0.5, -1.0, -0.2, -0.3, -0.4, -0.05, -2.0, -0.5, -0.6],
        "base_logprobs": [-0.5, -1.0, -1.1, -0.3, -0.9, -0.8, -0.05, -2.0, -0.5, -0.6],
        "entropies": [0.1, 2.0, 0.5, 2.0, 0.05, 1.5, 0.2, 0.3, 0.4, 0.6],
        "answer_mask": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
        "ablated_answer_logprobs": [-1.5, -0.6]
        """;

    static string Batch(string config = "\"top_k\": 0.3", string extra = "") => $$"""
        {"config": { {{config}} },
         "rollouts": [
           {"group": 7, "outcome": 0, {{Tokens}} },
           {"group": 3, "outcome": 1, "logprobs": [-1], "base_logprobs": [-1], "entropies": [1], "answer_mask": [0]},
           {"group": 7, "outcome": 1, {{Tokens}} {{extra}} },
           {"group": 3, "outcome": 1, "logprobs": [-1, -2], "base_logprobs": [-1, -2], "entropies": [1, 1], "answer_mask": [0, 0]}
         ]}
        """;

    static (int code, string output, string error) Run(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ispo-signals-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = IspoCli.Run(["signals", "--input", path], output, error);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ComputesTheHandCaseInInputOrder()
    {
        var (code, output, error) = Run(Batch());
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        JsonElement[] rollouts = doc.RootElement.GetProperty("rollouts").EnumerateArray().ToArray();
        Assert.Equal(4, rollouts.Length);
        JsonElement wrong = rollouts[0], right = rollouts[2];
        Assert.Equal([1, 5], right.GetProperty("critical").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(0.5, right.GetProperty("ifd").GetDouble(), 5);
        Assert.Equal(-0.45, right.GetProperty("r_token").GetDouble(), 5);
        Assert.Equal(1.75, wrong.GetProperty("r_token").GetDouble(), 5);
        Assert.Equal(1.205, right.GetProperty("reward").GetDouble(), 5);
        Assert.Equal(-0.075, wrong.GetProperty("reward").GetDouble(), 5);
        // G = 2: Â = ±(R − mean)/(sample std + ε) = ±1/√2 up to ε
        Assert.Equal(Math.Sqrt(0.5), right.GetProperty("advantage").GetDouble(), 5);
        Assert.Equal(-Math.Sqrt(0.5), wrong.GetProperty("advantage").GetDouble(), 5);
        Assert.Equal(0.0, rollouts[1].GetProperty("advantage").GetDouble());          // all-correct group
        JsonElement metrics = doc.RootElement.GetProperty("metrics");
        Assert.Equal(0.5, metrics.GetProperty("frac_reward_zero_std").GetDouble());
        Assert.Equal(0.5, metrics.GetProperty("ispo/useful_rollout_frac").GetDouble());
    }

    [Fact]
    public void ConfigSwitchesTheCriticalSet()
    {
        var (code, output, _) = Run(Batch("\"top_k\": 0.3, \"critical_set\": \"drift\", \"lambda1\": 0"));
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        JsonElement right = doc.RootElement.GetProperty("rollouts")[2];
        Assert.Equal([0, 1, 4, 5], right.GetProperty("critical").EnumerateArray().Select(x => x.GetInt32()));
    }

    [Fact]
    public void ReportsTheTokenRewardWhenLambda2IsZero()
    {
        var (code, output, error) = Run(Batch("\"top_k\": 0.3, \"lambda2\": 0"));
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        JsonElement wrong = doc.RootElement.GetProperty("rollouts")[0], right = doc.RootElement.GetProperty("rollouts")[2];
        Assert.Equal(-0.45, right.GetProperty("r_token").GetDouble(), 5);
        Assert.Equal(1.75, wrong.GetProperty("r_token").GetDouble(), 5);
        Assert.Equal(1.25, right.GetProperty("reward").GetDouble(), 10);             // R = R_o + λ1·(2R_o − 1)·IFD exactly
        Assert.Equal(-0.25, wrong.GetProperty("reward").GetDouble(), 10);
    }

    // Group 0: the hand case's incorrect rollout (IFD 0.5) and a rollout that ended at once (no tokens, so no answer).
    static string WithEmptyRollout(string config) => $$"""
        {"config": { {{config}} },
         "rollouts": [
           {"group": 0, "outcome": 0, {{Tokens}} },
           {"group": 0, "outcome": 0, "logprobs": [], "base_logprobs": [], "entropies": [], "answer_mask": []}
         ]}
        """;

    [Theory]
    [InlineData("", 0.5, -0.25)]                                  // worst_answered: −λ1·max(0.5, 0)
    [InlineData(", \"no_answer\": \"worst_answered\"", 0.5, -0.25)]
    [InlineData(", \"no_answer\": \"zero_ifd\"", 0.0, 0.0)]
    public void ARolloutWithoutTokensHasNoAnswerAndFollowsTheNoAnswerRule(string noAnswer, double ifd, double reward)
    {
        var (code, output, error) = Run(WithEmptyRollout("\"top_k\": 0.3" + noAnswer));
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        JsonElement empty = doc.RootElement.GetProperty("rollouts")[1];
        Assert.Equal(ifd, empty.GetProperty("ifd").GetDouble(), 10);
        Assert.Equal(reward, empty.GetProperty("reward").GetDouble(), 10);
        Assert.Equal(0.0, empty.GetProperty("r_token").GetDouble());
        Assert.Empty(empty.GetProperty("critical").EnumerateArray());
        Assert.Equal(-0.075, doc.RootElement.GetProperty("rollouts")[0].GetProperty("reward").GetDouble(), 10);
        Assert.Equal(0.5, doc.RootElement.GetProperty("metrics").GetProperty("ispo/no_answer_frac").GetDouble());
    }

    [Fact]
    public void ABatchOfEmptyRolloutsGivesTheOutcomes()
    {
        const string Empty = "\"logprobs\": [], \"base_logprobs\": [], \"entropies\": [], \"answer_mask\": []";
        var (code, output, error) = Run($$"""{"rollouts": [{"group": 0, "outcome": 0, {{Empty}} }, {"group": 0, "outcome": 0, {{Empty}} }]}""");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        foreach (JsonElement r in doc.RootElement.GetProperty("rollouts").EnumerateArray())
        {
            Assert.Equal(0.0, r.GetProperty("ifd").GetDouble());
            Assert.Equal(0.0, r.GetProperty("reward").GetDouble());
            Assert.Equal(0.0, r.GetProperty("advantage").GetDouble());
        }
    }

    [Theory]
    [InlineData("\"top_k\": 0.3, \"lamda1\": 1", "", "config: unknown key \"lamda1\"")]
    [InlineData("\"critical_set\": \"both\"", "", "config: critical_set: expected one of intersection | union | entropy | drift, got \"both\"")]
    [InlineData("", ", \"comment\": 1", "rollouts[2]: unknown key \"comment\"")]
    public void BadInputNamesTheField(string config, string extra, string expected)
    {
        var (code, _, error) = Run(Batch(config, extra));
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("entropies", "[1, 2]", "rollouts[0].entropies has 2 entries; expected 3 (one per token of logprobs)")]
    [InlineData("answer_mask", "[0, 1, 1]", "rollouts[0].ablated_answer_logprobs is missing; expected 2 numbers")]
    [InlineData("answer_mask", "[0, 2, 0]", "rollouts[0].answer_mask[1] must be 0 or 1")]
    [InlineData("ablated_answer_logprobs", "[1, 2]", "rollouts[0].ablated_answer_logprobs has 2 entries; expected 0 (one per answer token)")]
    [InlineData("outcome", "0.5", "rollouts[0].outcome must be 0 or 1")]
    public void RaggedOrMissingArraysNameRolloutAndField(string field, string value, string expected)
    {
        var fields = new Dictionary<string, string>
        {
            ["group"] = "0", ["outcome"] = "1", ["logprobs"] = "[-1, -1, -1]", ["base_logprobs"] = "[-1, -1, -1]",
            ["entropies"] = "[1, 1, 1]", ["answer_mask"] = "[0, 0, 0]",
        };
        fields[field] = value;
        string rollout = "{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
        var (code, _, error) = Run($"{{\"rollouts\": [{rollout}]}}");
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void MissingFieldsAndUnequalGroupsAreErrors()
    {
        Assert.Contains("rollouts[0].outcome is missing", Run("""{"rollouts": [{"group": 0, "logprobs": [-1]}]}""").error);
        string unequal = """{"rollouts": [{"group": 0, "outcome": 1, "logprobs": [-1], "base_logprobs": [-1], "entropies": [1], "answer_mask": [0]},""" +
                         """{"group": 0, "outcome": 0, "logprobs": [-1], "base_logprobs": [-1], "entropies": [1], "answer_mask": [0]},""" +
                         """{"group": 1, "outcome": 0, "logprobs": [-1], "base_logprobs": [-1], "entropies": [1], "answer_mask": [0]}]}""";
        Assert.Contains("group 1 has 1 rollouts but group 0 has 2", Run(unequal).error);
    }

    [Theory]
    [InlineData("\"top_k\": 0.3, \"lambda1\": 1e308", "ispo: lambda1 must be finite and at most 1e6 in magnitude")]
    [InlineData("\"top_k\": 0.3, \"lambda2\": -1e7", "ispo: lambda2 must be finite and at most 1e6 in magnitude")]
    public void CoefficientsThatWouldOverflowAreRefusedNamingTheField(string config, string message)
    {
        var (code, _, error) = Run(Batch(config));
        Assert.NotEqual(0, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("\"logprobs\": [0.5]", "rollouts[0].logprobs[0] is 0.5; expected log-probabilities (≤ 0)")]
    [InlineData("\"logprobs\": [-1e999]", "rollouts[0].logprobs[0]")]
    [InlineData("\"logprobs\": [-1], \"base_logprobs\": [1e999]", "rollouts[0].base_logprobs[0]")]
    [InlineData("\"logprobs\": [-1], \"base_logprobs\": [-1], \"entropies\": [-0.5]", "rollouts[0].entropies[0] is -0.5; expected entropies in nats")]
    public void LogProbsAndEntropiesOutOfRangeAreRefusedNamingTheEntry(string fields, string message)
    {
        string rollout = "{\"group\": 0, \"outcome\": 0, " + fields
            + (fields.Contains("base_logprobs") ? "" : ", \"base_logprobs\": [-1]") + (fields.Contains("entropies") ? "" : ", \"entropies\": [1]")
            + ", \"answer_mask\": [0]}";
        var (code, _, error) = Run("{\"rollouts\": [" + rollout + "]}");
        Assert.NotEqual(0, code);
        Assert.Contains(message, error);
    }

    /// <summary>A random batch: <paramref name="prompts"/> groups of <paramref name="g"/>, each rollout as long as
    /// <paramref name="length"/> says (0 = ended at once), valid values with entropy ties and answers at the end.</summary>
    static string RandomBatch(int seed, int prompts, int g, Func<Random, int, int, int> length, string config = "\"top_k\": 0.2")
    {
        var rng = new Random(seed);
        string Numbers(IEnumerable<double> xs) => "[" + string.Join(", ", xs.Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var rollouts = new List<string>();
        for (int p = 0; p < prompts; p++)
            for (int i = 0; i < g; i++)
            {
                int n = length(rng, p, i), answer = Math.Min(n, rng.Next(0, 4));
                double[] lp = Enumerable.Range(0, n).Select(_ => -3 * rng.NextDouble()).ToArray();
                rollouts.Add("{" + string.Join(", ",
                    $"\"group\": {(p * 7) % prompts}", $"\"outcome\": {rng.Next(2)}", $"\"logprobs\": {Numbers(lp)}",
                    $"\"base_logprobs\": {Numbers(lp.Select(x => Math.Min(0, x - (rng.NextDouble() - 0.3))))}",
                    $"\"entropies\": {Numbers(lp.Select(_ => Math.Round(2 * rng.NextDouble(), 1)))}",
                    $"\"answer_mask\": {Numbers(Enumerable.Range(0, n).Select(t => t >= n - answer ? 1.0 : 0))}",
                    $"\"ablated_answer_logprobs\": {Numbers(Enumerable.Range(0, answer).Select(_ => -4 * rng.NextDouble()))}") + "}");
            }
        return $$"""{"config": { {{config}} }, "rollouts": [{{string.Join(",\n", rollouts.OrderBy(_ => rng.Next()))}}]}""";
    }

    static bool Close(double x, double y) => Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(x));

    [Theory]
    [InlineData(1, "\"top_k\": 0.2")]
    [InlineData(2, "\"top_k\": 0.3, \"critical_set\": \"union\"")]
    [InlineData(3, "\"top_k\": 0.1, \"no_answer\": \"zero_ifd\", \"symmetric\": true")]
    public void GroupByGroupEqualsTheWholeBatch(int seed, string config)
    {
        // lengths 0–3 beside 300–600 tokens, rollouts shuffled across groups
        SignalsInput input = SignalsInput.Parse(RandomBatch(seed, 9, 4, (rng, p, i) => p % 4 == 2 ? rng.Next(300, 601) : rng.Next(0, 4), config));
        int[][] perGroup = [.. input.Chunks(cellBudget: 0)];
        SignalsCommand.Result whole = SignalsCommand.Evaluate(input, [[.. perGroup.SelectMany(c => c)]]), apart = SignalsCommand.Evaluate(input, perGroup);
        Assert.Single(whole.ChunkShapes);                                                // the old layout: one batch padded to the longest
        Assert.Equal(9, apart.ChunkShapes.Count);                                        // one chunk per group
        Assert.Contains(apart.ChunkShapes, s => s[1] <= 3);
        for (int i = 0; i < input.Rollouts.Count; i++)
        {
            Assert.Equal(whole.Critical[i], apart.Critical[i]);
            foreach (var (a, b) in new[] { (whole.Ifd, apart.Ifd), (whole.TokenReward, apart.TokenReward), (whole.Reward, apart.Reward), (whole.Advantage, apart.Advantage) })
                Assert.True(Close(a[i], b[i]), $"rollout {i}: {a[i]} vs {b[i]}");
        }
        Assert.Equal(whole.Metrics.Keys, apart.Metrics.Keys);
        Assert.Contains("ispo/ifd/incorrect_std", whole.Metrics.Keys);
        foreach (var (name, value) in whole.Metrics) Assert.True(Close(value, apart.Metrics[name]), $"{name}: {value} vs {apart.Metrics[name]}");
    }

    [Fact]
    public void OneLongRolloutPadsOnlyItsOwnGroup()
    {
        const int Long = 20_000, G = 4, Prompts = 12;
        SignalsInput input = SignalsInput.Parse(RandomBatch(4, Prompts, G, (rng, p, i) => p == 5 && i == 1 ? Long : rng.Next(1, 30)));
        SignalsCommand.Result result = SignalsCommand.Evaluate(input, input.Chunks());
        long[][] shapes = [.. result.ChunkShapes];
        Assert.Equal(Prompts * G, shapes.Sum(s => s[0]));                                // every row computed once
        Assert.Contains([G, Long], shapes);                                              // the long group alone, at its own length
        Assert.All(shapes.Where(s => s[1] != Long), s => Assert.True(s[1] < 30));        // nothing else padded to it
        Assert.Equal((long)G * Long, shapes.Max(s => s[0] * s[1]));                      // the largest tensor: the long group's, not B × longest
        Assert.Single(shapes, s => s[1] == Long);
    }

    [Fact]
    public void ChunksKeepWholeGroupsInOrderWithinTheBudget()
    {
        SignalsInput input = SignalsInput.Parse(RandomBatch(5, 6, 2, (rng, p, i) => p == 3 ? 10 : 1));
        int[] groupOrder = input.Rollouts.Select(r => r.Group).Distinct().ToArray();
        int[][] chunks = [.. input.Chunks(cellBudget: 4 * 10)];                           // 4 rows of the long group's length fit, 6 do not
        Assert.Equal(groupOrder, chunks.SelectMany(c => c.Select(i => input.Rollouts[i].Group)).Distinct());
        Assert.All(chunks, c => Assert.Equal(0, c.Length % 2));
        Assert.All(chunks, c => Assert.True(c.Length * c.Max(i => input.Rollouts[i].LogProbs.Length) <= 40 || c.Length == 2));
        Assert.Equal(Enumerable.Range(0, 12), chunks.SelectMany(c => c).Order());
    }
}
