// The expression tree the parser builds from LaTeX or plain math; immutable and never executed, only evaluated.
using System.Numerics;
using Ispo.MathVerify.Evaluation;

namespace Ispo.MathVerify.Parsing;

public abstract record Expr;

/// <summary>An exact number; <paramref name="DecimalPlaces"/> ≥ 0 when it was written as a decimal (0.50 → 2), counting
/// the mantissa's places in scientific notation, whose power of ten is <paramref name="Exponent10"/> (1.27e30 → 2, 30).</summary>
public sealed record Num(Rational Value, int DecimalPlaces = -1, int Exponent10 = 0) : Expr
{
    public static Num Of(long value) => new(new Rational(value));
}

public enum ConstantKind { Pi, E, I, Infinity }

public sealed record Constant(ConstantKind Kind) : Expr;

/// <summary>A free variable; subscripts are part of the name (x_1, a_n).</summary>
public sealed record Variable(string Name) : Expr;

public sealed record Neg(Expr Operand) : Expr;

public enum BinaryOp { Add, Sub, Mul, Div, Pow }

public sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr;

public enum Function { Sin, Cos, Tan, Cot, Sec, Csc, Asin, Acos, Atan, Acot, Asec, Acsc, Sinh, Cosh, Tanh, Ln, Exp, Abs, Floor, Ceil }

public sealed record Call(Function Fn, Expr Arg) : Expr;

public sealed record Factorial(Expr Operand) : Expr;

public sealed record Binomial(Expr N, Expr K) : Expr;

/// <summary>x\% — its value is x; the comparison decides whether it may also mean x/100.</summary>
public sealed record Percent(Expr Operand) : Expr;

/// <summary>Left ± Right, or ±Right when Left is null: stands for the set of both signs.</summary>
public sealed record PlusMinus(Expr? Left, Expr Right) : Expr;

public enum RelationOp { Eq, Ne, Lt, Le, Gt, Ge, In }

/// <summary>A chain a op₁ b op₂ c …: Operands has one more item than Ops.</summary>
public sealed record Relation(IReadOnlyList<Expr> Operands, IReadOnlyList<RelationOp> Ops) : Expr;

/// <summary>\{a, b\}; empty for ∅.</summary>
public sealed record SetOf(IReadOnlyList<Expr> Items) : Expr;

/// <summary>A bracketed list — tuple or interval — such as (1,2), [1,2), or a bare comma list when Open is '\0'.</summary>
public sealed record Sequence(IReadOnlyList<Expr> Items, char Open, char Close) : Expr
{
    public bool IsBareList => Open == '\0';
}

public sealed record Union(IReadOnlyList<Expr> Items) : Expr;

public sealed record Matrix(IReadOnlyList<IReadOnlyList<Expr>> Rows) : Expr;

/// <summary>An integer written in base <paramref name="Base"/> (52_8, 4210_{5}); its value is the converted integer.</summary>
public sealed record BaseNumber(string Digits, int Base, Rational Value) : Expr;

/// <summary>A word answer such as \text{Evelyn}; compared case-insensitively.</summary>
public sealed record Text(string Value) : Expr;
