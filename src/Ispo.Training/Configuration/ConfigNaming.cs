// The naming convention between YAML (snake_case keys, snake/kebab enum values) and C# (PascalCase).
using System.Reflection;

namespace Ispo.Training.Configuration;

public static class ConfigNaming
{
    /// <summary><c>EpsHigh</c> → <c>eps_high</c>; <c>Lambda1</c> → <c>lambda1</c>; <c>TopP</c> → <c>top_p</c>.</summary>
    public static string ToSnake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            bool boundary = i > 0 && char.IsUpper(c) && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])
                || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])));
            if (boundary) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Enum members are written in kebab-case (<c>SeqMeanTokenMean</c> → <c>seq-mean-token-mean</c>).</summary>
    public static string EnumName(Enum value) => ToSnake(value.ToString()).Replace('_', '-');

    /// <summary>Matches snake_case, kebab-case or the C# name, case-insensitively.</summary>
    public static bool TryParseEnum(Type enumType, string text, out object? value)
    {
        string wanted = Squash(text);
        foreach (object member in Enum.GetValues(enumType))
            if (Squash(member.ToString()!) == wanted) { value = member; return true; }
        value = null;
        return false;
    }

    public static IEnumerable<string> EnumNames(Type enumType) => Enum.GetValues(enumType).Cast<Enum>().Select(EnumName);

    /// <summary>The configuration keys of a record: public properties with a public setter or init, in declaration order.</summary>
    public static IReadOnlyList<PropertyInfo> Keys(Type recordType) =>
        recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .ToArray();

    static string Squash(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();
}
