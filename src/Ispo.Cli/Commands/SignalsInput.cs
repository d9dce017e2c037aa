// Reads the JSON batch of `ispo signals` (see SignalsCommand) into rollouts and options, with errors that name
// the rollout index and field, then lays the rollouts out as float64 GroupedBatches of whole groups (groups
// contiguous, each chunk padded only to its own longest rollout; a rollout may have no tokens), so users checking the
// math by hand get exact decimals rather than float32 rounding, and one long rollout does not pad the whole batch.
using System.Text.Json;
using Ispo.Algorithms;
using Ispo.Training.Configuration;
using static TorchSharp.torch;

namespace Ispo.Cli.Commands;

sealed record SignalsRollout(int Group, double Outcome, double[] LogProbs, double[] BaseLogProbs, double[] Entropies, bool[] AnswerMask, double[] AblatedAnswer);

sealed record SignalsInput(IspoOptions Ispo, double Epsilon, IReadOnlyList<SignalsRollout> Rollouts)
{
    static readonly string[] RolloutFields = ["group", "outcome", "logprobs", "base_logprobs", "entropies", "answer_mask", "ablated_answer_logprobs"];

    public static SignalsInput Parse(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the input must be a JSON object with \"rollouts\" (and optionally \"config\").");
        RejectUnknown(root, ["config", "rollouts"], "the top level");
        var (ispo, epsilon) = root.TryGetProperty("config", out JsonElement config) ? ParseConfig(config) : (new IspoOptions(), new GrpoOptions().Epsilon);
        if (!root.TryGetProperty("rollouts", out JsonElement rollouts) || rollouts.ValueKind != JsonValueKind.Array || rollouts.GetArrayLength() == 0)
            throw new FormatException("\"rollouts\" must be a non-empty array.");
        return new SignalsInput(ispo, epsilon, rollouts.EnumerateArray().Select(ParseRollout).ToList());
    }

    static (IspoOptions, double) ParseConfig(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object) throw new FormatException("\"config\" must be an object.");
        // answer_span says how training locates A; here the input's answer_mask is A, so the key would be ignored
        string[] known = [.. ConfigNaming.Keys(typeof(IspoOptions)).Select(p => ConfigNaming.ToSnake(p.Name)).Where(k => k != "answer_span"), "epsilon"];
        RejectUnknown(config, known, "config");
        string options = "{" + string.Join(", ", config.EnumerateObject().Where(p => p.Name != "epsilon").Select(p => $"{p.Name}: {p.Value.GetRawText()}")) + "}";
        IspoOptions ispo;
        try { ispo = (IspoOptions)ConfigBinder.Bind(typeof(IspoOptions), options, "config"); }
        catch (ConfigException bad) { throw new FormatException("config: " + string.Join("; ", bad.Errors.Select(x => $"{x.Path}: {x.Message}"))); }
        ispo.Validate();
        double epsilon = config.TryGetProperty("epsilon", out JsonElement e) ? Number(e, "config.epsilon") : new GrpoOptions().Epsilon;
        return (ispo, epsilon);
    }

    static SignalsRollout ParseRollout(JsonElement r, int index)
    {
        string at = $"rollouts[{index}]";
        if (r.ValueKind != JsonValueKind.Object) throw new FormatException($"{at} must be an object.");
        RejectUnknown(r, RolloutFields, at);
        int group = Required(r, "group", at).TryGetInt32(out int g) ? g : throw new FormatException($"{at}.group must be an integer.");
        double outcome = Number(Required(r, "outcome", at), $"{at}.outcome");
        if (outcome is not (0 or 1)) throw new FormatException($"{at}.outcome must be 0 or 1, got {outcome}.");
        double[] logprobs = LogProbs(Numbers(Required(r, "logprobs", at), $"{at}.logprobs", expected: null), $"{at}.logprobs"); // [] too: EOS came first
        double[] baseLogprobs = LogProbs(Numbers(Required(r, "base_logprobs", at), $"{at}.base_logprobs", logprobs.Length), $"{at}.base_logprobs");
        double[] entropies = InRange(Numbers(Required(r, "entropies", at), $"{at}.entropies", logprobs.Length), $"{at}.entropies", 0, MaxNats, "entropies in nats");
        bool[] answer = Numbers(Required(r, "answer_mask", at), $"{at}.answer_mask", logprobs.Length).Select((v, t) =>
            v is 0 or 1 ? v == 1 : throw new FormatException($"{at}.answer_mask[{t}] must be 0 or 1, got {v}.")).ToArray();
        int answerCount = answer.Count(a => a);
        double[] ablated = r.TryGetProperty("ablated_answer_logprobs", out JsonElement ab)
            ? LogProbs(Numbers(ab, $"{at}.ablated_answer_logprobs", answerCount), $"{at}.ablated_answer_logprobs")
            : answerCount == 0 ? [] : throw new FormatException($"{at}.ablated_answer_logprobs is missing; expected {answerCount} numbers (one per answer token).");
        return new SignalsRollout(group, outcome, logprobs, baseLogprobs, entropies, answer, ablated);
    }

    /// <summary>Far beyond any real token's log-probability or entropy, and small enough that sums over a rollout and
    /// products with the coefficients stay finite.</summary>
    const double MaxNats = 1e4;

    /// <summary>Log-probabilities are at most 0; a rounding error of an engine's float32 arithmetic is tolerated.</summary>
    static double[] LogProbs(double[] values, string at) => InRange(values, at, -MaxNats, 1e-4, "log-probabilities (≤ 0)");

    static double[] InRange(double[] values, string at, double low, double high, string what)
    {
        int bad = Array.FindIndex(values, v => !(v >= low && v <= high));
        return bad < 0 ? values : throw new FormatException($"{at}[{bad}] is {values[bad]}; expected {what} in [{low:G}, {high:G}].");
    }

    static JsonElement Required(JsonElement obj, string field, string at) =>
        obj.TryGetProperty(field, out JsonElement value) ? value : throw new FormatException($"{at}.{field} is missing.");

    static void RejectUnknown(JsonElement obj, string[] known, string at)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
            if (!known.Contains(p.Name))
                throw new FormatException($"{at}: unknown key \"{p.Name}\"; known: {string.Join(", ", known)}.");
    }

    static double Number(JsonElement e, string at) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw new FormatException($"{at} must be a number, got {e.ValueKind.ToString().ToLowerInvariant()}.");

    static double[] Numbers(JsonElement e, string at, int? expected)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new FormatException($"{at} must be an array of numbers.");
        double[] values = e.EnumerateArray().Select((x, i) => Number(x, $"{at}[{i}]")).ToArray();
        if (expected is { } n && values.Length != n)
            throw new FormatException($"{at} has {values.Length} entries; expected {n} ({(at.EndsWith("ablated_answer_logprobs", StringComparison.Ordinal) ? "one per answer token" : "one per token of logprobs")}).");
        return values;
    }

    /// <summary>Default for <see cref="Chunks"/>: about 2 MiB per float64 [B,T] tensor. A batch of short rollouts is
    /// one chunk; a long rollout costs its own group, not the batch.</summary>
    public const long DefaultChunkCells = 1 << 18;

    /// <summary>A chunk this small may pad its groups freely: the padding costs less than another chunk's overhead.</summary>
    public const long SmallChunkCells = 1 << 12;

    /// <summary>G: the size of the first group (<see cref="Chunks"/> checks that every group has it).</summary>
    public int GroupSize { get; } = Rollouts.Count(r => r.Group == Rollouts[0].Group);

    /// <summary>The rollouts in chunks of whole groups (groups by first appearance, in order; each chunk lists its rows'
    /// input indices in row order): consecutive groups share a chunk while its padded cells (rows × its longest rollout)
    /// stay within <paramref name="cellBudget"/> and either within 5/4 of the cells its groups take padded apart or
    /// under <see cref="SmallChunkCells"/>, so no group is padded much beyond its own longest rollout and short groups
    /// still go in few chunks; a group larger than the budget is a chunk alone. Signals,
    /// advantages and metrics are per row or per group, so chunks are computed apart and their metric partials merged.</summary>
    public IReadOnlyList<int[]> Chunks(long cellBudget = DefaultChunkCells)
    {
        var groups = Rollouts.Select((r, i) => (r, i)).GroupBy(x => x.r.Group).Select(x => x.Select(y => y.i).ToArray()).ToList();
        int g = groups[0].Length;
        foreach (int[] group in groups)
            if (group.Length != g)
                throw new FormatException($"group {Rollouts[group[0]].Group} has {group.Length} rollouts but group {Rollouts[groups[0][0]].Group} has {g}; every group needs the same size.");
        var chunks = new List<int[]>();
        var rows = new List<int>();
        long longest = 0, own = 0;                                                      // own: Σ rows × longest of each group apart
        foreach (int[] group in groups)
        {
            long groupLongest = group.Max(i => Rollouts[i].LogProbs.Length), merged = (rows.Count + g) * Math.Max(longest, groupLongest);
            if (rows.Count > 0 && (merged > cellBudget || merged > Math.Max(SmallChunkCells, (own + g * groupLongest) * 5 / 4)))
            {
                chunks.Add([.. rows]);
                rows.Clear();
                longest = own = 0;
            }
            rows.AddRange(group);
            longest = Math.Max(longest, groupLongest);
            own += g * groupLongest;
        }
        chunks.Add([.. rows]);
        return chunks;
    }

    /// <summary>One chunk of <see cref="Chunks"/> as a float64 GroupedBatch padded to the chunk's own longest rollout.</summary>
    public GroupedBatch ToBatch(int[] inputs)
    {
        SignalsRollout[] rows = inputs.Select(i => Rollouts[i]).ToArray();
        int t = rows.Max(r => r.LogProbs.Length);
        return new GroupedBatch
        {
            GroupSize = GroupSize,
            ResponseMask = Padded(rows, r => Enumerable.Repeat(1.0, r.LogProbs.Length).ToArray(), t),
            OutcomeRewards = tensor(rows.Select(r => r.Outcome).ToArray()),
            OldLogProbs = Padded(rows, r => r.LogProbs, t),
            BaseLogProbs = Padded(rows, r => r.BaseLogProbs, t),
            Entropies = Padded(rows, r => r.Entropies, t),
            AnswerMask = Padded(rows, r => r.AnswerMask.Select(a => a ? 1.0 : 0.0).ToArray(), t),
            AblatedAnswerLogProbs = Padded(rows, AlignAblated, t),
        };
    }

    /// <summary>Spreads the packed answer log-probs onto the answer positions.</summary>
    static double[] AlignAblated(SignalsRollout r)
    {
        var aligned = new double[r.LogProbs.Length];
        int next = 0;
        for (int t = 0; t < aligned.Length; t++)
            if (r.AnswerMask[t]) aligned[t] = r.AblatedAnswer[next++];
        return aligned;
    }

    /// <summary>[B,T] float64, zero-padded on the right; T may be 0 (every rollout empty).</summary>
    static Tensor Padded(SignalsRollout[] rows, Func<SignalsRollout, double[]> field, int t)
    {
        if (t == 0) return zeros(rows.Length, 0, dtype: ScalarType.Float64);            // tensor() refuses an empty array
        var data = new double[rows.Length * t];
        for (int i = 0; i < rows.Length; i++)
        {
            double[] values = field(rows[i]);
            Array.Copy(values, 0, data, i * t, values.Length);
        }
        return tensor(data, [rows.Length, t]);
    }
}
