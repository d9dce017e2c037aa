// `x = 5` → `5` when one side is a lone variable (or a label: (p,q), |AB|, V_1:V_2) and the other has no free
// letters; `\binom{10}{3} = 120` → `120` (both sides constant: the right one is the result); `a = b = c` → `c`;
// `x \in [-2,7]` → `[-2,7]`. Applied to each item of a top-level comma list.
namespace Ispo.MathVerify.Normalization;

internal static class EquationSides
{
    public static string Run(string s)
    {
        if (!s.Contains('=') && !s.Contains(@"\in", StringComparison.Ordinal)) return s;
        if (s.Contains(';') && NamedTuples(s) is { } tuples) return tuples;
        List<string> items = TopLevel.Split(s, ',');
        if (items.Count == 1) return Item(s);
        return string.Join(",", items.Select(Item));
    }

    // "p=5,q=2;p=7,q=2" (several solutions, each naming its values) → "(5,2),(7,2)".
    static string? NamedTuples(string s)
    {
        List<string> groups = TopLevel.Split(s, ';');
        var tuples = new List<string>(groups.Count);
        foreach (string group in groups)
        {
            List<string> items = TopLevel.Split(group, ',');
            if (items.Count < 2) return null;
            var values = new List<string>(items.Count);
            foreach (string item in items)
            {
                List<string> sides = TopLevel.Split(item, '=');
                if (sides.Count != 2 || !IsLoneVariable(sides[0]) || HasFreeLetters(sides[1])) return null;
                values.Add(sides[1].Trim());
            }
            tuples.Add("(" + string.Join(",", values) + ")");
        }
        return string.Join(",", tuples);
    }

    static string Item(string item)
    {
        int member = item.IndexOf(@"\in", StringComparison.Ordinal);
        if (member > 0 && (member + 3 == item.Length || !char.IsAsciiLetter(item[member + 3])) && IsLoneVariable(item[..member]))
            return item[(member + 3)..].Trim();
        List<string> sides = TopLevel.Split(item, '=');
        if (sides.Count >= 3) return sides[^1].Trim();
        if (sides.Count != 2 || IsRelation(item)) return item;
        string left = sides[0].Trim(), right = sides[1].Trim();
        if ((IsLoneVariable(left) || IsLabel(left)) && !HasFreeLetters(right)) return right;
        if (!HasFreeLetters(left) && !HasFreeLetters(right)) return right;          // \binom{10}{3} = 120: the value
        if ((IsLoneVariable(right) || IsLabel(right)) && !HasFreeLetters(left)) return left;
        return item;
    }

    // `\leq`-style relations written with '=' characters (<=, >=, \neq is not '=') stay equations.
    static bool IsRelation(string item)
    {
        int eq = item.IndexOf('=');
        return eq > 0 && item[eq - 1] is '<' or '>' or '!';
    }

    /// <summary>A single letter or Greek command, optionally with a subscript: x, y_1, a_{n}, \theta.</summary>
    internal static bool IsLoneVariable(string side)
    {
        side = side.Trim();
        int i = 0;
        if (side.Length > 0 && char.IsAsciiLetter(side[0])) i = 1;
        else if (side.StartsWith('\\'))
        {
            i = 1;
            while (i < side.Length && char.IsAsciiLetter(side[i])) i++;
            if (i == 1 || !GreekLetters.Contains(side[1..i])) return false;
        }
        else return false;
        if (i == side.Length) return true;
        if (side[i] != '_') return false;
        string subscript = side[(i + 1)..];
        return subscript.Length == 1 ? char.IsAsciiLetterOrDigit(subscript[0])
            : subscript.Length > 2 && subscript[0] == '{' && subscript[^1] == '}' && subscript.IndexOfAny(['{', '}'], 1) == subscript.Length - 1;
    }

    /// <summary>A name for a value rather than a value: (p,q), |AB|, f(x), A:B, V_{1}:V_{2}, \frac{NO}{BO} — letters,
    /// subscripts and brackets only, no digits outside subscripts.</summary>
    internal static bool IsLabel(string side)
    {
        bool letter = false;
        for (int i = 0; i < side.Length; i++)
        {
            char c = side[i];
            if (c == '_') { i = SubscriptEnd(side, i + 1); continue; }
            if (c == '\\')
            {
                int j = i + 1;
                while (j < side.Length && char.IsAsciiLetter(side[j])) j++;
                string name = side[(i + 1)..j];
                if (name != "frac" && !GreekLetters.Contains(name)) return false;
                letter |= name != "frac";
                i = j - 1;
                continue;
            }
            if (char.IsAsciiLetter(c)) letter = true;
            else if (!"(),|:{} '".Contains(c)) return false;
        }
        return letter;
    }

    // Index of the last character of the subscript starting at `i` (one character or a braced group).
    static int SubscriptEnd(string s, int i)
    {
        if (i >= s.Length) return i;
        if (s[i] != '{') return i;
        int depth = 0;
        for (int j = i; j < s.Length; j++)
        {
            if (s[j] == '{') depth++;
            else if (s[j] == '}' && --depth == 0) return j;
        }
        return s.Length;
    }

    /// <summary>Letters outside command names, other than the constants i and e.</summary>
    static bool HasFreeLetters(string side)
    {
        for (int i = 0; i < side.Length; i++)
        {
            char c = side[i];
            if (c == '\\')
            {
                int j = i + 1;
                while (j < side.Length && char.IsAsciiLetter(side[j])) j++;
                i = j - 1;
                continue;
            }
            if (char.IsAsciiLetter(c) && c is not 'i' and not 'e') return true;
        }
        return false;
    }

    static readonly HashSet<string> GreekLetters =
        ["alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
         "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"];
}
