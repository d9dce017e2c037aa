// a^b: exact for rational bases with integer exponents (size-guarded by the budget) and for perfect roots
// (\sqrt{4}, 8^{2/3}); the real root for odd roots of negatives (\sqrt[3]{-8} = -2); complex principal value otherwise.
using System.Numerics;

namespace Ispo.MathVerify.Evaluation;

internal static class Powers
{
    const int MaxExactRootDegree = 64;

    public static Value Power(Value b, Value e, VerifyBudget budget)
    {
        if (b.IsExact && e.IsExact)
        {
            if (e.Exact.IsInteger) return IntegerPower(b.Exact, e.Exact.Num, budget);
            if (e.Exact.Den <= MaxExactRootDegree) return RationalPower(b.Exact, e.Exact, budget);
        }
        if (e.IsExact && e.Exact.IsZero && b.IsFinite) return Value.Of(Rational.One);
        if (e.IsExact && e.Exact == Rational.One) return b;
        if (!b.IsFinite || !e.IsFinite) return InfinitePower(b, e);
        var (bc, ec) = (b.AsComplex, e.AsComplex);
        if (bc == Complex.Zero) return ec.Real > 0 ? Value.Of(Rational.Zero) : Value.Undefined;
        if (bc.Imaginary == 0 && ec.Imaginary == 0 && bc.Real > 0) return Value.Of(Math.Pow(bc.Real, ec.Real));
        if (bc.Imaginary == 0 && bc.Real < 0 && e.IsExact && !e.Exact.Den.IsEven && e.Exact.Den <= MaxExactRootDegree)
        {
            double magnitude = Math.Pow(-bc.Real, e.Exact.ToDouble()); // odd root of a negative real: the real root
            return Value.Of(e.Exact.Num.IsEven ? magnitude : -magnitude);
        }
        return Value.Of(Complex.Pow(bc, ec));
    }

    static Value IntegerPower(Rational b, BigInteger k, VerifyBudget budget)
    {
        if (b.IsZero) return k.Sign > 0 ? Value.Of(b) : k.IsZero ? Value.Of(Rational.One) : Value.Undefined;
        if (b.Num.IsOne && b.Den.IsOne) return Value.Of(b);
        if (b.Num == BigInteger.MinusOne && b.Den.IsOne) return Value.Of(k.IsEven ? Rational.One : b);
        var magnitude = BigInteger.Abs(k);
        budget.CheckBits(magnitude > int.MaxValue ? long.MaxValue : (long)magnitude * b.Bits);
        int n = (int)magnitude;
        budget.Step(1 + n * b.Bits / 4096);
        var num = BigInteger.Pow(b.Num, n);
        var den = BigInteger.Pow(b.Den, n);
        return Value.Of(k.Sign > 0 ? new Rational(num, den) : new Rational(den, num));
    }

    static Value RationalPower(Rational b, Rational e, VerifyBudget budget)
    {
        int q = (int)e.Den;
        bool negative = b.Sign < 0;
        if (negative && q % 2 == 0)
        {
            var root = Power(Value.Of(-b), Value.Of(e), budget); // (-x)^(p/q) = x^(p/q)·e^{iπp/q}
            return Arithmetic.Multiply(root, Value.Of(Complex.FromPolarCoordinates(1, Math.PI * (double)e.Num / q)));
        }
        var magnitude = negative ? -b : b;
        if (TryRoot(magnitude.Num, q, out var rn) && TryRoot(magnitude.Den, q, out var rd))
        {
            var root = new Rational(negative ? -rn : rn, rd);
            return IntegerPower(root, e.Num, budget);
        }
        double real = Math.Pow(magnitude.ToDouble(), (double)e.Num / q);
        return Value.Of(negative && !e.Num.IsEven ? -real : real);
    }

    /// <summary>The exact integer q-th root of x ≥ 0 when x is a perfect power (small x only: larger ones go numeric).</summary>
    static bool TryRoot(BigInteger x, int q, out BigInteger root)
    {
        root = default;
        if (x.GetBitLength() > 1000) return false;
        var guess = new BigInteger(Math.Round(Math.Exp(BigInteger.Log(x) / q)));
        for (var candidate = guess - 1; candidate <= guess + 1; candidate++)
        {
            if (candidate.Sign < 0) continue;
            if (BigInteger.Pow(candidate, q) == x) { root = candidate; return true; }
        }
        return false;
    }

    static Value InfinitePower(Value b, Value e)
    {
        if (b.Kind == ValueKind.PositiveInfinity && e.IsFinite)
        {
            double r = e.AsComplex.Real;
            return r > 0 ? b : r < 0 ? Value.Of(Rational.Zero) : Value.Undefined;
        }
        if (b.IsFinite && e.IsInfinite && b.AsComplex.Imaginary == 0 && b.AsComplex.Real > 0 && b.AsComplex.Real != 1)
        {
            bool grows = (b.AsComplex.Real > 1) == (e.Kind == ValueKind.PositiveInfinity); // 2^∞ = ∞, 2^{-∞} = 0
            return grows ? Value.PositiveInfinity : Value.Of(Rational.Zero);
        }
        return Value.Undefined;
    }
}
