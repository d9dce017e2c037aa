// Equations and inequalities: y = 2x+1 equals 2x − y + 1 = 0 because lhs − rhs agree up to a non-zero constant
// factor (a positive one for inequalities, which also must have the same strictness).
using System.Numerics;
using Ispo.MathVerify.Evaluation;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal sealed partial class ExprComparer
{
    bool RelationsEqual(Relation gold, Relation pred)
    {
        if (gold.Ops.Count == 1 && pred.Ops.Count == 1)
        {
            var (goldOp, goldForm) = Canonical(gold);
            var (predOp, predForm) = Canonical(pred);
            return goldOp == predOp && Proportional(goldForm, predForm, positiveFactor: goldOp is RelationOp.Gt or RelationOp.Ge);
        }
        return ChainEqual(gold, pred, reversed: false) || ChainEqual(gold, pred, reversed: true);
    }

    /// <summary>a op b as (op', f) with f = a − b and op' ∈ {=, ≠, >, ≥}: a &lt; b becomes b − a &gt; 0.</summary>
    static (RelationOp Op, Expr Form) Canonical(Relation r)
    {
        var (a, b) = (r.Operands[0], r.Operands[1]);
        return r.Ops[0] switch
        {
            RelationOp.Lt => (RelationOp.Gt, new Binary(BinaryOp.Sub, b, a)),
            RelationOp.Le => (RelationOp.Ge, new Binary(BinaryOp.Sub, b, a)),
            var op => (op, new Binary(BinaryOp.Sub, a, b)),
        };
    }

    bool ChainEqual(Relation gold, Relation pred, bool reversed)
    {
        int n = gold.Operands.Count;
        if (pred.Operands.Count != n) return false;
        for (int i = 0; i < n - 1; i++)
        {
            var op = reversed ? Flip(pred.Ops[n - 2 - i]) : pred.Ops[i];
            if (op != gold.Ops[i]) return false;
        }
        for (int i = 0; i < n; i++)
            if (!Equal(gold.Operands[i], pred.Operands[reversed ? n - 1 - i : i])) return false;
        return true;
    }

    static RelationOp Flip(RelationOp op) => op switch
    {
        RelationOp.Lt => RelationOp.Gt, RelationOp.Gt => RelationOp.Lt,
        RelationOp.Le => RelationOp.Ge, RelationOp.Ge => RelationOp.Le,
        _ => op,
    };

    /// <summary>Whether f = c·h for one constant c ≠ 0 (c &gt; 0 when required), checked at random points.</summary>
    bool Proportional(Expr f, Expr h, bool positiveFactor)
    {
        var fVars = FreeVariables.Of(f);
        var hVars = FreeVariables.Of(h);
        if (options.Strict && !FreeVariables.SameSet(fVars, hVars)) return false;
        var variables = UnionOf(fVars, hVars);
        Complex? factor = null;
        int points = variables.Count == 0 ? 1 : options.RandomPoints;
        for (int k = 0; k < points; k++)
        {
            var evaluator = new Evaluator(budget, RandomPoints.Point(variables, options.Seed, k));
            var fv = evaluator.Evaluate(f);
            var hv = evaluator.Evaluate(h);
            if (!fv.IsFinite || !hv.IsFinite) continue;
            var (fz, hz) = (fv.AsComplex, hv.AsComplex);
            if (IsNegligible(hz)) { if (!IsNegligible(fz)) return false; continue; }
            factor ??= fz / hz;
            if (!Close(Value.Of(fz), Value.Of(factor.Value * hz))) return false;
        }
        if (factor is not { } c) return variables.Count == 0 || f.Equals(h); // 0 = 0, or nowhere defined: same tree?
        if (IsNegligible(c)) return false;
        return !positiveFactor || (c.Real > 0 && Math.Abs(c.Imaginary) <= options.RelativeTolerance * c.Magnitude);
    }

    bool IsNegligible(Complex z) => z.Magnitude <= options.AbsoluteTolerance;

    /// <summary>For x = 5 (a lone variable on one side, a value on the other), the value; for y_1 = -2x^2 + 4x + 3
    /// (an indexed name for one of several expressions) the expression: compared with a bare answer. A plain
    /// y = 2x + 1 stays an equation (a line is not the expression 2x + 1).</summary>
    static Expr? SolvedValue(Relation r)
    {
        if (r.Ops.Count != 1 || r.Ops[0] != RelationOp.Eq) return null;
        if (r.Operands[0] is Variable left && Names(left, r.Operands[1])) return r.Operands[1];
        if (r.Operands[1] is Variable right && Names(right, r.Operands[0])) return r.Operands[0];
        return null;
    }

    static bool Names(Variable label, Expr value)
    {
        var free = FreeVariables.Of(value);
        return free.Count == 0 || (label.Name.Contains('_') && !free.Contains(label.Name));
    }
}
