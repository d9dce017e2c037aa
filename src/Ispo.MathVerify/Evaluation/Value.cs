// The value of a scalar expression: an exact rational when arithmetic allowed it, else a complex double, else
// ±∞ or undefined (division by zero, overflow, a function outside its domain).
using System.Numerics;

namespace Ispo.MathVerify.Evaluation;

public enum ValueKind { Exact, Approx, PositiveInfinity, NegativeInfinity, Undefined }

public readonly struct Value
{
    public ValueKind Kind { get; }
    public Rational Exact { get; }
    readonly Complex approx;

    Value(ValueKind kind, Rational exact, Complex approx) { Kind = kind; Exact = exact; this.approx = approx; }

    public static Value Of(Rational r) => new(ValueKind.Exact, r, default);

    /// <summary>A complex value; non-finite results become Undefined.</summary>
    public static Value Of(Complex c) =>
        double.IsFinite(c.Real) && double.IsFinite(c.Imaginary) ? new(ValueKind.Approx, default, c) : Undefined;

    public static Value Of(double d) => Of(new Complex(d, 0));
    public static Value Undefined => new(ValueKind.Undefined, default, default);
    public static Value PositiveInfinity => new(ValueKind.PositiveInfinity, default, default);
    public static Value NegativeInfinity => new(ValueKind.NegativeInfinity, default, default);

    public bool IsExact => Kind == ValueKind.Exact;
    public bool IsFinite => Kind is ValueKind.Exact or ValueKind.Approx;
    public bool IsInfinite => Kind is ValueKind.PositiveInfinity or ValueKind.NegativeInfinity;

    /// <summary>The value as a complex double (exact rationals converted); only meaningful when finite.</summary>
    public Complex AsComplex => Kind == ValueKind.Exact ? new Complex(Exact.ToDouble(), 0) : approx;

    public override string ToString() => Kind switch
    {
        ValueKind.Exact => Exact.ToString(),
        ValueKind.Approx => approx.Imaginary == 0 ? approx.Real.ToString("R") : approx.ToString(),
        _ => Kind.ToString(),
    };
}
