// Character-level helpers of the parser: whitespace and spacing commands, single characters, commands, relations.
namespace Ispo.MathVerify.Parsing;

internal sealed partial class ExpressionParser
{
    char Peek() => p < s.Length ? s[p] : '\0';
    char PeekAt(int offset) => p + offset < s.Length ? s[p + offset] : '\0';

    /// <summary>Skips whitespace, ~, \, \; \: \! \  and sizing/style commands such as \left and \displaystyle.</summary>
    void SkipSpace()
    {
        while (p < s.Length)
        {
            char c = s[p];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~' || c == '$') { p++; continue; }
            if (c != '\\' || p + 1 >= s.Length) return;
            char n = s[p + 1];
            if (n == ',' || n == ';' || n == ':' || n == '!' || n == ' ' || n == '$') { p += 2; continue; }
            if (!char.IsAsciiLetter(n)) return;
            int end = p + 1;
            while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
            if (!CommandTable.IsIgnorable(s.AsSpan(p + 1, end - p - 1))) return;
            p = end;
            budget.Step();
        }
    }

    bool TryChar(char c)
    {
        SkipSpace();
        if (p < s.Length && s[p] == c) { p++; return true; }
        return false;
    }

    /// <summary>Consumes \name when it is next (a letter name must not continue with another letter).</summary>
    bool TryCommand(string name)
    {
        SkipSpace();
        if (p + 1 + name.Length > s.Length) return false;
        if (s[p] != '\\' || !s.AsSpan(p + 1, name.Length).SequenceEqual(name)) return false;
        int end = p + 1 + name.Length;
        if (char.IsAsciiLetter(name[0]) && end < s.Length && char.IsAsciiLetter(s[end])) return false;
        p = end;
        return true;
    }

    bool TryRelationOp(out RelationOp op)
    {
        SkipSpace();
        op = RelationOp.Eq;
        if (p >= s.Length) return false;
        char c = s[p], n = PeekAt(1);
        switch (c)
        {
            case '=': p += n == '=' ? 2 : 1; op = RelationOp.Eq; return true;
            case '<': p += n == '=' ? 2 : 1; op = n == '=' ? RelationOp.Le : RelationOp.Lt; return true;
            case '>': p += n == '=' ? 2 : 1; op = n == '=' ? RelationOp.Ge : RelationOp.Gt; return true;
            case '!' when n == '=': p += 2; op = RelationOp.Ne; return true;
            case '≤': p++; op = RelationOp.Le; return true;
            case '≥': p++; op = RelationOp.Ge; return true;
            case '≠': p++; op = RelationOp.Ne; return true;
            case '\\':
                int end = p + 1;
                while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
                if (!CommandTable.TryRelation(s.AsSpan(p + 1, end - p - 1), out op)) return false;
                p = end;
                return true;
            default: return false;
        }
    }

    /// <summary>Consumes "and"/"or" (plain or in \text{…}) separating answers: 1 \text{ and } 2, x<1 or x>2.</summary>
    bool TryConjunction()
    {
        SkipSpace();
        int end = ConjunctionEnd();
        if (end < 0) return false;
        p = end;
        return true;
    }

    int ConjunctionEnd()
    {
        if (p >= s.Length) return -1;
        int end = p;
        ReadOnlySpan<char> word;
        if (s[p] == '\\')
        {
            var name = CommandNameAt(p);
            if (!CommandTable.IsTextWrapper(name)) return -1;
            int open = p + 1 + name.Length;
            while (open < s.Length && s[open] == ' ') open++;
            if (open >= s.Length || s[open] != '{') return -1;
            int close = FindClosingBrace(open);
            if (close < 0) return -1;
            word = s.AsSpan(open + 1, close - open - 1).Trim();
            end = close + 1;
        }
        else
        {
            while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
            word = s.AsSpan(p, end - p);
        }
        return word is "and" or "or" ? end : -1;
    }

    /// <summary>Whether the next thing begins an operand, making juxtaposition an implicit multiplication.</summary>
    bool StartsOperand()
    {
        if (p >= s.Length) return false;
        char c = s[p];
        if ((c == 'a' || c == 'o' || c == '\\') && ConjunctionEnd() >= 0) return false;
        if (char.IsAsciiLetterOrDigit(c) || c == '(' || c == '[' || c == '{' || c == 'π' || c == '√' || c == '∞') return true;
        if (c == '|') return absDepth == 0;
        if (c == '.') return char.IsAsciiDigit(PeekAt(1));
        if (c != '\\') return false;
        return CommandTable.StartsOperand(CommandNameAt(p));
    }

    bool StartsFunction()
    {
        if (p >= s.Length) return false;
        if (s[p] == '\\') return CommandTable.TryFunction(CommandNameAt(p), out _) || CommandNameAt(p) is "sqrt";
        int end = p;
        while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
        return end - p > 1 && (CommandTable.TryFunction(s.AsSpan(p, end - p), out _) || s.AsSpan(p, end - p) is "sqrt");
    }

    ReadOnlySpan<char> CommandNameAt(int at)
    {
        int start = at + 1;
        if (start >= s.Length) return default;
        if (!char.IsAsciiLetter(s[start])) return s.AsSpan(start, 1);
        int end = start;
        while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
        return s.AsSpan(start, end - start);
    }

    /// <summary>After '^': \circ or {\circ} (a degree sign the normaliser left behind) is consumed and ignored.</summary>
    bool TryDegreeMark()
    {
        if (!IsDegreeMarkAt(p)) return false;
        SkipSpace();
        if (TryChar('{')) { TryCommand("circ"); TryChar('}'); }
        else TryCommand("circ");
        return true;
    }

    /// <summary>After '^': \prime or {\prime} (y^{\prime} is y').</summary>
    bool TryPrimeMark()
    {
        int save = p;
        SkipSpace();
        bool braced = TryChar('{');
        if (TryCommand("prime") && (!braced || TryChar('}'))) return true;
        p = save;
        return false;
    }

    bool IsDegreeMarkAt(int at)
    {
        while (at < s.Length && s[at] == ' ') at++;
        if (at < s.Length && s[at] == '{') { at++; while (at < s.Length && s[at] == ' ') at++; }
        return string.CompareOrdinal(s, at, "\\circ", 0, 5) == 0;
    }
}
