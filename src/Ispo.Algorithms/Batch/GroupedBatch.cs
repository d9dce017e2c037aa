// The grouped batch every algorithm component receives: P prompts × G rollouts, rows contiguous by group (row
// p·G + g is rollout g of prompt p), so group math is a view(P, G). B = P·G, T = padded response length.
// The caller owns the tensors; components read them and never dispose or modify them.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record GroupedBatch
{
    /// <summary>G, rollouts per prompt.</summary>
    public required int GroupSize { get; init; }

    public required Tensor ResponseMask { get; init; }          // [B,T] float32: 1 on generated tokens, 0 on padding
    public required Tensor OutcomeRewards { get; init; }        // [B] float32: verifier reward R_o ∈ {0,1}
    public required Tensor OldLogProbs { get; init; }           // [B,T] float32: log π_θold(y_t) of the sampled token

    public Tensor? Entropies { get; init; }                     // [B,T] float32: H_t (nats) of π_θold's next-token distribution
    /// <summary>Frozen base policy π_θ0; also the KL reference (the paper's reference is the initial checkpoint).</summary>
    public Tensor? BaseLogProbs { get; init; }                  // [B,T] float32: log π_θ0(y_t)
    public Tensor? AnswerMask { get; init; }                    // [B,T] float32: 1 on the final-answer span A, else 0
    /// <summary>log p(y_t | Q, A_&lt;t) with the thinking removed, aligned on the rollout's own answer positions;
    /// values where AnswerMask = 0 are ignored (any finite or non-finite filler is fine).</summary>
    public Tensor? AblatedAnswerLogProbs { get; init; }         // [B,T] float32
    public Tensor? Truncated { get; init; }                     // [B] bool: stopped by the length limit (no EOS); null = none

    public int Rows => (int)ResponseMask.shape[0];              // B
    public int Prompts => Rows / GroupSize;                     // P
    public int Time => (int)ResponseMask.shape[1];              // T

    /// <summary>Response lengths n_i (generated tokens).</summary>
    public Tensor ResponseLengths() => ResponseMask.sum(1);     // [B] float32

    /// <summary>One value per rollout of advantages given per rollout ([B], returned as is) or per token ([B,T]: the
    /// mean over its response tokens), for reports and diagnostics.</summary>
    public Tensor PerRollout(Tensor advantages)                 // [B] or [B,T] → [B]
    {
        if (advantages.dim() == 1) return advantages.alias();
        using var scope = NewDisposeScope();
        return ((advantages * ResponseMask).sum(1) / ResponseMask.sum(1).clamp_min(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Checks shapes, group layout and that every input in <paramref name="needs"/> is present.</summary>
    public void Validate(BatchInputs needs = BatchInputs.None)
    {
        if (GroupSize < 1) throw new ArgumentException($"GroupedBatch.GroupSize must be ≥ 1, got {GroupSize}.");
        if (ResponseMask.dim() != 2) throw new ArgumentException($"GroupedBatch.ResponseMask must be [B,T], got {Shape(ResponseMask)}.");
        if (Rows % GroupSize != 0)
            throw new ArgumentException($"GroupedBatch has {Rows} rows, not a multiple of GroupSize {GroupSize}.");
        CheckShape(nameof(OutcomeRewards), OutcomeRewards, [Rows]);
        CheckShape(nameof(OldLogProbs), OldLogProbs, [Rows, Time]);
        CheckOptional(nameof(Entropies), Entropies, [Rows, Time], needs.HasFlag(BatchInputs.Entropies));
        CheckOptional(nameof(BaseLogProbs), BaseLogProbs, [Rows, Time], needs.HasFlag(BatchInputs.BaseLogProbs));
        CheckOptional(nameof(AnswerMask), AnswerMask, [Rows, Time], needs.HasFlag(BatchInputs.AblatedAnswer));
        CheckOptional(nameof(AblatedAnswerLogProbs), AblatedAnswerLogProbs, [Rows, Time], needs.HasFlag(BatchInputs.AblatedAnswer));
        CheckOptional(nameof(Truncated), Truncated, [Rows], needs.HasFlag(BatchInputs.Truncation));
    }

    /// <summary>The batch restricted to the groups where <paramref name="keepGroups"/> is true (dynamic sampling).</summary>
    public GroupedBatch SelectGroups(Tensor keepGroups) =>      // keepGroups: [P] bool
        SelectRows(RowIndices(keepGroups, GroupSize)) with { GroupSize = GroupSize };

    /// <summary>Any rows (a loss mini-batch). Groups may be cut, so the result has GroupSize 1 unless given:
    /// fine for losses, which never look at groups; advantages and signals belong on whole groups.</summary>
    public GroupedBatch SelectRows(Tensor rows, int groupSize = 1) => this with   // rows: [B'] int64
    {
        GroupSize = groupSize,
        ResponseMask = ResponseMask.index_select(0, rows),
        OutcomeRewards = OutcomeRewards.index_select(0, rows),
        OldLogProbs = OldLogProbs.index_select(0, rows),
        Entropies = Entropies?.index_select(0, rows),
        BaseLogProbs = BaseLogProbs?.index_select(0, rows),
        AnswerMask = AnswerMask?.index_select(0, rows),
        AblatedAnswerLogProbs = AblatedAnswerLogProbs?.index_select(0, rows),
        Truncated = Truncated?.index_select(0, rows),
    };

    /// <summary>The first <paramref name="width"/> response columns (a micro-batch trimmed to its longest response:
    /// responses are right-padded, so the dropped columns are padding only).</summary>
    public GroupedBatch NarrowColumns(int width) => width == Time ? this : this with   // [B,T] → [B,width]
    {
        ResponseMask = ResponseMask.narrow(1, 0, width),
        OldLogProbs = OldLogProbs.narrow(1, 0, width),
        Entropies = Entropies?.narrow(1, 0, width),
        BaseLogProbs = BaseLogProbs?.narrow(1, 0, width),
        AnswerMask = AnswerMask?.narrow(1, 0, width),
        AblatedAnswerLogProbs = AblatedAnswerLogProbs?.narrow(1, 0, width),
    };

    /// <summary>Row indices of the kept groups, in order; use it to select per-row tensors (rewards) alongside.</summary>
    public static Tensor RowIndices(Tensor keepGroups, int groupSize)   // [P] bool → [B'] int64
    {
        using var scope = NewDisposeScope();
        Tensor groups = keepGroups.nonzero().view(-1, 1);                               // [P',1]
        Tensor rows = groups * groupSize + arange(groupSize, dtype: ScalarType.Int64, device: keepGroups.device).view(1, -1);
        return rows.view(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Effective loss mask: response tokens, minus truncated rollouts when asked (DAPO's overlong filtering).</summary>
    public Tensor LossMask(bool maskTruncated)                  // [B,T] float32
    {
        if (!maskTruncated || Truncated is null) return ResponseMask.alias();
        using var scope = NewDisposeScope();
        return (ResponseMask * Truncated.logical_not().to(ScalarType.Float32).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    static void CheckOptional(string field, Tensor? t, long[] shape, bool required)
    {
        if (t is null)
        {
            if (required) throw new ArgumentException($"GroupedBatch.{field} is required by a configured component but was not provided.");
            return;
        }
        CheckShape(field, t, shape);
    }

    static void CheckShape(string field, Tensor t, long[] shape)
    {
        if (!t.shape.SequenceEqual(shape))
            throw new ArgumentException($"GroupedBatch.{field} must have shape [{string.Join(",", shape)}], got {Shape(t)}.");
    }

    static string Shape(Tensor t) => "[" + string.Join(",", t.shape) + "]";
}
