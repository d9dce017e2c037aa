// Numeric equivalence of scalar expressions: exact when both values are exact rationals, relative tolerance for
// approximate values, random complex points when variables are free, the decimal-rounding rule and percentages.
using Ispo.MathVerify.Evaluation;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal sealed partial class ExprComparer
{
    static readonly Num Hundred = Num.Of(100);

    bool ScalarsEqual(Expr gold, Expr pred)
    {
        var (g, goldPercent) = gold is Percent gp ? (gp.Operand, true) : (gold, false);
        var (p, predPercent) = pred is Percent pp ? (pp.Operand, true) : (pred, false);
        if (NumbersEqual(g, p)) return true;
        if (goldPercent == predPercent || !options.PercentEqualsFraction) return false;
        return goldPercent
            ? NumbersEqual(new Binary(BinaryOp.Div, g, Hundred), p)
            : NumbersEqual(g, new Binary(BinaryOp.Div, p, Hundred));
    }

    bool NumbersEqual(Expr gold, Expr pred)
    {
        var goldVars = FreeVariables.Of(gold);
        var predVars = FreeVariables.Of(pred);
        if (goldVars.Count == 0 && predVars.Count == 0)
        {
            var evaluator = new Evaluator(budget);
            var g = evaluator.Evaluate(gold);
            var p = evaluator.Evaluate(pred);
            if (g.Kind == ValueKind.Undefined && p.Kind == ValueKind.Undefined) return gold.Equals(pred); // e.g. both 1/0
            return Close(g, p) || RoundingMatch(gold, g, pred, p);
        }
        if (options.Strict && !FreeVariables.SameSet(goldVars, predVars)) return false;
        return EqualAtRandomPoints(gold, pred, UnionOf(goldVars, predVars));
    }

    bool EqualAtRandomPoints(Expr gold, Expr pred, List<string> variables)
    {
        int compared = 0;
        for (int k = 0; k < options.RandomPoints; k++)
        {
            var evaluator = new Evaluator(budget, RandomPoints.Point(variables, options.Seed, k));
            var g = evaluator.Evaluate(gold);
            var p = evaluator.Evaluate(pred);
            if (!g.IsFinite && !p.IsFinite && g.Kind == p.Kind) continue; // a pole of both: no information
            if (!Close(g, p)) return false;
            compared++;
        }
        return compared > 0 || gold.Equals(pred);
    }

    static List<string> UnionOf(List<string> a, List<string> b)
    {
        if (FreeVariables.SameSet(a, b)) return a;
        var all = new List<string>(a);
        foreach (var name in b) if (!all.Contains(name)) all.Add(name);
        all.Sort(StringComparer.Ordinal);
        return all;
    }

    /// <summary>Exact values compare exactly; otherwise |a−b| ≤ rtol·max(|a|,|b|) + atol (atol only matters near 0).</summary>
    bool Close(Value a, Value b)
    {
        if (a.IsExact && b.IsExact) return a.Exact == b.Exact;
        if (a.IsInfinite || b.IsInfinite) return a.Kind == b.Kind;
        if (!a.IsFinite || !b.IsFinite) return false;
        var (x, y) = (a.AsComplex, b.AsComplex);
        double scale = Math.Max(x.Magnitude, y.Magnitude);
        return (x - y).Magnitude <= options.RelativeTolerance * scale + options.AbsoluteTolerance;
    }

    /// <summary>A lone decimal with n ≥ MinRoundingPlaces places equals a non-decimal real value that rounds to it at
    /// n places (0.33 = 1/3, 3.14 = π); two decimals never use this rule, so 0.46 ≠ 0.5.</summary>
    bool RoundingMatch(Expr gold, Value g, Expr pred, Value p)
    {
        if (options.MinRoundingPlaces <= 0) return false;
        bool goldDecimal = IsDecimal(gold, out int goldPlaces), predDecimal = IsDecimal(pred, out int predPlaces);
        if (goldDecimal == predDecimal) return false;
        return predDecimal ? RoundsTo(g, p, predPlaces) : RoundsTo(p, g, goldPlaces);
    }

    bool IsDecimal(Expr e, out int places)
    {
        places = e is Num n ? n.DecimalPlaces : -1;
        return places >= options.MinRoundingPlaces;
    }

    static bool RoundsTo(Value value, Value rounded, int places)
    {
        if (!value.IsFinite || !rounded.IsExact) return false;
        if (value.IsExact)
        {
            var twiceScaledError = (value.Exact - rounded.Exact) * new Rational(2 * System.Numerics.BigInteger.Pow(10, places));
            return (twiceScaledError.Sign < 0 ? -twiceScaledError : twiceScaledError).CompareTo(Rational.One) <= 0;
        }
        var z = value.AsComplex;
        if (Math.Abs(z.Imaginary) > 1e-12 * Math.Max(1, Math.Abs(z.Real))) return false;
        return Math.Abs(z.Real - rounded.Exact.ToDouble()) <= 0.5 * Math.Pow(10, -places) * (1 + 1e-9);
    }
}
