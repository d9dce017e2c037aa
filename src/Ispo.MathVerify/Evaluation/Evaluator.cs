// Evaluates a scalar Expr: exact rational arithmetic where possible (sums, products, quotients, integer powers,
// perfect roots, factorials, binomials), complex doubles otherwise. Variables take values from a point.
using System.Numerics;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify.Evaluation;

public sealed class Evaluator(VerifyBudget budget, IReadOnlyDictionary<string, Complex>? point = null)
{
    const int EvaluationDepthFactor = 4; // left-associative chains make trees deeper than the parser's recursion
    int depth;

    public Value Evaluate(Expr e)
    {
        budget.Step();
        budget.CheckDepth(++depth / EvaluationDepthFactor);
        var v = EvaluateCore(e);
        depth--;
        return v;
    }

    Value EvaluateCore(Expr e) => e switch
    {
        Num n => Value.Of(n.Value),
        BaseNumber n => Value.Of(n.Value),
        Constant c => c.Kind switch
        {
            ConstantKind.Pi => Value.Of(Math.PI),
            ConstantKind.E => Value.Of(Math.E),
            ConstantKind.I => Value.Of(Complex.ImaginaryOne),
            _ => Value.PositiveInfinity,
        },
        Variable v => point is not null && point.TryGetValue(v.Name, out var z) ? Value.Of(z) : Value.Undefined,
        Neg n => Arithmetic.Negate(Evaluate(n.Operand)),
        Binary b => EvaluateBinary(b),
        Call c => Functions.Apply(c.Fn, Evaluate(c.Arg)),
        Factorial f => Combinatorics.Factorial(Evaluate(f.Operand), budget),
        Binomial b => Combinatorics.Binomial(Evaluate(b.N), Evaluate(b.K), budget),
        Percent p => Evaluate(p.Operand),
        _ => Value.Undefined, // sets, tuples, relations, text: compared structurally, not as numbers
    };

    Value EvaluateBinary(Binary b)
    {
        var l = Evaluate(b.Left);
        var r = Evaluate(b.Right);
        var v = b.Op switch
        {
            BinaryOp.Add => Arithmetic.Add(l, r),
            BinaryOp.Sub => Arithmetic.Add(l, Arithmetic.Negate(r)),
            BinaryOp.Mul => Arithmetic.Multiply(l, r),
            BinaryOp.Div => Arithmetic.Divide(l, r),
            _ => Powers.Power(l, r, budget),
        };
        if (v.IsExact) ChargeForSize(v.Exact);
        return v;
    }

    /// <summary>Big exact numbers cost time (gcd, products): charge steps by size and cap it, so chains of huge
    /// products cannot run away between the budget's clock checks.</summary>
    void ChargeForSize(Rational r)
    {
        long bits = r.Bits;
        if (bits <= 256) return;
        budget.CheckBits(bits);
        budget.Step(1 + (bits >> 10));
    }
}
