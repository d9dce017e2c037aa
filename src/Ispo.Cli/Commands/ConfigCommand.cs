// `ispo config …`: inspect configurations. `show` prints a recipe resolved with defaults and --set overrides.
using System.CommandLine;
using Ispo.Algorithms;
using Ispo.Training.Configuration;

namespace Ispo.Cli.Commands;

public static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Inspect training configurations.");
        foreach (Command sub in Subcommands())
            command.Subcommands.Add(sub);
        return command;
    }

    static IEnumerable<Command> Subcommands()
    {
        yield return Show();
        yield return Components();
    }

    static Command Components()
    {
        var command = new Command("components", "List the registered advantage estimators, losses, reward shapers and group filters with their options.");
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            foreach (ComponentDescription c in AlgorithmRegistry.Describe())
            {
                output.WriteLine($"{ConfigNaming.ToSnake(c.Kind.ToString())} {c.Name}: {c.Description}");
                output.Write(Indent(ConfigYaml.Serialize(Activator.CreateInstance(c.OptionsType)!)));
            }
            return 0;
        });
        return command;
    }

    /// <summary>A component's options with their defaults, as a recipe writes them under its name.</summary>
    static string Indent(string yaml) => yaml.Trim() is "{}" ? "" : string.Concat(yaml.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "    " + l + "\n"));

    /// <summary>The options every command that reads a recipe takes: <c>--config FILE</c> and repeatable <c>--set key.path=value</c>.</summary>
    public static (Option<string?> Config, Option<string[]> Set) RecipeOptions() => (
        new Option<string?>("--config") { Description = "Recipe YAML file (configs/*.yaml); omitted: defaults only." },
        new Option<string[]>("--set") { Description = "Override one value, e.g. --set algorithm.loss.clip_high=0.28 (repeatable).", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] });

    /// <summary>Loads the recipe named by the options; on errors prints them all to stderr and returns null.</summary>
    public static TrainConfig? LoadRecipe(ParseResult parse, Option<string?> config, Option<string[]> set)
    {
        try { return TrainConfig.Load(parse.GetValue(config), parse.GetValue(set)); }
        catch (ConfigException e)
        {
            parse.InvocationConfiguration.Error.WriteLine(e.Message);
            return null;
        }
    }

    static Command Show()
    {
        var command = new Command("show", "Print the resolved configuration (defaults, recipe file, then --set overrides) as YAML.");
        var (config, set) = RecipeOptions();
        command.Options.Add(config);
        command.Options.Add(set);
        command.SetAction(parse =>
        {
            TrainConfig? resolved = LoadRecipe(parse, config, set);
            if (resolved is null) return 2;
            parse.InvocationConfiguration.Output.Write(resolved.ToYaml());
            return 0;
        });
        return command;
    }
}
