// The memory plan as a table for people and as JSON for scripts ({"parameters", "fits", "bytes", …}).
using System.Text;
using System.Text.Json;
using Ispo.Training.Configuration;
using Ispo.Training.Planning;
using static Ispo.Training.Planning.ByteSize;

namespace Ispo.Cli.Commands;

internal static class PlanDisplay
{
    public static void Text(MemoryPlan plan, TrainConfig recipe, TextWriter output)
    {
        output.WriteLine($"model: {recipe.Model.Path ?? "preset " + recipe.Model.Preset}, {plan.Parameters:N0} parameters"
            + (plan.TrainableParameters != plan.Parameters ? $" ({plan.TrainableParameters:N0} trainable: LoRA r{recipe.Model.Lora!.Rank})" : "")
            + $", {ConfigNaming.ToSnake(recipe.Model.Dtype.ToString())}, cpu_kernels {ConfigNaming.ToSnake(recipe.Model.CpuKernels.ToString())}"
            + (plan.GradientCheckpointing ? ", gradient checkpointing" : ""));
        output.WriteLine($"step: {recipe.Data.PromptsPerStep} prompts × {recipe.Rollout.GroupSize} rollouts = {plan.Rows} rows of up to "
            + $"{plan.SequenceTokens} tokens, sampled {plan.RolloutRows} at a time; micro-batch "
            + (recipe.Optim.MicroBatchTokens is { } tokens ? $"up to {tokens:N0} tokens" : $"{plan.MicroBatchRows} rows") + $" (planned: {plan.MicroBatchTokens:N0} tokens)");
        foreach (var (part, bytes) in plan.Bytes) output.WriteLine($"  {part,-26}{Format(bytes),12}");
        output.WriteLine($"peak by phase: sampling {Format(plan.Sampling)}, scoring {Format(plan.Scoring)}, update {Format(plan.Update)} "
            + (plan.GradientCheckpointing ? $"({Format(plan.UpdateWithoutCheckpointing)} without" : $"({Format(plan.UpdateCheckpointed)} with")
            + " per-layer activation checkpointing)");
        if (plan.Budget is not { } budget)
        {
            output.WriteLine($"peak {Format(plan.Peak)}; no budget given (--memory or run.memory_budget)");
            return;
        }
        output.WriteLine($"budget {Format(budget)}: {(plan.Fits ? "fits" : "does not fit")} (peak {Format(plan.Peak)})");
        (int? rows, int? other) = plan.GradientCheckpointing ? (plan.MaxMicroBatchRowsCheckpointed, plan.MaxMicroBatchRows)
            : (plan.MaxMicroBatchRows, plan.MaxMicroBatchRowsCheckpointed);
        output.WriteLine($"largest micro-batch that fits: {plan.MaxMicroBatchTokens:N0} tokens ({rows} rows of {plan.SequenceTokens}; "
            + $"{other} {(plan.GradientCheckpointing ? "without" : "with")} checkpointing); "
            + $"largest rollout chunk: {plan.MaxRolloutRows} rows ({plan.MaxRolloutRows / recipe.Rollout.GroupSize} prompts)");
    }

    public static string Json(MemoryPlan plan, TrainConfig recipe)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("parameters", plan.Parameters);
            w.WriteNumber("trainable_parameters", plan.TrainableParameters);
            w.WriteBoolean("fits", plan.Fits);
            Nullable(w, "budget", plan.Budget);
            w.WriteNumber("peak", plan.Peak);
            w.WriteStartObject("bytes");
            foreach (var (part, bytes) in plan.Bytes) w.WriteNumber(part, bytes);
            w.WriteEndObject();
            w.WriteStartObject("phases");
            w.WriteNumber("sampling", plan.Sampling);
            w.WriteNumber("scoring", plan.Scoring);
            w.WriteNumber("update", plan.Update);
            w.WriteNumber("update_checkpointed", plan.UpdateCheckpointed);
            w.WriteNumber("update_without_checkpointing", plan.UpdateWithoutCheckpointing);
            w.WriteEndObject();
            w.WriteStartObject("micro_batch");
            w.WriteNumber("rows", plan.MicroBatchRows);
            w.WriteNumber("sequence_tokens", plan.SequenceTokens);
            w.WriteNumber("tokens", plan.MicroBatchTokens);
            Nullable(w, "max_tokens", plan.MaxMicroBatchTokens);
            Nullable(w, "max_rows", plan.MaxMicroBatchRows);
            Nullable(w, "max_rows_checkpointed", plan.MaxMicroBatchRowsCheckpointed);
            w.WriteEndObject();
            w.WriteStartObject("rollout");
            w.WriteNumber("rows", plan.Rows);
            w.WriteNumber("chunk_rows", plan.RolloutRows);
            Nullable(w, "max_rows", plan.MaxRolloutRows);
            Nullable(w, "max_prompts", plan.MaxRolloutRows / recipe.Rollout.GroupSize);
            w.WriteEndObject();
            w.WriteStartArray("problems");
            foreach (string problem in plan.Problems) w.WriteStringValue(problem);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void Nullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
