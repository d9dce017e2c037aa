// Finds every [AlgorithmComponent] class in this assembly and builds components by kind and name, from a typed
// options record or from snake_case string settings (YAML, `--set`, JSON). Describe() lists names and options.
using System.Globalization;
using System.Reflection;

namespace Ispo.Algorithms;

public sealed record OptionDescription(string Key, string Type, string Default, IReadOnlyList<string> Allowed);

public sealed record ComponentDescription(ComponentKind Kind, string Name, string Description, Type OptionsType,
                                          IReadOnlyList<OptionDescription> Options);

public static class AlgorithmRegistry
{
    static readonly Dictionary<Type, ComponentKind> KindOfInterface = new()
    {
        [typeof(IAdvantageEstimator)] = ComponentKind.Advantage,
        [typeof(IPolicyLoss)] = ComponentKind.Loss,
        [typeof(IRewardShaper)] = ComponentKind.RewardShaper,
        [typeof(IGroupFilter)] = ComponentKind.GroupFilter,
    };

    sealed record Entry(ComponentKind Kind, AlgorithmComponentAttribute Info, Type Implementation);

    static readonly Lazy<IReadOnlyList<Entry>> Entries = new(Discover);

    /// <summary>Every registered component, sorted by kind then name.</summary>
    public static IReadOnlyList<ComponentDescription> Describe() =>
        Entries.Value.Select(e => new ComponentDescription(e.Kind, e.Info.Name, e.Info.Description, e.Info.OptionsType,
                                                           OptionsBinder.Describe(e.Info.OptionsType))).ToList();

    public static IReadOnlyList<string> Names(ComponentKind kind) =>
        Entries.Value.Where(e => e.Kind == kind).Select(e => e.Info.Name).ToList();

    /// <summary>The options record type and its defaults for a component.</summary>
    public static object DefaultOptions(ComponentKind kind, string name) => Activator.CreateInstance(Find(kind, name).Info.OptionsType)!;

    /// <summary>Builds a component; <paramref name="options"/> must be its options record (null = defaults).</summary>
    public static T Create<T>(string name, object? options = null) where T : class, IAlgorithmComponent
    {
        Entry entry = Find(KindOf<T>(), name);
        options ??= Activator.CreateInstance(entry.Info.OptionsType)!;
        if (!entry.Info.OptionsType.IsInstanceOfType(options))
            throw new ArgumentException($"Component '{name}' takes {entry.Info.OptionsType.Name}, got {options.GetType().Name}.");
        try
        {
            return (T)Activator.CreateInstance(entry.Implementation, options)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>Builds a component from snake_case settings over its defaults (unknown keys and bad values are errors,
    /// all reported at once).</summary>
    public static T Create<T>(string name, IReadOnlyDictionary<string, string> settings) where T : class, IAlgorithmComponent =>
        Create<T>(name, OptionsBinder.Bind(Find(KindOf<T>(), name).Info.OptionsType, settings, $"{KindOf<T>()} '{name}'"));

    static ComponentKind KindOf<T>() => KindOfInterface.TryGetValue(typeof(T), out var kind)
        ? kind
        : throw new ArgumentException($"{typeof(T).Name} is not a component interface.");

    static Entry Find(ComponentKind kind, string name) =>
        Entries.Value.FirstOrDefault(e => e.Kind == kind && e.Info.Name == name.Replace('-', '_'))
        ?? throw new ArgumentException($"Unknown {kind} component '{name}'; known: {string.Join(", ", Names(kind))}.");

    static IReadOnlyList<Entry> Discover()
    {
        var entries = new List<Entry>();
        foreach (Type type in typeof(AlgorithmRegistry).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<AlgorithmComponentAttribute>() is not { } info) continue;
            ComponentKind[] kinds = KindOfInterface.Where(k => k.Key.IsAssignableFrom(type)).Select(k => k.Value).ToArray();
            if (kinds.Length != 1 || type.GetConstructor([info.OptionsType]) is null)
                throw new InvalidOperationException($"{type.Name} must implement exactly one component interface and have a constructor taking {info.OptionsType.Name}.");
            entries.Add(new Entry(kinds[0], info, type));
        }
        return entries.OrderBy(e => e.Kind).ThenBy(e => e.Info.Name, StringComparer.Ordinal).ToList();
    }
}

/// <summary>Binds snake_case string settings onto an options record's init properties (key = snake_case of the property).</summary>
public static class OptionsBinder
{
    public static object Bind(Type optionsType, IReadOnlyDictionary<string, string> settings, string where)
    {
        object options = Activator.CreateInstance(optionsType)!;
        var errors = new List<string>();
        foreach (var (key, text) in settings)
        {
            PropertyInfo? property = optionsType.GetProperties().FirstOrDefault(p => SnakeCase(p.Name) == key);
            if (property is null || !property.CanWrite)
            {
                errors.Add($"{where}: unknown option '{key}'; known: {string.Join(", ", Describe(optionsType).Select(o => o.Key))}.");
                continue;
            }
            if (TryParse(property.PropertyType, text, out object? value)) property.SetValue(options, value);
            else errors.Add($"{where}: option '{key}' expects {TypeName(property.PropertyType)}, got '{text}'.");
        }
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors));
        return options;
    }

    public static IReadOnlyList<OptionDescription> Describe(Type optionsType)
    {
        object defaults = Activator.CreateInstance(optionsType)!;
        return optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => new OptionDescription(SnakeCase(p.Name), TypeName(p.PropertyType), Format(p.GetValue(defaults)),
                                               p.PropertyType.IsEnum ? Enum.GetNames(p.PropertyType).Select(SnakeCase).ToList() : []))
            .ToList();
    }

    /// <summary>Parses an enum name leniently: "seq-mean-token-mean", "seq_mean_token_mean" and "SeqMeanTokenMean" agree.</summary>
    public static bool TryParseEnum(Type enumType, string text, out object? value)
    {
        string wanted = Squash(text);
        string? match = Enum.GetNames(enumType).FirstOrDefault(n => Squash(n) == wanted);
        value = match is null ? null : Enum.Parse(enumType, match);
        return match is not null;
    }

    public static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 && !char.IsDigit(pascal[i - 1]) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    static string Squash(string s) => new string(s.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    static bool TryParse(Type type, string text, out object? value)
    {
        value = null;
        if (type.IsEnum) return TryParseEnum(type, text, out value);
        if (type == typeof(string)) { value = text; return true; }
        if (type == typeof(bool) && bool.TryParse(text, out bool b)) { value = b; return true; }
        if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) { value = i; return true; }
        if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) { value = d; return true; }
        return false;
    }

    static string TypeName(Type type) => type.IsEnum ? "one of " + string.Join("|", Enum.GetNames(type).Select(SnakeCase)) : type.Name.ToLowerInvariant();

    static string Format(object? value) => value switch
    {
        null => "",
        Enum e => SnakeCase(e.ToString()),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
