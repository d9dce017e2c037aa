// Finds every [AlgorithmComponent] class in the loaded assemblies (a new component is one file, wherever it lives) and
// builds components by kind and name from their typed options record and the recipe's shared context.
using System.Reflection;

namespace Ispo.Algorithms;

public sealed record ComponentDescription(ComponentKind Kind, string Name, string Description, Type OptionsType);

public static class AlgorithmRegistry
{
    static readonly Dictionary<Type, ComponentKind> KindOfInterface = new()
    {
        [typeof(IAdvantageEstimator)] = ComponentKind.Advantage,
        [typeof(IPolicyLoss)] = ComponentKind.Loss,
        [typeof(IRewardShaper)] = ComponentKind.RewardShaper,
        [typeof(IGroupFilter)] = ComponentKind.GroupFilter,
    };

    sealed record Entry(ComponentKind Kind, AlgorithmComponentAttribute Info, Type Implementation, bool TakesContext);

    static readonly object Gate = new();
    static (int Assemblies, IReadOnlyList<Entry> Entries) cache = (-1, []);

    /// <summary>Every registered component, sorted by kind then name.</summary>
    public static IReadOnlyList<ComponentDescription> Describe() =>
        Entries().Select(e => new ComponentDescription(e.Kind, e.Info.Name, e.Info.Description, e.Info.OptionsType)).ToList();

    public static IReadOnlyList<string> Names(ComponentKind kind) =>
        Entries().Where(e => e.Kind == kind).Select(e => e.Info.Name).ToList();

    public static ComponentKind KindOf(Type componentInterface) => KindOfInterface.TryGetValue(componentInterface, out var kind)
        ? kind
        : throw new ArgumentException($"{componentInterface.Name} is not a component interface.");

    /// <summary>The registered name (snake_case) for <paramref name="name"/> written with dashes or underscores; null if unknown.</summary>
    public static ComponentDescription? Find(ComponentKind kind, string name) =>
        Describe().FirstOrDefault(d => d.Kind == kind && d.Name == name.Replace('-', '_'));

    /// <summary>Builds a component; <paramref name="options"/> must be its options record (null = its defaults).</summary>
    public static T Create<T>(string name, object? options = null, ComponentContext? context = null) where T : class, IAlgorithmComponent
    {
        ComponentKind kind = KindOf(typeof(T));
        Entry entry = Entries().FirstOrDefault(e => e.Kind == kind && e.Info.Name == name.Replace('-', '_'))
            ?? throw new ArgumentException($"Unknown {kind} component '{name}'; known: {string.Join(", ", Names(kind))}.");
        options ??= Activator.CreateInstance(entry.Info.OptionsType)!;
        if (!entry.Info.OptionsType.IsInstanceOfType(options))
            throw new ArgumentException($"Component '{name}' takes {entry.Info.OptionsType.Name}, got {options.GetType().Name}.");
        try
        {
            object?[] arguments = entry.TakesContext ? [options, context ?? new ComponentContext()] : [options];
            return (T)Activator.CreateInstance(entry.Implementation, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>Rescanned when assemblies have been loaded since, so a component in a test or plug-in assembly is found.</summary>
    static IReadOnlyList<Entry> Entries()
    {
        Assembly[] loaded = AppDomain.CurrentDomain.GetAssemblies();
        lock (Gate)
        {
            if (cache.Assemblies != loaded.Length) cache = (loaded.Length, Discover(loaded));
            return cache.Entries;
        }
    }

    static IReadOnlyList<Entry> Discover(Assembly[] assemblies)
    {
        string self = typeof(AlgorithmRegistry).Assembly.GetName().Name!;
        var entries = new List<Entry>();
        foreach (Assembly assembly in assemblies.Where(a => a == typeof(AlgorithmRegistry).Assembly
                     || a.GetReferencedAssemblies().Any(r => r.Name == self)))
            foreach (Type type in assembly.GetTypes())
            {
                if (type.GetCustomAttribute<AlgorithmComponentAttribute>() is not { } info) continue;
                ComponentKind[] kinds = KindOfInterface.Where(k => k.Key.IsAssignableFrom(type)).Select(k => k.Value).ToArray();
                bool takesContext = type.GetConstructor([info.OptionsType, typeof(ComponentContext)]) is not null;
                if (kinds.Length != 1 || (!takesContext && type.GetConstructor([info.OptionsType]) is null))
                    throw new InvalidOperationException($"{type.Name} must implement exactly one component interface and have a constructor taking {info.OptionsType.Name} (and optionally a ComponentContext).");
                if (entries.Any(e => e.Kind == kinds[0] && e.Info.Name == info.Name))
                    throw new InvalidOperationException($"Two {kinds[0]} components are named '{info.Name}'.");
                entries.Add(new Entry(kinds[0], info, type, takesContext));
            }
        return entries.OrderBy(e => e.Kind).ThenBy(e => e.Info.Name, StringComparer.Ordinal).ToList();
    }
}
