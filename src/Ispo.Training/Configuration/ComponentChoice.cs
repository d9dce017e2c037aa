// One algorithm component of a recipe: its registered name and its own options record, written as one YAML mapping
// (`loss: {name: gspo, clip_high: 5e-4}`) or as the bare name; the binder binds the other keys onto the options
// record of that name, so whatever the recipe leaves out keeps the component's own default.
using Ispo.Algorithms;

namespace Ispo.Training.Configuration;

public interface IComponentChoice
{
    string Name { get; }
    object Options { get; }
}

public sealed record ComponentChoice<T>(string Name, object Options) : IComponentChoice where T : class, IAlgorithmComponent
{
    /// <summary>The component with its default options.</summary>
    public ComponentChoice(string name) : this(name, DefaultOptions(name)) { }

    public T Create(ComponentContext context) => AlgorithmRegistry.Create<T>(Name, Options, context);

    static object DefaultOptions(string name) =>
        Activator.CreateInstance((AlgorithmRegistry.Find(AlgorithmRegistry.KindOf(typeof(T)), name)
            ?? throw new ArgumentException($"Unknown {typeof(T).Name} '{name}'.")).OptionsType)!;
}
