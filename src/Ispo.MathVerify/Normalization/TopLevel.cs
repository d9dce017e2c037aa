// Splitting at separators that sit outside every bracket: list commas, '=' of equations.
namespace Ispo.MathVerify.Normalization;

internal static class TopLevel
{
    /// <summary>Start indices of the parts of <paramref name="s"/> separated by top-level occurrences of
    /// <paramref name="separator"/>; \{ \} \left( etc. count as brackets.</summary>
    public static List<string> Split(string s, char separator)
    {
        var parts = new List<string>();
        int depth = 0, partStart = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is '{' or '}')
            {
                depth += s[i + 1] == '{' ? 1 : -1;
                i++;
            }
            else if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == separator && depth == 0)
            {
                parts.Add(s[partStart..i]);
                partStart = i + 1;
            }
        }
        parts.Add(s[partStart..]);
        return parts;
    }
}
