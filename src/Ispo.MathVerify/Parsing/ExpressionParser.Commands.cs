// Backslash commands of the parser: fractions, radicals, sets, functions, text wrappers, matrices.
using Ispo.MathVerify.Evaluation;

namespace Ispo.MathVerify.Parsing;

internal sealed partial class ExpressionParser
{
    Expr? ParseCommand()
    {
        var name = ReadCommandName();
        switch (name)
        {
            case "{": case "lbrace": return ParseSetBody();
            case "frac": case "dfrac": case "tfrac": case "cfrac":
            {
                var num = ParseArgument();
                var den = num is null ? null : ParseArgument();
                return den is null ? null : new Binary(BinaryOp.Div, num!, den);
            }
            case "binom": case "dbinom": case "tbinom":
            {
                var n = ParseArgument();
                var k = n is null ? null : ParseArgument();
                return k is null ? null : new Binomial(n!, k);
            }
            case "sqrt": return ParseRadical();
            case "pi": return new Constant(ConstantKind.Pi);
            case "infty": case "infin": return new Constant(ConstantKind.Infinity);
            case "emptyset": case "varnothing": return new SetOf([]);
            case "mathbb": return ParseBlackboard();
            case "lfloor": return ParseDelimited(Function.Floor, "rfloor");
            case "lceil": return ParseDelimited(Function.Ceil, "rceil");
            case "lvert": return ParseDelimited(Function.Abs, "rvert");
            case "vert": return ParseDelimited(Function.Abs, "vert");
            case "begin": return ParseMatrix();
            case "dot": case "ddot": case "hat": case "bar": case "tilde": case "vec": case "overline": case "mathcal":
            {
                var accent = name.ToString();
                var body = ReadBracedRaw();
                if (body is null && p < s.Length && char.IsAsciiLetter(s[p])) body = s[p++].ToString();
                if (body is null) return null;
                var sub = TryReadSubscript();
                return new Variable(sub is null ? $"{accent}{{{body.Trim()}}}" : $"{accent}{{{body.Trim()}}}_{sub}");
            }
        }
        if (CommandTable.IsTextWrapper(name)) return ParseTextWrapper();
        if (CommandTable.TryFunction(name, out var fn)) return ParseFunction(fn);
        if (CommandTable.IsGreek(name))
        {
            var sub = TryReadSubscript();
            return new Variable(sub is null ? name.ToString() : string.Concat(name, "_", sub));
        }
        return null;
    }

    /// <summary>Reads the name after a backslash: a run of letters, or one non-letter character (\{, \%, \\).</summary>
    ReadOnlySpan<char> ReadCommandName()
    {
        int start = ++p;
        if (p >= s.Length) return default;
        if (!char.IsAsciiLetter(s[p])) { p++; return s.AsSpan(start, 1); }
        while (p < s.Length && char.IsAsciiLetter(s[p])) p++;
        return s.AsSpan(start, p - start);
    }

    Expr? ParseSetBody()
    {
        if (TryCommand("}") || TryCommand("rbrace")) return new SetOf([]);
        var items = ParseList();
        if (items is null || !(TryCommand("}") || TryCommand("rbrace"))) return null;
        return new SetOf(items);
    }

    Expr? ParseRadical()
    {
        SkipSpace();
        Expr? degree = null;
        if (TryChar('['))
        {
            degree = ParseSum();
            if (degree is null || !TryChar(']')) return null;
        }
        var radicand = ParseArgument();
        if (radicand is null) return null;
        return degree is null ? Sqrt(radicand) : new Binary(BinaryOp.Pow, radicand, new Binary(BinaryOp.Div, Num.Of(1), degree));
    }

    Expr? ParseBlackboard()
    {
        var content = ReadBracedRaw();
        if (content is null) return null;
        return content.Trim() == "R"
            ? new Sequence([new Neg(new Constant(ConstantKind.Infinity)), new Constant(ConstantKind.Infinity)], '(', ')')
            : new Text(content.Trim());
    }

    Expr? ParseDelimited(Function fn, string closer)
    {
        var inner = ParseSum();
        return inner is not null && TryCommand(closer) ? new Call(fn, inner) : null;
    }

    /// <summary>\sin x, \sin^2 x, \sin^{-1} x (the inverse), \log_{2} 8, \ln(x).</summary>
    Expr? ParseFunction(Function fn)
    {
        Expr? power = null, logBase = null;
        for (int i = 0; i < 2; i++)
        {
            SkipSpace();
            if (fn == Function.Ln && logBase is null && TryChar('_')) { logBase = ParseArgument(); if (logBase is null) return null; }
            else if (power is null && TryChar('^')) { power = ParseArgument(); if (power is null) return null; }
        }
        if (power is Num { Value: var v } && v == new Rational(-1) && CommandTable.TryInverse(fn, out var inverse)) { fn = inverse; power = null; }
        var arg = ParseFunctionOperand();
        if (arg is null) return null;
        Expr call = new Call(fn, arg);
        if (logBase is not null) call = new Binary(BinaryOp.Div, call, new Call(Function.Ln, logBase));
        return power is null ? call : new Binary(BinaryOp.Pow, call, power);
    }

    /// <summary>\text{…} and friends: the content as math when it parses (\textbf{5}), else a text atom.</summary>
    Expr? ParseTextWrapper()
    {
        var content = ReadBracedRaw();
        if (content is null) return null;
        var trimmed = content.Trim();
        if (trimmed.Length == 0) return null;
        if (TextAnswer.IsWordy(trimmed) || IsLetterWord(trimmed)) return new Text(trimmed);
        if (CommandTable.TryFunction(trimmed, out var fn)) return ParseFunction(fn);
        var inner = new ExpressionParser(trimmed, budget) { depth = depth + 1 }.ParseAll();
        return inner ?? new Text(trimmed);
    }

    /// <summary>Two or more letters and nothing else (cm, km): a word, not a product of variables.</summary>
    static bool IsLetterWord(string text)
    {
        if (text.Length < 2) return false;
        foreach (var c in text) if (!char.IsLetter(c) && c != ' ') return false;
        return !CommandTable.TryFunction(text, out _);
    }

    string? ReadBracedRaw()
    {
        SkipSpace();
        if (Peek() != '{') return null;
        int close = FindClosingBrace(p);
        if (close < 0) return null;
        var content = s.Substring(p + 1, close - p - 1);
        p = close + 1;
        return content;
    }

    /// <summary>\begin{pmatrix} a & b \\ c & d \end{pmatrix} (also bmatrix, matrix, array …) → rows of cells.</summary>
    Expr? ParseMatrix()
    {
        var env = ReadBracedRaw();
        if (env is null || !(env.EndsWith("matrix", StringComparison.Ordinal) || env == "array")) return null;
        if (env == "array" && ReadBracedRaw() is null) return null; // column spec {cc}
        var rows = new List<IReadOnlyList<Expr>>();
        var row = new List<Expr>();
        while (true)
        {
            var cell = ParseRelation();
            if (cell is null) return null;
            row.Add(cell);
            SkipSpace();
            if (TryChar('&')) continue;
            bool rowBreak = TryCommand("\\");
            rows.Add(row);
            row = [];
            SkipSpace();
            if (TryCommand("end")) return ReadBracedRaw() == env && rows.All(r => r.Count == rows[0].Count) ? new Matrix(rows) : null;
            if (!rowBreak) return null;
        }
    }
}
