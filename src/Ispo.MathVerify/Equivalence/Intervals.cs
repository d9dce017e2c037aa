// Inequalities in one variable as intervals, so 1 < x \le 2 equals (1, 2] and x \ge 3 equals [3, \infty).
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal static class Intervals
{
    static readonly Expr PlusInfinity = new Constant(ConstantKind.Infinity);
    static readonly Expr MinusInfinity = new Neg(PlusInfinity);

    /// <summary>The interval a one-variable inequality (or x \in S) describes, or null when it is not one.</summary>
    public static Expr? From(Relation r)
    {
        if (r.Operands.Count == 2 && r.Ops[0] == RelationOp.In) return r.Operands[0] is Variable ? r.Operands[1] : null;
        foreach (var op in r.Ops) if (!IsInequality(op)) return null;
        if (r.Operands.Count == 2) return FromOneSided(r.Operands[0], r.Ops[0], r.Operands[1]);
        if (r.Operands.Count == 3 && NamesAValue(r.Operands[1]) && IsBound(r.Operands[0]) && IsBound(r.Operands[2]))
        {
            bool ascending = IsLess(r.Ops[0]);
            if (ascending != IsLess(r.Ops[1])) return null;
            var (lo, loOp, hi, hiOp) = ascending
                ? (r.Operands[0], r.Ops[0], r.Operands[2], r.Ops[1])
                : (r.Operands[2], r.Ops[1], r.Operands[0], r.Ops[0]);
            return Interval(lo, IsStrict(loOp) ? '(' : '[', hi, IsStrict(hiOp) ? ')' : ']');
        }
        return null;
    }

    /// <summary>x, or a function's value f(x) (parsed as f·x; f, g, h name functions by convention): "0 < f(x) < 1"
    /// states the range (0, 1).</summary>
    static bool NamesAValue(Expr e) =>
        e is Variable || e is Binary { Op: BinaryOp.Mul, Left: Variable { Name: "f" or "g" or "h" }, Right: Variable };

    static Expr? FromOneSided(Expr left, RelationOp op, Expr right)
    {
        if (left is Neg { Operand: Variable v } && IsBound(right)) return FromOneSided(v, Flip(op), new Neg(right));   // -x > -1
        if (right is Neg { Operand: Variable w } && IsBound(left)) return FromOneSided(new Neg(left), Flip(op), w);
        if (left is Variable && IsBound(right)) return VariableBelow(IsLess(op), IsStrict(op), right);
        if (right is Variable && IsBound(left)) return VariableBelow(!IsLess(op), IsStrict(op), left);
        return null;
    }

    /// <summary>x &lt; bound (below = true) or x &gt; bound.</summary>
    static Expr VariableBelow(bool below, bool strict, Expr bound) => below
        ? Interval(MinusInfinity, '(', bound, strict ? ')' : ']')
        : Interval(bound, strict ? '(' : '[', PlusInfinity, ')');

    static Expr Interval(Expr lo, char open, Expr hi, char close) => new Sequence([lo, hi], open, close);

    static RelationOp Flip(RelationOp op) => op switch
    {
        RelationOp.Lt => RelationOp.Gt, RelationOp.Gt => RelationOp.Lt,
        RelationOp.Le => RelationOp.Ge, RelationOp.Ge => RelationOp.Le,
        _ => op,
    };

    static bool IsBound(Expr e) => FreeVariables.Of(e).Count == 0;
    static bool IsInequality(RelationOp op) => op is RelationOp.Lt or RelationOp.Le or RelationOp.Gt or RelationOp.Ge;
    static bool IsLess(RelationOp op) => op is RelationOp.Lt or RelationOp.Le;
    static bool IsStrict(RelationOp op) => op is RelationOp.Lt or RelationOp.Gt;
}
