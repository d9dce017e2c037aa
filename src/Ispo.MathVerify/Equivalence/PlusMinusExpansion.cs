// Expands ± into the set of its sign choices: 1 \pm \sqrt{2} → {1+√2, 1−√2}, \pm 3 → {3, −3}.
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal static class PlusMinusExpansion
{
    const int MaxAlternatives = 16;

    public static bool Contains(Expr e) => e switch
    {
        PlusMinus => true,
        Neg n => Contains(n.Operand),
        Binary b => Contains(b.Left) || Contains(b.Right),
        Call c => Contains(c.Arg),
        Percent p => Contains(p.Operand),
        _ => false,
    };

    /// <summary>All sign choices of a scalar expression containing ± (capped; the cap only loses exotic answers).</summary>
    public static List<Expr> Alternatives(Expr e)
    {
        switch (e)
        {
            case PlusMinus pm:
            {
                var result = new List<Expr>();
                var rights = Alternatives(pm.Right);
                if (pm.Left is null)
                    foreach (var r in rights) { result.Add(r); result.Add(new Neg(r)); }
                else
                    foreach (var l in Alternatives(pm.Left))
                        foreach (var r in rights)
                        {
                            result.Add(new Binary(BinaryOp.Add, l, r));
                            result.Add(new Binary(BinaryOp.Sub, l, r));
                        }
                return Cap(result);
            }
            case Neg n when Contains(n.Operand): return Alternatives(n.Operand).ConvertAll(x => (Expr)new Neg(x));
            case Call c when Contains(c.Arg): return Alternatives(c.Arg).ConvertAll(x => (Expr)new Call(c.Fn, x));
            case Percent p when Contains(p.Operand): return Alternatives(p.Operand).ConvertAll(x => (Expr)new Percent(x));
            case Binary b when Contains(b):
            {
                var result = new List<Expr>();
                foreach (var l in Alternatives(b.Left))
                    foreach (var r in Alternatives(b.Right))
                        result.Add(new Binary(b.Op, l, r));
                return Cap(result);
            }
            default: return [e];
        }
    }

    static List<Expr> Cap(List<Expr> list) => list.Count > MaxAlternatives ? list.GetRange(0, MaxAlternatives) : list;
}
