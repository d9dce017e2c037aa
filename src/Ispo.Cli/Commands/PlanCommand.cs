// `ispo plan --config FILE [--set …] [--memory 80GiB] [--prompt-tokens N] [--json]`: the memory a recipe's training
// step needs, from the model's config.json or preset alone (no weights, no data), against a budget. Exit 0 when it
// fits (or no budget is given), 3 when it does not, with what to change on stderr.
using System.CommandLine;
using Ispo.Training.Configuration;
using Ispo.Training.Planning;
using Dims = Ispo.Models.Config.ModelConfig;

namespace Ispo.Cli.Commands;

public static class PlanCommand
{
    /// <summary>Exit code of a plan that does not fit its budget.</summary>
    public const int DoesNotFit = 3;

    public static Command Create()
    {
        var (config, set) = ConfigCommand.RecipeOptions();
        var memory = new Option<string?>("--memory") { Description = "Memory budget, e.g. 80GiB or 80GB (default: run.memory_budget; none: no verdict)." };
        var promptTokens = new Option<int?>("--prompt-tokens") { Description = "Longest prompt in tokens (default: max_position_embeddings − rollout.max_new_tokens)." };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("plan", "The memory a recipe needs (weights, gradients, optimizer, base model, activations, KV cache, scoring passes), before loading anything.")
            { config, set, memory, promptTokens, json };
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            TrainConfig? recipe = ConfigCommand.LoadRecipe(parse, config, set);
            if (recipe is null) return 2;
            if (parse.GetValue(promptTokens) is <= 0) throw new ArgumentException("--prompt-tokens must be at least 1");
            string? budgetText = parse.GetValue(memory) ?? recipe.Run.MemoryBudget;
            long? budget = budgetText is null ? null : ByteSize.TryParse(budgetText, out long b) ? b
                : throw new ArgumentException($"--memory: '{budgetText}' is not a memory size (e.g. 80GiB, 80GB, 512MiB)");
            MemoryPlan plan = PlanModel.Plan(recipe, budget, parse.GetValue(promptTokens));
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(PlanDisplay.Json(plan, recipe));
            else PlanDisplay.Text(plan, recipe, output);
            if (plan.Fits) return 0;
            foreach (string problem in plan.Problems) parse.InvocationConfiguration.Error.WriteLine("does not fit: " + problem);
            return DoesNotFit;
        }));
        return command;
    }

    /// <summary>What `ispo train` runs once the model's config and the prompts are known: the plan at the data's longest
    /// prompt, as one line. It refuses (false, with the problems on <paramref name="error"/>) only when the recipe sets
    /// run.memory_budget: without one, a CPU run only warns when the peak exceeds this machine's memory, as the plan
    /// cannot know what else a GPU or host will hold.</summary>
    internal static bool BeforeTraining(TrainConfig recipe, Dims dims, int longestPrompt, TextWriter output, TextWriter error)
    {
        long? budget = recipe.Run.MemoryBudget is { } text ? ByteSize.Parse(text) : null;
        MemoryPlan plan = MemoryPlanner.Plan(PlanInputs.From(recipe, dims, longestPrompt, budget));
        output.WriteLine(plan.Summary());
        foreach (string problem in plan.Problems) error.WriteLine("does not fit: " + problem);
        long host = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (budget is null && plan.Peak > host)  // this build trains on the CPU, in this machine's memory
            error.WriteLine($"warning: the plan's peak {ByteSize.Format(plan.Peak)} exceeds this machine's {ByteSize.Format(host)}");
        return plan.Fits;
    }
}
