// n! and binomial coefficients over exact integers, with the budget charged by the size of the work.
using System.Numerics;

namespace Ispo.MathVerify.Evaluation;

internal static class Combinatorics
{
    public static Value Factorial(Value n, VerifyBudget budget)
    {
        if (!TryNonNegativeInteger(n, out long k)) return Value.Undefined;
        budget.CheckBits((long)(k * Math.Log2(Math.Max(k, 2))));
        budget.Step(k);
        var product = BigInteger.One;
        for (long i = 2; i <= k; i++) product *= i;
        return Value.Of(new Rational(product));
    }

    public static Value Binomial(Value n, Value k, VerifyBudget budget)
    {
        if (!n.IsExact || !k.IsExact || !n.Exact.IsInteger || !k.Exact.IsInteger) return Value.Undefined;
        var (nn, kk) = (n.Exact.Num, k.Exact.Num);
        if (kk.Sign < 0 || (nn.Sign >= 0 && kk > nn)) return Value.Of(Rational.Zero);
        if (nn.Sign >= 0 && kk > nn - kk) kk = nn - kk;
        if (kk > int.MaxValue) budget.CheckBits(long.MaxValue);
        int steps = (int)kk;
        budget.CheckBits((long)steps * Math.Max(1, (long)BigInteger.Abs(nn).GetBitLength()));
        budget.Step(steps);
        var result = BigInteger.One;
        for (int i = 0; i < steps; i++) result = result * (nn - i) / (i + 1); // exact at every step
        return Value.Of(new Rational(result));
    }

    static bool TryNonNegativeInteger(Value v, out long k)
    {
        k = 0;
        if (!v.IsExact || !v.Exact.IsInteger || v.Exact.Sign < 0) return false;
        if (v.Exact.Num > int.MaxValue) { k = int.MaxValue; return true; } // the bits guard rejects it
        k = (long)v.Exact.Num;
        return true;
    }
}
