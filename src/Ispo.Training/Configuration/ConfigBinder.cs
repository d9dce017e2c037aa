// Binds YAML (via YamlDotNet's representation model) plus `--set a.b=c` overrides onto typed immutable records,
// collecting every error with its path and line before failing.
using System.Globalization;
using System.Reflection;
using Ispo.Algorithms;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ispo.Training.Configuration;

/// <summary>
/// Generic configuration binder. A record type holds every default in <c>init</c> properties; YAML keys are the
/// snake_case property names; enums are matched by snake/kebab name; nested records, lists, string-keyed maps and
/// nullable values are supported. Unknown keys, wrong types and <see cref="IValidatable"/> failures are all
/// collected and thrown together as a <see cref="ConfigException"/>.
/// </summary>
public static class ConfigBinder
{
    /// <summary>Loads <paramref name="path"/> (or only defaults when null) and applies <paramref name="overrides"/>.</summary>
    public static T Load<T>(string? path, IEnumerable<string>? overrides = null) where T : class
    {
        string? text = path is null ? null : YamlLimits.ReadFile(path);
        return Bind<T>(text, path is null ? "defaults" : Path.GetFileName(path), overrides);
    }

    /// <summary>Binds YAML text (null or empty: defaults only) plus overrides of the form <c>a.b.c=value</c>.</summary>
    public static T Bind<T>(string? yaml, string sourceName = "config", IEnumerable<string>? overrides = null) where T : class =>
        (T)Bind(typeof(T), yaml, sourceName, overrides);

    /// <summary>
    /// Non-generic form, for records chosen at run time (e.g. a registered component's options type, bound from
    /// its own section's YAML).
    /// </summary>
    public static object Bind(Type recordType, string? yaml, string sourceName = "config", IEnumerable<string>? overrides = null)
    {
        var session = new BindSession(sourceName);
        YamlMappingNode root = session.Parse(yaml);
        foreach (string assignment in overrides ?? [])
            session.ApplyOverride(root, assignment);
        object defaults = ConfigTypes.CreateDefault(recordType)
            ?? throw new InvalidOperationException($"{recordType.Name} needs a parameterless constructor or one with all-default parameters");
        object bound = session.BindRecord(recordType, root, defaults, "");
        session.ValidateTree(bound, "");  // also after binding errors, so one run reports everything
        if (session.Errors.Count > 0) throw new ConfigException(session.Errors);
        return bound;
    }

    sealed class BindSession(string source)
    {
        public readonly List<ConfigError> Errors = [];
        readonly HashSet<YamlNode> fromOverrides = new(ReferenceEqualityComparer.Instance);
        readonly Dictionary<string, YamlNode> nodeAt = [];

        public YamlMappingNode Parse(string? yaml)
        {
            if (string.IsNullOrWhiteSpace(yaml)) return new YamlMappingNode();
            if (YamlLimits.TooDeepAt(yaml) is int line)
            {
                Errors.Add(new ConfigError("", $"nested more than {YamlLimits.MaxDepth} levels deep", source, line));
                return new YamlMappingNode();
            }
            var stream = new YamlStream();
            try { stream.Load(new StringReader(yaml)); }
            catch (YamlException e)
            {
                Errors.Add(new ConfigError("", "invalid YAML: " + (e.InnerException?.Message ?? e.Message), source, (int)e.Start.Line));
                return new YamlMappingNode();
            }
            catch (InvalidOperationException e)  // YamlDotNet's scanner throws this on some malformed input
            {
                Errors.Add(new ConfigError("", "invalid YAML: " + e.Message, source));
                return new YamlMappingNode();
            }
            if (stream.Documents.Count == 0) return new YamlMappingNode();
            YamlNode root = stream.Documents[0].RootNode;
            if (root is YamlMappingNode map) return map;
            if (IsNull(root)) return new YamlMappingNode();
            Errors.Add(Error("", "expected a mapping of sections at the top level, got " + Describe(root), root));
            return new YamlMappingNode();
        }

        public void ApplyOverride(YamlMappingNode root, string assignment)
        {
            int eq = assignment.IndexOf('=');
            string[] keys = eq <= 0 ? [] : assignment[..eq].Trim().Split('.');
            if (keys.Length == 0 || keys.Any(k => k.Length == 0))
            {
                Errors.Add(new ConfigError("", $"--set expects key.path=value, got \"{assignment}\"", "--set"));
                return;
            }
            YamlNode value = ParseOverrideValue(assignment[(eq + 1)..]);
            YamlMappingNode map = root;
            for (int i = 0; i < keys.Length - 1; i++)
            {
                YamlNode key = KeyNode(map, keys[i]);
                if (!map.Children.TryGetValue(key, out YamlNode? child) || IsNull(child))
                {
                    map.Children[key] = child = new YamlMappingNode();
                    fromOverrides.Add(child);
                }
                if (child is not YamlMappingNode childMap)
                {
                    Errors.Add(new ConfigError(string.Join('.', keys[..(i + 1)]), "is not a section, cannot set a key under it", "--set"));
                    return;
                }
                map = childMap;
            }
            map.Children[KeyNode(map, keys[^1])] = value;
        }

        /// <summary>The existing key node with this name (keeping its position), or a new one.</summary>
        YamlNode KeyNode(YamlMappingNode map, string key)
        {
            YamlNode? existing = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);
            if (existing is not null) return existing;
            var created = new YamlScalarNode(key);
            fromOverrides.Add(created);
            return created;
        }

        YamlNode ParseOverrideValue(string text)
        {
            YamlNode node;
            if (YamlLimits.TooDeepAt(text) is not null) return new YamlScalarNode(text);  // not a value any key takes
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                node = stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
            }
            catch (Exception e) when (e is YamlException or InvalidOperationException) { node = new YamlScalarNode(text); }  // not YAML: take it as a plain string
            foreach (YamlNode n in node.AllNodes) fromOverrides.Add(n);
            return node;
        }

        public object BindRecord(Type type, YamlMappingNode map, object current, string path)
        {
            object instance = ConfigTypes.ShallowCopy(current);
            var keys = ConfigNaming.Keys(type).ToDictionary(p => ConfigNaming.ToSnake(p.Name));
            foreach (var (keyNode, valueNode) in map.Children)
            {
                string key = keyNode is YamlScalarNode s ? s.Value ?? "" : "";
                string childPath = Join(path, key);
                if (!keys.TryGetValue(key, out PropertyInfo? property))
                {
                    string? instead = type.GetCustomAttributes<RetiredKeyAttribute>().FirstOrDefault(r => r.Key == key)?.Instead;
                    Errors.Add(Error(childPath, instead is not null ? $"\"{key}\" is no longer a key here: {instead}"
                        : $"unknown key \"{key}\"; expected one of: {string.Join(", ", keys.Keys)}", keyNode));
                    continue;
                }
                nodeAt[childPath] = valueNode;
                bool nullable = new NullabilityInfoContext().Create(property).WriteState != NullabilityState.NotNull;
                if (TryConvert(property.PropertyType, valueNode, property.GetValue(instance), nullable, childPath, out object? value))
                    property.SetValue(instance, value);
            }
            return instance;
        }

        bool TryConvert(Type type, YamlNode node, object? current, bool nullable, string path, out object? value)
        {
            value = null;
            Type? underlying = Nullable.GetUnderlyingType(type);
            if (IsNull(node))
            {
                if (nullable || underlying is not null) return true;
                return Fail(path, $"expected {Expected(type)}, got null", node);
            }
            type = underlying ?? type;
            if (typeof(IComponentChoice).IsAssignableFrom(type))
                return TryComponent(type, node, current as IComponentChoice, path, out value);
            if (ConfigTypes.IsScalar(type))
                return node is YamlScalarNode scalar ? TryScalar(type, scalar, path, out value)
                    : Fail(path, $"expected {Expected(type)}, got {Describe(node)}", node);
            if (ConfigTypes.ListElement(type) is { } element)
                return TryList(type, element, node, path, out value);
            if (ConfigTypes.MapValue(type) is { } mapValue)
                return TryMap(mapValue, node, path, out value);
            if (node is not YamlMappingNode map)
                return Fail(path, $"expected a mapping ({type.Name}), got {Describe(node)}", node);
            object? start = current ?? ConfigTypes.CreateDefault(type);
            if (start is null) return Fail(path, $"{type.Name} has no default constructor", node);
            value = BindRecord(type, map, start, path);
            return true;
        }

        /// <summary>A component: its name (alone, or the <c>name</c> key of a mapping whose other keys are its options)
        /// chooses the options record the other keys bind onto, starting from that component's own defaults.</summary>
        bool TryComponent(Type type, YamlNode node, IComponentChoice? current, string path, out object? value)
        {
            value = null;
            ComponentKind kind = AlgorithmRegistry.KindOf(type.GetGenericArguments()[0]);
            string known = string.Join(", ", AlgorithmRegistry.Names(kind));
            YamlNode nameNode = node;
            var options = new YamlMappingNode();
            string? name;
            if (node is YamlScalarNode scalar) name = scalar.Value;
            else if (node is YamlMappingNode map)
            {
                YamlNode? nameKey = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "name" });
                nameNode = nameKey is null ? map : map.Children[nameKey];
                name = nameKey is null ? current?.Name : (nameNode as YamlScalarNode)?.Value;
                foreach (var (key, child) in map.Children)
                    if (key != nameKey) options.Add(key, child);
            }
            else return Fail(path, $"expected a component name or a mapping with its name and options, got {Describe(node)}", node);
            if (string.IsNullOrEmpty(name))
                return Fail(Join(path, "name"), $"expected the component's name, one of: {known}", nameNode);
            ComponentDescription? chosen = AlgorithmRegistry.Find(kind, name);
            if (chosen is null)
                return Fail(Join(path, "name"), $"unknown {ConfigNaming.ToSnake(kind.ToString())} \"{name}\"; expected one of: {known}", nameNode);
            object start = current is not null && current.Name == chosen.Name ? current.Options : ConfigTypes.CreateDefault(chosen.OptionsType)!;
            value = Activator.CreateInstance(type, chosen.Name, BindRecord(chosen.OptionsType, options, start, path));
            return true;
        }

        bool TryScalar(Type type, YamlScalarNode node, string path, out object? value)
        {
            string text = node.Value ?? "";
            value = null;
            if (type == typeof(string)) { value = text; return true; }
            if (type == typeof(bool))
            {
                if (bool.TryParse(text, out bool b)) { value = b; return true; }
            }
            else if (type.IsEnum)
            {
                if (ConfigNaming.TryParseEnum(type, text, out value)) return true;
            }
            else if (ConfigTypes.IsInteger(type))
            {
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)
                    && (type == typeof(long) || l is >= int.MinValue and <= int.MaxValue))
                { value = type == typeof(long) ? (object)l : (int)l; return true; }
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
            {
                value = type == typeof(float) ? (object)(float)d : d;
                return true;
            }
            return Fail(path, $"expected {Expected(type)}, got \"{text}\"", node);
        }

        bool TryList(Type listType, Type element, YamlNode node, string path, out object? value)
        {
            value = null;
            if (node is not YamlSequenceNode sequence)
                return Fail(path, $"expected a list, got {Describe(node)}", node);
            var items = new List<object?>();
            bool ok = true;
            for (int i = 0; i < sequence.Children.Count; i++)
            {
                string itemPath = $"{path}[{i}]";
                nodeAt[itemPath] = sequence.Children[i];
                ok &= TryConvert(element, sequence.Children[i], null, false, itemPath, out object? item);
                items.Add(item);
            }
            if (ok) value = ConfigTypes.MakeList(listType, element, items);
            return ok;
        }

        bool TryMap(Type valueType, YamlNode node, string path, out object? value)
        {
            value = null;
            if (node is not YamlMappingNode map)
                return Fail(path, $"expected a mapping, got {Describe(node)}", node);
            var items = new List<KeyValuePair<string, object?>>();
            bool ok = true;
            foreach (var (keyNode, valueNode) in map.Children)
            {
                string key = (keyNode as YamlScalarNode)?.Value ?? "";
                string itemPath = Join(path, key);
                nodeAt[itemPath] = valueNode;
                ok &= TryConvert(valueType, valueNode, null, false, itemPath, out object? item);
                items.Add(new(key, item));
            }
            if (ok) value = ConfigTypes.MakeMap(valueType, items);
            return ok;
        }

        /// <summary>Runs every <see cref="IValidatable"/> in the bound tree, parents before children.</summary>
        public void ValidateTree(object record, string path)
        {
            if (record is IValidatable validatable)
                foreach (ConfigError e in validatable.Validate())
                {
                    string full = Join(path, e.Path);
                    Errors.Add(Locate(full) is { } node ? Error(full, e.Message, node) : e with { Path = full });
                }
            foreach (PropertyInfo p in ConfigNaming.Keys(record.GetType()))
                ValidateValue(p.GetValue(record), Join(path, ConfigNaming.ToSnake(p.Name)));
        }

        /// <summary>Records are validated; lists and maps are searched for records.</summary>
        void ValidateValue(object? value, string path)
        {
            switch (value)
            {
                case null or string: return;
                case System.Collections.IDictionary map:
                    foreach (System.Collections.DictionaryEntry e in map) ValidateValue(e.Value, Join(path, (string)e.Key));
                    return;
                case System.Collections.IEnumerable items:
                    int i = 0;
                    foreach (object? item in items) ValidateValue(item, $"{path}[{i++}]");
                    return;
                default:
                    if (!ConfigTypes.IsScalar(value.GetType())) ValidateTree(value, path);
                    return;
            }
        }

        /// <summary>The YAML node of <paramref name="path"/> or of its closest parent that came from a file or --set.</summary>
        YamlNode? Locate(string path)
        {
            for (string p = path; p.Length > 0; p = p.Contains('.') ? p[..p.LastIndexOf('.')] : "")
                if (nodeAt.TryGetValue(p, out YamlNode? node)) return node;
            return null;
        }

        bool Fail(string path, string message, YamlNode node)
        {
            Errors.Add(Error(path, message, node));
            return false;
        }

        ConfigError Error(string path, string message, YamlNode node) =>
            fromOverrides.Contains(node) ? new ConfigError(path, message, "--set")
                : new ConfigError(path, message, source, (int)node.Start.Line);
    }

    static string Join(string path, string key) => path.Length == 0 ? key : key.Length == 0 ? path : path + "." + key;

    static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"\"{s.Value}\"",
        _ => node.NodeType.ToString(),
    };

    static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool)) return "true or false";
        if (ConfigTypes.IsInteger(type)) return "an integer";
        if (ConfigTypes.IsReal(type)) return "a number";
        if (type.IsEnum) return "one of " + string.Join(" | ", ConfigNaming.EnumNames(type));
        if (type == typeof(string)) return "a string";
        if (typeof(IComponentChoice).IsAssignableFrom(type)) return "a component";
        return ConfigTypes.ListElement(type) is not null ? "a list" : "a mapping";
    }
}
