// Numeric equivalence of scalar expressions: exact when both values are exact rationals, relative tolerance for
// approximate values, random complex points when variables are free, the decimal-rounding rule and percentages.
using System.Numerics;
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
        var variables = UnionOf(goldVars, predVars);
        return EqualAtRandomPoints(gold, pred, variables, real: false) is { } equal ? equal
            : EqualAtRandomPoints(gold, pred, variables, real: true) ?? gold.Equals(pred);
    }

    /// <summary>Null when no point was informative (both sides undefined everywhere, e.g. ⌊x⌋ at complex points).</summary>
    bool? EqualAtRandomPoints(Expr gold, Expr pred, List<string> variables, bool real)
    {
        int compared = 0;
        for (int k = 0; k < options.RandomPoints; k++)
        {
            var evaluator = new Evaluator(budget, RandomPoints.Point(variables, options.Seed, k, real));
            var g = evaluator.Evaluate(gold);
            var p = evaluator.Evaluate(pred);
            if (!g.IsFinite && !p.IsFinite && g.Kind == p.Kind) continue; // a pole of both: no information
            if (!Close(g, p)) return false;
            compared++;
        }
        return compared > 0 ? true : null;
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
    /// n places (0.33 = 1/3, 3.14 = π, 1.27e30 = 2^{100}); two decimals never use this rule, so 0.46 ≠ 0.5.</summary>
    bool RoundingMatch(Expr gold, Value g, Expr pred, Value p)
    {
        if (options.MinRoundingPlaces <= 0) return false;
        bool goldDecimal = IsDecimal(gold, out int goldUnit), predDecimal = IsDecimal(pred, out int predUnit);
        if (goldDecimal == predDecimal) return false;
        return predDecimal ? RoundsTo(g, p, predUnit) : RoundsTo(p, g, goldUnit);
    }

    /// <summary>Whether e is a decimal literal (also m \times 10^{k}, or negated) with enough places; unit is the
    /// power of ten of its last digit.</summary>
    bool IsDecimal(Expr e, out int unit)
    {
        unit = 0;
        switch (e)
        {
            case Neg n: return IsDecimal(n.Operand, out unit);
            case Num n when n.DecimalPlaces >= options.MinRoundingPlaces:
                unit = n.Exponent10 - n.DecimalPlaces;
                return true;
            case Binary(BinaryOp.Mul, Num { Exponent10: 0 } m, Binary(BinaryOp.Pow, Num ten, Num k))
                when m.DecimalPlaces >= options.MinRoundingPlaces && ten.Value == new Rational(10) && k.Value.IsInteger
                    && BigInteger.Abs(k.Value.Num) < 400:
                unit = (int)k.Value.Num - m.DecimalPlaces;
                return true;
            default: return false;
        }
    }

    /// <summary>|value − rounded| ≤ ½·10^unit.</summary>
    static bool RoundsTo(Value value, Value rounded, int unit)
    {
        if (!value.IsFinite || !rounded.IsExact || Math.Abs(unit) > 400) return false;
        if (value.IsExact)
        {
            var scale = new Rational(BigInteger.Pow(10, Math.Abs(unit)));
            var error = (value.Exact - rounded.Exact) * new Rational(2);
            error = unit <= 0 ? error * scale : error / scale;
            return (error.Sign < 0 ? -error : error).CompareTo(Rational.One) <= 0;
        }
        var z = value.AsComplex;
        if (Math.Abs(z.Imaginary) > 1e-12 * Math.Max(1, Math.Abs(z.Real))) return false;
        return Math.Abs(z.Real - rounded.Exact.ToDouble()) <= 0.5 * Math.Pow(10, unit) * (1 + 1e-9);
    }
}
