// Elementary functions on Values: real math where the argument is real and inside the real domain (more
// accurate), complex principal values otherwise. Exact shortcuts only where they keep answers exact (|x|, ⌊x⌋).
using System.Numerics;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify.Evaluation;

internal static class Functions
{
    public static Value Apply(Function fn, Value x)
    {
        if (x.IsExact)
        {
            switch (fn)
            {
                case Function.Abs: return Value.Of(x.Exact.Sign < 0 ? -x.Exact : x.Exact);
                case Function.Floor: return Value.Of(new Rational(Floor(x.Exact)));
                case Function.Ceil: return Value.Of(new Rational(-Floor(-x.Exact)));
                case Function.Exp when x.Exact.IsZero: return Value.Of(Rational.One);
                case Function.Ln when x.Exact == Rational.One: return Value.Of(Rational.Zero);
            }
        }
        if (x.IsInfinite) return ApplyAtInfinity(fn, x);
        if (!x.IsFinite) return x;
        var z = x.AsComplex;
        return z.Imaginary == 0 && TryReal(fn, z.Real, out var real) ? Value.Of(real) : Value.Of(ApplyComplex(fn, z));
    }

    static BigInteger Floor(Rational r) => BigInteger.Divide(r.Num - (r.Num.Sign < 0 ? r.Den - 1 : 0), r.Den);

    static bool TryReal(Function fn, double x, out double y)
    {
        y = fn switch
        {
            Function.Sin => Math.Sin(x), Function.Cos => Math.Cos(x), Function.Tan => Math.Tan(x),
            Function.Cot => 1 / Math.Tan(x), Function.Sec => 1 / Math.Cos(x), Function.Csc => 1 / Math.Sin(x),
            Function.Asin when Math.Abs(x) <= 1 => Math.Asin(x),
            Function.Acos when Math.Abs(x) <= 1 => Math.Acos(x),
            Function.Atan => Math.Atan(x),
            Function.Acot => x == 0 ? Math.PI / 2 : Math.Atan(1 / x),
            Function.Asec when Math.Abs(x) >= 1 => Math.Acos(1 / x),
            Function.Acsc when Math.Abs(x) >= 1 => Math.Asin(1 / x),
            Function.Sinh => Math.Sinh(x), Function.Cosh => Math.Cosh(x), Function.Tanh => Math.Tanh(x),
            Function.Ln when x > 0 => Math.Log(x),
            Function.Exp => Math.Exp(x),
            Function.Abs => Math.Abs(x),
            Function.Floor => Math.Floor(x),
            Function.Ceil => Math.Ceiling(x),
            _ => double.NaN,
        };
        return !double.IsNaN(y);
    }

    static Complex ApplyComplex(Function fn, Complex z) => fn switch
    {
        Function.Sin => Complex.Sin(z), Function.Cos => Complex.Cos(z), Function.Tan => Complex.Tan(z),
        Function.Cot => 1 / Complex.Tan(z), Function.Sec => 1 / Complex.Cos(z), Function.Csc => 1 / Complex.Sin(z),
        Function.Asin => Complex.Asin(z), Function.Acos => Complex.Acos(z), Function.Atan => Complex.Atan(z),
        Function.Acot => Complex.Atan(1 / z), Function.Asec => Complex.Acos(1 / z), Function.Acsc => Complex.Asin(1 / z),
        Function.Sinh => Complex.Sinh(z), Function.Cosh => Complex.Cosh(z), Function.Tanh => Complex.Tanh(z),
        Function.Ln => z == Complex.Zero ? new Complex(double.NaN, 0) : Complex.Log(z),
        Function.Exp => Complex.Exp(z),
        Function.Abs => new Complex(z.Magnitude, 0),
        _ => new Complex(double.NaN, 0), // floor/ceil of a non-real number
    };

    static Value ApplyAtInfinity(Function fn, Value x)
    {
        bool positive = x.Kind == ValueKind.PositiveInfinity;
        return fn switch
        {
            Function.Abs => Value.PositiveInfinity,
            Function.Exp => positive ? x : Value.Of(Rational.Zero),
            Function.Ln when positive => x,
            Function.Atan => Value.Of(positive ? Math.PI / 2 : -Math.PI / 2),
            _ => Value.Undefined,
        };
    }
}
