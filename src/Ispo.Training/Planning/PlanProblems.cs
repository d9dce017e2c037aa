// The plan's refusals: for each phase over the budget, what it needs, what fits, and which recipe key to change.
using static Ispo.Training.Planning.ByteSize;

namespace Ispo.Training.Planning;

internal static class PlanProblems
{
    public static IReadOnlyList<string> Explain(MemoryPlan plan, PlanInputs p, long persistent)
    {
        if (plan.Budget is not { } budget) return [];
        var problems = new List<string>();
        if (persistent > budget)
        {
            problems.Add($"weights, gradients and AdamW state{(plan["base_model"] > 0 ? " with the frozen base model" : "")} alone need {Format(persistent)} "
                + $"of the {Format(budget)} budget: nothing else can fit; choose a smaller model, a 2-byte model.dtype or model.lora");
            return problems;
        }
        if (plan.Sampling > budget)
        {
            int groups = plan.MaxRolloutRows!.Value / p.GroupSize;
            long kvBudget = (long)groups * p.GroupSize * RolloutChunk.KvBytesPerRow(p.Dims, p.DtypeBytes, p.SequenceTokens);
            string advice = groups >= 1
                ? $"at most {groups * p.GroupSize} rollouts ({groups} prompts) fit at once: set rollout.kv_cache_budget to at most {Format(kvBudget)} "
                    + $"(chunks of {groups} prompts), or lower rollout.max_new_tokens"
                : $"not even one group of {p.GroupSize} fits beside the weights' inference copy ({Format(plan["inference_copy"])}): lower rollout.max_new_tokens or rollout.group_size";
            problems.Add($"sampling {p.RolloutPrompts} prompts × {p.GroupSize} rollouts at once, of up to {p.SequenceTokens} tokens, needs {Format(plan.Sampling)} "
                + $"(KV cache {Format(plan["kv_cache"])}); {advice}");
        }
        if (plan.Scoring > budget)
            problems.Add($"the scoring passes ({Passes(p)}, {p.ScoringRows} rows at a time) need {Format(plan.Scoring)}: "
                + "raise optim.grad_accumulation (a pass scores data.prompts_per_step / grad_accumulation groups)");
        if (plan.Update > budget)
        {
            int fit = plan.MaxMicroBatchRows!.Value, fitCheckpointed = plan.MaxMicroBatchRowsCheckpointed!.Value;
            long fitTokens = plan.MaxMicroBatchTokens!.Value;
            string shape = p.MicroBatchTokens is { } tokens ? $"a micro-batch of up to {tokens:N0} tokens (optim.micro_batch_tokens)"
                : $"a micro-batch of {p.MicroBatchRows} rows × {p.SequenceTokens} tokens";
            string advice = fitTokens < p.SequenceTokens && fit < 1
                ? "not even one row fits: lower rollout.max_new_tokens" + (p.GradientCheckpointing ? "" : $" (with model.gradient_checkpointing {fitCheckpointed} rows would fit)")
                : p.MicroBatchTokens is not null
                    ? $"set optim.micro_batch_tokens to at most {fitTokens:N0}"
                    : $"at most {fit} fit: raise optim.grad_accumulation so that a micro-batch has at most {fit} rows, or set optim.micro_batch_tokens to at most {fitTokens:N0}"
                        + (p.GradientCheckpointing ? "" : $" (with model.gradient_checkpointing {fitCheckpointed} rows would fit)");
            problems.Add($"{shape} needs {Format(plan.Update)} in the update (activations {Format(plan[p.GradientCheckpointing ? "activations_checkpointed" : "activations"])}); {advice}");
        }
        return problems;
    }

    static string Passes(PlanInputs p) => (p.BaseModel, p.AblatedPass) switch
    {
        (true, true) => "base log-probs and trace-ablated answers",
        (true, false) => "base log-probs",
        _ => "trace-ablated answers",
    };
}
