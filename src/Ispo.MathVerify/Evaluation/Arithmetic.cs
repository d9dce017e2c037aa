// Sum, product and quotient of Values: exact when both are exact, complex otherwise, with the few rules for ±∞
// that answers need (-∞, a + ∞, positive·∞).
namespace Ispo.MathVerify.Evaluation;

internal static class Arithmetic
{
    public static Value Negate(Value v) => v.Kind switch
    {
        ValueKind.Exact => Value.Of(-v.Exact),
        ValueKind.Approx => Value.Of(-v.AsComplex),
        ValueKind.PositiveInfinity => Value.NegativeInfinity,
        ValueKind.NegativeInfinity => Value.PositiveInfinity,
        _ => v,
    };

    public static Value Add(Value a, Value b)
    {
        if (a.IsExact && b.IsExact) return Value.Of(a.Exact + b.Exact);
        if (a.IsFinite && b.IsFinite) return Value.Of(a.AsComplex + b.AsComplex);
        if (a.IsInfinite && b.IsFinite && IsReal(b)) return a;
        if (b.IsInfinite && a.IsFinite && IsReal(a)) return b;
        return a.Kind == b.Kind && a.IsInfinite ? a : Value.Undefined;
    }

    public static Value Multiply(Value a, Value b)
    {
        if (a.IsExact && b.IsExact) return Value.Of(a.Exact * b.Exact);
        if ((a.IsExact && a.Exact.IsZero && b.IsFinite) || (b.IsExact && b.Exact.IsZero && a.IsFinite)) return Value.Of(Rational.Zero);
        if (a.IsFinite && b.IsFinite) return Value.Of(a.AsComplex * b.AsComplex);
        if (a.IsInfinite && b.IsInfinite) return a.Kind == b.Kind ? Value.PositiveInfinity : Value.NegativeInfinity;
        var (inf, fin) = a.IsInfinite ? (a, b) : (b, a);
        if (!inf.IsInfinite || !fin.IsFinite || !IsReal(fin)) return Value.Undefined;
        int sign = Math.Sign(fin.AsComplex.Real);
        return sign == 0 ? Value.Undefined : sign > 0 ? inf : Negate(inf);
    }

    public static Value Divide(Value a, Value b)
    {
        if (b.IsExact && b.Exact.IsZero) return Value.Undefined;
        if (a.IsExact && b.IsExact) return Value.Of(a.Exact / b.Exact);
        if (a.IsFinite && b.IsFinite) return b.AsComplex == 0 ? Value.Undefined : Value.Of(a.AsComplex / b.AsComplex);
        if (a.IsFinite && b.IsInfinite) return Value.Of(Rational.Zero);
        if (a.IsInfinite && b.IsFinite && IsReal(b)) return Multiply(a, b);
        return Value.Undefined;
    }

    static bool IsReal(Value v) => v.IsExact || v.AsComplex.Imaginary == 0;
}
