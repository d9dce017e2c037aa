// The set of free variable names in an expression, sorted so random points are assigned deterministically.
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal static class FreeVariables
{
    public static List<string> Of(Expr e)
    {
        var names = new List<string>();
        Collect(e, names);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static void Collect(Expr e, List<string> names)
    {
        switch (e)
        {
            case Variable v: if (!names.Contains(v.Name)) names.Add(v.Name); break;
            case Neg n: Collect(n.Operand, names); break;
            case Binary b: Collect(b.Left, names); Collect(b.Right, names); break;
            case Call c: Collect(c.Arg, names); break;
            case Factorial f: Collect(f.Operand, names); break;
            case Binomial b: Collect(b.N, names); Collect(b.K, names); break;
            case Percent p: Collect(p.Operand, names); break;
            case PlusMinus pm: if (pm.Left is not null) Collect(pm.Left, names); Collect(pm.Right, names); break;
            case Relation r: foreach (var x in r.Operands) Collect(x, names); break;
            case SetOf s: foreach (var x in s.Items) Collect(x, names); break;
            case Sequence s: foreach (var x in s.Items) Collect(x, names); break;
            case Union u: foreach (var x in u.Items) Collect(x, names); break;
            case Matrix m: foreach (var row in m.Rows) foreach (var x in row) Collect(x, names); break;
        }
    }

    public static bool SameSet(List<string> a, List<string> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++) if (a[i] != b[i]) return false;
        return true;
    }
}
