// Scannerless recursive-descent parser over normalised LaTeX/plain math. Failures return null (no exceptions on
// the normal path); the budget throws when steps, time or nesting depth run out.
using System.Numerics;
using Ispo.MathVerify.Evaluation;

namespace Ispo.MathVerify.Parsing;

internal sealed partial class ExpressionParser(string source, VerifyBudget budget)
{
    readonly string s = source;
    int p;
    int depth;
    int absDepth; // inside |…|, a '|' closes instead of opening

    public Expr? ParseAll()
    {
        budget.CheckLength(s.Length);
        var items = ParseList();
        SkipSpace();
        if (items is null || p != s.Length) return null;
        return items.Count == 1 ? items[0] : new Sequence(items, '\0', '\0');
    }

    // ---------- grammar: list → relation → union → sum → term → unary → power → postfix → atom ----------

    List<Expr>? ParseList()
    {
        var items = new List<Expr>(1);
        while (true)
        {
            var item = ParseRelation();
            if (item is null) return null;
            items.Add(item);
            SkipSpace();
            bool comma = TryChar(',') || TryChar(';');
            if (!TryConjunction() && !comma) return items;
        }
    }

    Expr? ParseRelation()
    {
        var first = ParseUnion();
        if (first is null) return null;
        List<Expr>? operands = null;
        List<RelationOp>? ops = null;
        while (TryRelationOp(out var op))
        {
            var next = ParseUnion();
            if (next is null) return null;
            operands ??= [first];
            ops ??= [];
            operands.Add(next);
            ops.Add(op);
        }
        return operands is null ? first : new Relation(operands, ops!);
    }

    Expr? ParseUnion()
    {
        var first = ParseSum();
        if (first is null) return null;
        List<Expr>? items = null;
        while (TryCommand("cup"))
        {
            var next = ParseSum();
            if (next is null) return null;
            (items ??= [first]).Add(next);
        }
        return items is null ? first : new Union(items);
    }

    Expr? ParseSum()
    {
        Enter();
        SkipSpace();
        Expr? left;
        if (TryChar('-')) left = Negate(ParseTerm());
        else if (TryChar('+')) left = ParseTerm();
        else if (TryCommand("pm") || TryCommand("mp")) left = Wrap(ParseTerm(), t => new PlusMinus(null, t));
        else left = ParseTerm();
        int terms = 0;
        while (left is not null)
        {
            ChainLink(ref terms);
            SkipSpace();
            if (TryChar('+')) left = Combine(BinaryOp.Add, left, ParseTerm());
            else if (Peek() == '-' && PeekAt(1) != '>') { p++; left = Combine(BinaryOp.Sub, left, ParseTerm()); }
            else if (TryCommand("pm") || TryCommand("mp")) { var l = left; left = Wrap(ParseTerm(), r => new PlusMinus(l, r)); }
            else break;
        }
        Leave();
        return left;
    }

    Expr? ParseTerm()
    {
        var left = ParseUnary();
        int factors = 0;
        while (left is not null)
        {
            ChainLink(ref factors);
            SkipSpace();
            if (TryChar('*') || TryCommand("cdot") || TryCommand("times") || TryCommand("ast")) left = Combine(BinaryOp.Mul, left, ParseUnary());
            else if (TryChar('/') || TryCommand("div")) left = Combine(BinaryOp.Div, left, ParseUnary());
            else if (StartsOperand()) left = ImplicitProduct(left, ParsePower());
            else break;
        }
        return left;
    }

    /// <summary>Juxtaposition multiplies, except an integer followed by an integer fraction, which is a mixed number.</summary>
    static Expr? ImplicitProduct(Expr left, Expr? right)
    {
        if (right is null) return null;
        if (right is Text or Binary(BinaryOp.Pow, Text, _) && left is not Text) return left; // a unit word the normaliser left: 5\text{ cm}
        if (left is Num { DecimalPlaces: < 0, Value.IsInteger: true } whole && right is Binary(BinaryOp.Div, Num { Value.IsInteger: true }, Num { Value.IsInteger: true }) frac)
            return new Binary(whole.Value.Sign < 0 ? BinaryOp.Sub : BinaryOp.Add, whole, frac);
        return new Binary(BinaryOp.Mul, left, right);
    }

    Expr? ParseUnary()
    {
        SkipSpace();
        if (TryChar('-')) { Enter(); var e = Negate(ParseUnary()); Leave(); return e; }
        if (TryChar('+')) { Enter(); var e = ParseUnary(); Leave(); return e; }
        return ParsePower();
    }

    Expr? ParsePower()
    {
        var b = ParsePostfix();
        if (b is null) return null;
        SkipSpace();
        if (!TryChar('^')) return b;
        if (TryDegreeMark()) return b;
        if (TryPrimeMark()) return b is Variable v ? new Variable(v.Name + "'") : b;
        Enter();
        var exponent = ParsePowerArgument();
        Leave();
        return exponent is null ? null : ParsePostfixOn(new Binary(BinaryOp.Pow, b, exponent));
    }

    Expr? ParsePowerArgument()
    {
        SkipSpace();
        if (TryChar('-')) { Enter(); var e = Negate(ParsePowerArgument()); Leave(); return e; }
        if (TryChar('+')) return ParsePowerArgument();
        return ParsePower(); // right-associative: 2^3^2 = 2^(3^2)
    }

    Expr? ParsePostfix()
    {
        var atom = ParseAtom();
        return atom is null ? null : ParsePostfixOn(atom);
    }

    Expr ParsePostfixOn(Expr e)
    {
        int operators = 0;
        while (true)
        {
            ChainLink(ref operators);
            SkipSpace();
            if (Peek() == '!' && PeekAt(1) != '=') { p++; e = new Factorial(e); }
            else if (TryChar('%') || TryCommand("%")) e = new Percent(e);
            else if (TryCommand("circ")) { }
            else if (Peek() == '^' && IsDegreeMarkAt(p + 1)) { p++; TryDegreeMark(); }
            else return e;
        }
    }

    Expr? ParseAtom()
    {
        Enter();
        budget.Step();
        SkipSpace();
        var e = ParseAtomCore();
        Leave();
        return e;
    }

    Expr? ParseAtomCore()
    {
        if (p >= s.Length) return null;
        char c = s[p];
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(PeekAt(1)))) return ParseNumber();
        if (char.IsAsciiLetter(c)) return ParseWord();
        switch (c)
        {
            case '(': case '[': p++; return ParseBracketed(c);
            case '{': p++; return ParseBraceGroup();
            case '|':
                if (absDepth > 0) return null; // inside |…| a bar closes
                p++; absDepth++;
                var inner = ParseSum();
                absDepth--;
                return inner is not null && TryChar('|') ? new Call(Function.Abs, inner) : null;
            case '\\': return ParseCommand();
            case '∞': p++; return new Constant(ConstantKind.Infinity);
            case 'π': p++; return new Constant(ConstantKind.Pi);
            case '√': p++; return Wrap(ParseArgument(), Sqrt);
            case '∅': p++; return new SetOf([]);
            default: return null;
        }
    }

    Expr? ParseNumber()
    {
        int start = p;
        while (p < s.Length && char.IsAsciiDigit(s[p])) p++;
        int places = -1;
        if (p < s.Length && s[p] == '.' && (p + 1 >= s.Length || s[p + 1] != '.'))
        {
            p++;
            int fracStart = p;
            while (p < s.Length && char.IsAsciiDigit(s[p])) p++;
            places = p - fracStart;
        }
        int mantissaEnd = p;
        int exponent = 0;
        if (p + 1 < s.Length && (s[p] == 'e' || s[p] == 'E') && StartsExponent(p + 1))
        {
            int q = p + 1;
            bool negative = s[q] == '-';
            if (s[q] == '-' || s[q] == '+') q++;
            int expStart = q;
            while (q < s.Length && char.IsAsciiDigit(s[q])) q++;
            if (q - expStart > 6) { budget.CheckBits(long.MaxValue); }
            exponent = int.Parse(s.AsSpan(expStart, q - expStart)) * (negative ? -1 : 1);
            p = q;
        }
        if (places < 0 && exponent == 0 && TryBaseSubscript(start, mantissaEnd) is { } based) return based;
        var value = ParseDecimal(s.AsSpan(start, mantissaEnd - start), places);
        if (exponent != 0)
        {
            budget.CheckBits(Math.Abs((long)exponent) * 4);
            var scale = BigInteger.Pow(10, Math.Abs(exponent));
            value = exponent > 0 ? value * new Rational(scale) : value / new Rational(scale);
        }
        return new Num(value, places, exponent);
    }

    /// <summary>digits_b or digits_{b} with 2 ≤ b ≤ 10 and every digit below b: a number in base b.</summary>
    BaseNumber? TryBaseSubscript(int start, int end)
    {
        if (Peek() != '_') return null;
        int save = p;
        var sub = TryReadSubscript();
        if (sub is null || !int.TryParse(sub, out int b) || b < 2 || b > 10 || end - start > 256) { p = save; return null; }
        var digits = s.AsSpan(start, end - start);
        var value = BigInteger.Zero;
        foreach (var d in digits)
        {
            if (d - '0' >= b) { p = save; return null; }
            value = value * b + (d - '0');
        }
        return new BaseNumber(digits.TrimStart('0').ToString() is { Length: > 0 } t ? t : "0", b, new Rational(value));
    }

    bool StartsExponent(int q)
    {
        if (q < s.Length && (s[q] == '-' || s[q] == '+')) q++;
        return q < s.Length && char.IsAsciiDigit(s[q]);
    }

    static Rational ParseDecimal(ReadOnlySpan<char> text, int places)
    {
        Span<char> digits = stackalloc char[Math.Min(text.Length, 256)];
        BigInteger integer;
        if (places < 0) integer = ParseInteger(text);
        else if (text.Length <= digits.Length)
        {
            int n = 0;
            foreach (var ch in text) if (ch != '.') digits[n++] = ch;
            integer = n == 0 ? BigInteger.Zero : ParseInteger(digits[..n]);
        }
        else integer = ParseInteger(text.ToString().Replace(".", ""));
        return places <= 0 ? new Rational(integer) : new Rational(integer, BigInteger.Pow(10, places));
    }

    static BigInteger ParseInteger(ReadOnlySpan<char> digits) =>
        digits.Length <= 18 ? new BigInteger(long.Parse(digits)) : BigInteger.Parse(digits);

    /// <summary>A run of letters: a function word (sin, sqrt), a constant (pi, e, i, inf) or a single-letter variable.</summary>
    Expr? ParseWord()
    {
        int start = p;
        int end = p;
        while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
        var word = s.AsSpan(start, end - start);
        if (word.Length > 1)
        {
            if (CommandTable.TryFunction(word, out var fn)) { p = end; return ParseFunction(fn); }
            if (word is "sqrt") { p = end; return Wrap(ParseFunctionOperand(), Sqrt); }
            if (word is "pi") { p = end; return new Constant(ConstantKind.Pi); }
            if (word is "inf" or "infty" or "infinity" or "oo") { p = end; return new Constant(ConstantKind.Infinity); }
        }
        p = start + 1;
        return ParseLetter(s[start]);
    }

    Expr ParseLetter(char letter)
    {
        var sub = TryReadSubscript();
        if (Peek() == '\'')
        {
            int start = p;
            while (Peek() == '\'') p++;
            return new Variable(string.Concat(SingleLetter(letter), sub is null ? "" : "_" + sub, s.AsSpan(start, p - start)));
        }
        if (sub is null)
        {
            if (letter == 'e') return new Constant(ConstantKind.E);
            if (letter == 'i') return new Constant(ConstantKind.I);
            return new Variable(SingleLetter(letter));
        }
        return new Variable(string.Concat(SingleLetter(letter), "_", sub));
    }

    static readonly string[] Letters = Enumerable.Range(0, 128).Select(i => ((char)i).ToString()).ToArray();
    static string SingleLetter(char c) => c < 128 ? Letters[c] : c.ToString();

    /// <summary>_1, _{n}, _{12} → "1", "n", "12" (spaces and braces dropped); null when there is no subscript.</summary>
    string? TryReadSubscript()
    {
        if (Peek() != '_') return null;
        int q = p + 1;
        if (q < s.Length && s[q] == '{')
        {
            int close = FindClosingBrace(q);
            if (close < 0) return null;
            p = close + 1;
            return s.AsSpan(q + 1, close - q - 1).ToString().Replace(" ", "").Replace("{", "").Replace("}", "");
        }
        if (q < s.Length && char.IsAsciiLetterOrDigit(s[q])) { p = q + 1; return SingleLetter(s[q]); }
        return null;
    }

    int FindClosingBrace(int open)
    {
        int level = 0;
        for (int q = open; q < s.Length; q++)
        {
            if (s[q] == '\\') { q++; continue; }
            if (s[q] == '{') level++;
            else if (s[q] == '}' && --level == 0) return q;
        }
        return -1;
    }

    /// <summary>(…) or […] after the opening bracket: a group when it holds one item, else a tuple/interval whose
    /// closing bracket may differ from the opening one.</summary>
    Expr? ParseBracketed(char open)
    {
        int saveAbs = absDepth;
        absDepth = 0;
        var items = ParseList();
        absDepth = saveAbs;
        SkipSpace();
        if (items is null || p >= s.Length) return null;
        char close = s[p];
        if (close != ')' && close != ']') return null;
        p++;
        if (items.Count == 1 && !(items[0] is Constant { Kind: ConstantKind.Infinity }))
            return (open == '(') == (close == ')') ? items[0] : null;
        return new Sequence(items, open, close);
    }

    Expr? ParseBraceGroup()
    {
        int saveAbs = absDepth;
        absDepth = 0;
        var items = ParseList();
        absDepth = saveAbs;
        if (items is null || !TryChar('}')) return null;
        return items.Count == 1 ? items[0] : new Sequence(items, '\0', '\0');
    }

    /// <summary>The argument of \frac, \sqrt, \binom: a braced group, or a single digit/letter/command (\frac12).</summary>
    Expr? ParseArgument()
    {
        SkipSpace();
        if (p >= s.Length) return null;
        char c = s[p];
        if (c == '{') { Enter(); p++; var e = ParseBraceGroup(); Leave(); return e; }
        if (char.IsAsciiDigit(c)) { p++; return Num.Of(c - '0'); }
        if (char.IsAsciiLetter(c)) { p++; return ParseLetter(c); }
        if (c == '\\') return ParseAtom();
        return null;
    }

    /// <summary>Operand of a function written without parentheses: a product of powers (\sin 2x), stopping at the
    /// next function so \sin x \cos x is a product of two calls.</summary>
    Expr? ParseFunctionOperand()
    {
        SkipSpace();
        if (Peek() == '(' ) return ParsePostfix();
        Expr? arg;
        if (TryChar('-')) arg = Negate(ParsePower());
        else arg = ParsePower();
        while (arg is not null)
        {
            SkipSpace();
            if (!StartsOperand() || StartsFunction()) break;
            var next = ParsePower();
            if (next is null) return null;
            arg = new Binary(BinaryOp.Mul, arg, next);
        }
        return arg;
    }

    static Expr Sqrt(Expr x) => new Binary(BinaryOp.Pow, x, new Num(new Rational(1, 2)));

    static Expr? Negate(Expr? e) => e switch
    {
        null => null,
        Num n when n.DecimalPlaces >= 0 || n.Value.Sign >= 0 => n with { Value = -n.Value },
        _ => new Neg(e),
    };

    static Expr? Combine(BinaryOp op, Expr left, Expr? right) => right is null ? null : new Binary(op, left, right);

    static Expr? Wrap(Expr? e, Func<Expr, Expr> wrap) => e is null ? null : wrap(e);

    /// <summary>A loop that chains operands (1+2+3…, 5!!!) builds a tree deeper than the recursion that parsed it;
    /// charge the depth guard for it so the evaluator and comparer never recurse past the stack.</summary>
    void ChainLink(ref int links)
    {
        budget.Step();
        budget.CheckDepth(depth + (++links >> ChainDepthShift));
    }

    const int ChainDepthShift = 2; // four chained operands count as one level, matching the evaluator's depth factor

    void Enter() => budget.CheckDepth(++depth);
    void Leave() => depth--;
}
