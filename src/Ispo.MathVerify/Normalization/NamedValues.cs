// An answer that names several different values ("a = 5, b = 3", "AB=4, CD=5"): which value goes with which
// name matters, so such a gold is compared name by name (or, against a plain list, in order) instead of as a set.
namespace Ispo.MathVerify.Normalization;

public static class NamedValues
{
    /// <summary>The (name, value) items of <paramref name="answer"/> when it is a list of at least two equations
    /// whose left sides are distinct labels, else null. Names come back normalised ("a_{37}" → "a_37").</summary>
    public static IReadOnlyList<(string Name, string Value)>? Of(string answer)
    {
        if (!answer.Contains('=') || !answer.Contains(',')) return null;
        List<string> items = TopLevel.Split(SurfaceForms.BeforeCommands(answer), ',');
        if (items.Count < 2) return null;
        var named = new List<(string, string)>(items.Count);
        foreach (string item in items)
        {
            List<string> sides = TopLevel.Split(item, '=');
            if (sides.Count != 2) return null;
            string label = Label(sides[0]);
            if (label.Length == 0 || !(EquationSides.IsLoneVariable(label) || EquationSides.IsLabel(label))) return null;
            named.Add((Name(label), sides[1].Trim()));
        }
        return named.Select(n => n.Item1).Distinct().Count() == named.Count ? named : null;
    }

    /// <summary>The top-level comma items of a plain list answer.</summary>
    public static List<string> Items(string answer) => TopLevel.Split(SurfaceForms.BeforeCommands(answer), ',');

    // " \quad a_{37} " → "a_{37}": spacing, dollars and a leading "and" are not part of the label.
    static string Label(string side)
    {
        string label = side.Replace(@"\quad", "", StringComparison.Ordinal).Replace(@"\,", "", StringComparison.Ordinal)
            .Replace("$", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return label.StartsWith(@"\text{and}", StringComparison.Ordinal) ? label[@"\text{and}".Length..] : label;
    }

    // "a_{37}" → "a_37": braces around a subscript do not change the name.
    static string Name(string name) =>
        name.Contains("_{", StringComparison.Ordinal) && name.EndsWith('}') && name.IndexOf('{') == name.LastIndexOf('{')
            ? name.Replace("_{", "_", StringComparison.Ordinal)[..^1]
            : name;
}
