// An exact rational with BigInteger numerator and positive denominator in lowest terms.
using System.Numerics;

namespace Ispo.MathVerify.Evaluation;

public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public Rational(BigInteger value) { Num = value; Den = BigInteger.One; }

    public Rational(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException("rational with zero denominator");
        if (den.Sign < 0) { num = -num; den = -den; }
        if (!den.IsOne)
        {
            var g = BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        }
        Num = num; Den = den.IsZero ? BigInteger.One : den;
    }

    public static Rational Zero => new(BigInteger.Zero);
    public static Rational One => new(BigInteger.One);

    public bool IsZero => Num.IsZero;
    public bool IsInteger => Den.IsOne;
    public int Sign => Num.Sign;

    public static Rational operator +(Rational a, Rational b) =>
        a.Den.IsOne && b.Den.IsOne ? new(a.Num + b.Num) : new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a, Rational b) =>
        a.Den.IsOne && b.Den.IsOne ? new(a.Num - b.Num) : new(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a) => new(-a.Num, a.Den);
    public static Rational operator *(Rational a, Rational b) =>
        a.Den.IsOne && b.Den.IsOne ? new(a.Num * b.Num) : new(a.Num * b.Num, a.Den * b.Den);
    public static Rational operator /(Rational a, Rational b) => new(a.Num * b.Den, a.Den * b.Num);

    /// <summary>Bit length of the larger of numerator and denominator, a size measure for guards.</summary>
    public long Bits => Math.Max(BigInteger.Abs(Num).GetBitLength(), Den.GetBitLength());

    /// <summary>Nearest double, accurate even when numerator and denominator overflow double on their own.</summary>
    public double ToDouble()
    {
        if (Num.IsZero) return 0;
        long nb = BigInteger.Abs(Num).GetBitLength(), db = Den.GetBitLength();
        if (nb < 1000 && db < 1000) return (double)Num / (double)Den;
        long shift = 64 - (nb - db); // scale so the integer quotient carries ~64 significant bits
        var q = shift >= 0 ? (Num << (int)Math.Min(shift, int.MaxValue)) / Den : Num / (Den << (int)Math.Min(-shift, int.MaxValue));
        return Math.ScaleB((double)q, (int)Math.Clamp(-shift, int.MinValue, int.MaxValue));
    }

    public bool Equals(Rational other) => Num == other.Num && Den == other.Den;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Num, Den);
    public int CompareTo(Rational other) => (Num * other.Den).CompareTo(other.Num * Den);
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public override string ToString() => Den.IsOne ? Num.ToString() : $"{Num}/{Den}";
}
