// Writes a bound configuration record back to YAML that the binder reads to an equal configuration.
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ispo.Training.Configuration;

public static partial class ConfigYaml
{
    /// <summary>Every key of <paramref name="config"/>, defaults included, as snake_case YAML.</summary>
    public static string Serialize(object config)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(ToNode(config))).Save(writer, assignAnchors: false);
        string text = writer.ToString().Replace("\r\n", "\n");
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    static YamlNode ToNode(object? value)
    {
        switch (value)
        {
            case null: return new YamlScalarNode("null");
            case string s: return new YamlScalarNode(s) { Style = IsPlainSafe(s) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };
            case bool b: return new YamlScalarNode(b ? "true" : "false");
            case Enum e: return new YamlScalarNode(ConfigNaming.EnumName(e));
            case double d: return new YamlScalarNode(d.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'));
            case float f: return new YamlScalarNode(f.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'));
            case int or long: return new YamlScalarNode(Convert.ToString(value, CultureInfo.InvariantCulture));
            case IComponentChoice component:
                var chosen = new YamlMappingNode { { "name", component.Name } };
                foreach (var (key, option) in ((YamlMappingNode)ToNode(component.Options)).Children) chosen.Add(key, option);
                return chosen;
            case System.Collections.IDictionary map:
                var mapping = new YamlMappingNode();
                foreach (System.Collections.DictionaryEntry entry in map)
                    mapping.Add(new YamlScalarNode((string)entry.Key), ToNode(entry.Value));
                return mapping;
            case System.Collections.IEnumerable items:
                var list = items.Cast<object?>().Select(ToNode).ToList();
                return new YamlSequenceNode(list) { Style = list.All(n => n is YamlScalarNode) ? YamlDotNet.Core.Events.SequenceStyle.Flow : YamlDotNet.Core.Events.SequenceStyle.Block };
            default:
                var record = new YamlMappingNode();
                foreach (PropertyInfo p in ConfigNaming.Keys(value.GetType()))
                    record.Add(new YamlScalarNode(ConfigNaming.ToSnake(p.Name)), ToNode(p.GetValue(value)));
                return record;
        }
    }

    /// <summary>Plain style only for identifiers and paths that YAML cannot read as null, bool or number.</summary>
    static bool IsPlainSafe(string s) =>
        PlainWord().IsMatch(s) && !Reserved.Contains(s.ToLowerInvariant());

    static readonly HashSet<string> Reserved = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainWord();
}
