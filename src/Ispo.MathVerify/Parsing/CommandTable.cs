// Names the parser recognises: LaTeX commands and plain-text function words, mapped to what they mean.
namespace Ispo.MathVerify.Parsing;

internal static class CommandTable
{
    /// <summary>Function names, with or without a backslash (\sin, sin, \operatorname{arcsec}).</summary>
    public static bool TryFunction(ReadOnlySpan<char> name, out Function fn)
    {
        fn = name switch
        {
            "sin" => Function.Sin, "cos" => Function.Cos, "tan" => Function.Tan, "tg" => Function.Tan,
            "cot" => Function.Cot, "ctg" => Function.Cot, "sec" => Function.Sec, "csc" => Function.Csc, "cosec" => Function.Csc,
            "arcsin" => Function.Asin, "asin" => Function.Asin, "arccos" => Function.Acos, "acos" => Function.Acos,
            "arctan" => Function.Atan, "atan" => Function.Atan, "arccot" => Function.Acot, "arcsec" => Function.Asec, "arccsc" => Function.Acsc,
            "sinh" => Function.Sinh, "cosh" => Function.Cosh, "tanh" => Function.Tanh,
            "ln" => Function.Ln, "log" => Function.Ln, "lg" => Function.Ln, "exp" => Function.Exp, "abs" => Function.Abs,
            _ => (Function)(-1),
        };
        return (int)fn >= 0;
    }

    /// <summary>The inverse of a trigonometric function, for \sin^{-1}.</summary>
    public static bool TryInverse(Function fn, out Function inverse)
    {
        inverse = fn switch
        {
            Function.Sin => Function.Asin, Function.Cos => Function.Acos, Function.Tan => Function.Atan,
            Function.Cot => Function.Acot, Function.Sec => Function.Asec, Function.Csc => Function.Acsc,
            _ => (Function)(-1),
        };
        return (int)inverse >= 0;
    }

    public static bool IsGreek(ReadOnlySpan<char> name) => name switch
    {
        "alpha" or "beta" or "gamma" or "delta" or "epsilon" or "varepsilon" or "zeta" or "eta" or "theta" or "vartheta"
            or "iota" or "kappa" or "lambda" or "mu" or "nu" or "xi" or "rho" or "sigma" or "tau" or "upsilon" or "phi"
            or "varphi" or "chi" or "psi" or "omega" or "Gamma" or "Delta" or "Theta" or "Lambda" or "Xi" or "Sigma"
            or "Phi" or "Psi" or "Omega" or "hbar" or "ell" or "varrho" or "varsigma" or "varpi" or "Upsilon" or "Pi"
            or "angle" or "triangle" => true,
        _ => false,
    };

    /// <summary>Commands skipped like whitespace: spacing, sizing and style switches.</summary>
    public static bool IsIgnorable(ReadOnlySpan<char> name) => name switch
    {
        "left" or "right" or "bigl" or "bigr" or "Bigl" or "Bigr" or "big" or "Big" or "bigg" or "Bigg" or "biggl" or "biggr"
            or "quad" or "qquad" or "displaystyle" or "textstyle" or "limits" or "nonumber" or "middle" => true,
        _ => false,
    };

    /// <summary>Text-like wrappers whose braced argument is read raw.</summary>
    public static bool IsTextWrapper(ReadOnlySpan<char> name) => name switch
    {
        "text" or "textbf" or "textit" or "textrm" or "mathrm" or "mathbf" or "mathit" or "mbox" or "operatorname"
            or "boldsymbol" or "mathsf" or "texttt" or "emph" => true,
        _ => false,
    };

    public static bool TryRelation(ReadOnlySpan<char> name, out RelationOp op)
    {
        op = name switch
        {
            "le" or "leq" or "leqslant" or "leqq" => RelationOp.Le,
            "ge" or "geq" or "geqslant" or "geqq" => RelationOp.Ge,
            "lt" => RelationOp.Lt, "gt" => RelationOp.Gt,
            "ne" or "neq" => RelationOp.Ne,
            "approx" or "equiv" => RelationOp.Eq,
            "in" => RelationOp.In,
            _ => (RelationOp)(-1),
        };
        return (int)op >= 0;
    }

    /// <summary>Commands that begin an operand, so they may follow another operand as implicit multiplication.</summary>
    public static bool StartsOperand(ReadOnlySpan<char> name) =>
        name is "frac" or "dfrac" or "tfrac" or "cfrac" or "sqrt" or "binom" or "dbinom" or "tbinom" or "pi" or "infty"
            or "{" or "lbrace" or "begin" or "mathbb" or "lfloor" or "lceil" or "lvert" or "vert"
            or "dot" or "ddot" or "hat" or "bar" or "tilde" or "vec" or "overline" or "mathcal"
        || IsGreek(name) || IsTextWrapper(name) || TryFunction(name, out _);
}
