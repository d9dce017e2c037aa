// What kind of configuration value a C# type is (scalar, list, map, record) and how to create or copy records.
using System.Reflection;

namespace Ispo.Training.Configuration;

internal static class ConfigTypes
{
    public static bool IsScalar(Type t) =>
        t == typeof(string) || t == typeof(bool) || t.IsEnum || IsInteger(t) || IsReal(t);

    public static bool IsInteger(Type t) => t == typeof(int) || t == typeof(long);

    public static bool IsReal(Type t) => t == typeof(double) || t == typeof(float);

    /// <summary>Element type of T[], List&lt;T&gt;, IReadOnlyList&lt;T&gt;, IList&lt;T&gt;, IEnumerable&lt;T&gt;...; null otherwise.</summary>
    public static Type? ListElement(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (!t.IsGenericType || t == typeof(string)) return null;
        Type def = t.GetGenericTypeDefinition();
        bool list = def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>)
            || def == typeof(IEnumerable<>) || def == typeof(IReadOnlyCollection<>) || def == typeof(ICollection<>);
        return list ? t.GetGenericArguments()[0] : null;
    }

    /// <summary>Value type of Dictionary&lt;string,V&gt; or IReadOnlyDictionary&lt;string,V&gt;; null otherwise.</summary>
    public static Type? MapValue(Type t)
    {
        if (!t.IsGenericType) return null;
        Type def = t.GetGenericTypeDefinition();
        bool map = def == typeof(Dictionary<,>) || def == typeof(IReadOnlyDictionary<,>) || def == typeof(IDictionary<,>);
        return map && t.GetGenericArguments()[0] == typeof(string) ? t.GetGenericArguments()[1] : null;
    }

    public static object MakeList(Type listType, Type element, IReadOnlyList<object?> items)
    {
        Array array = Array.CreateInstance(element, items.Count);
        for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
        if (listType.IsArray || listType.IsInterface) return array;
        return Activator.CreateInstance(listType, array)!;  // List<T>(IEnumerable<T>)
    }

    public static object MakeMap(Type valueType, IEnumerable<KeyValuePair<string, object?>> items)
    {
        var map = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (key, value) in items) map[key] = value;
        return map;
    }

    /// <summary>A record holding its defaults: parameterless constructor, or one whose parameters all have defaults.</summary>
    public static object? CreateDefault(Type t)
    {
        if (t.GetConstructor(Type.EmptyTypes) is { } plain) return plain.Invoke(null);
        ConstructorInfo? withDefaults = t.GetConstructors().FirstOrDefault(c => c.GetParameters().All(p => p.HasDefaultValue));
        return withDefaults?.Invoke(withDefaults.GetParameters().Select(p => p.DefaultValue).ToArray());
    }

    /// <summary>Shallow copy, so binding never mutates a default instance someone else holds.</summary>
    public static object ShallowCopy(object record) => CloneMethod.Invoke(record, null)!;

    static readonly MethodInfo CloneMethod =
        typeof(object).GetMethod(nameof(MemberwiseClone), BindingFlags.NonPublic | BindingFlags.Instance)!;
}
