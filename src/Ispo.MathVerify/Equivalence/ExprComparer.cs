// Structural equivalence of two parsed answers: sets (unordered), tuples/intervals (ordered, brackets must match),
// unions, matrices, relations and text; scalars go to the numeric comparison in ExprComparer.Scalars.cs.
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal sealed partial class ExprComparer(EquivalenceOptions options, VerifyBudget budget)
{
    public bool Equal(Expr gold, Expr pred)
    {
        budget.Step();
        gold = Prepare(gold);
        pred = Prepare(pred);
        switch (gold)
        {
            case BaseNumber number: return BaseNumbersEqual(number, pred);
            case Text text: return pred is Text predText && TextAnswer.Equal(text.Value, predText.Value);
            case SetOf set: return SetEqual(set.Items, pred);
            case Sequence { IsBareList: true } list: return ListEqual(list.Items, pred);
            case Sequence sequence: return pred switch
            {
                Sequence predSequence => BracketsMatch(sequence, predSequence) && Ordered(sequence.Items, predSequence.Items),
                Matrix vector => !options.Strict && sequence.Open is '(' or '[' && VectorItems(vector) is { } items && Ordered(sequence.Items, items),
                _ => false,
            };
            case Union union: return pred is Union or Sequence { IsBareList: true } && Unordered(union.Items, Items(pred));
            case Matrix matrix: return pred switch
            {
                Matrix predMatrix => MatricesEqual(matrix, predMatrix),
                Sequence { Open: '(' or '[' } tuple => !options.Strict && VectorItems(matrix) is { } items && Ordered(items, tuple.Items),
                _ => false,
            };
            case Relation relation: return pred is Relation predRelation ? RelationsEqual(relation, predRelation) : SolvedValue(relation) is { } v && Equal(v, pred);
        }
        return pred switch
        {
            BaseNumber => ScalarsEqual(gold, pred), // a predicted 40_9 means 36, whatever the gold's notation
            Relation p => SolvedValue(p) is { } v && Equal(gold, v),
            SetOf { Items.Count: 1 } p => !options.Strict && Equal(gold, p.Items[0]),
            // a bare list restating one answer in several forms (\boxed{15\frac{39}{40}} or \boxed{\frac{639}{40}})
            Sequence { IsBareList: true } p when gold is not Text => p.Items.All(item => Equal(gold, item)),
            Text or SetOf or Sequence or Union or Matrix => false,
            _ => ScalarsEqual(gold, pred),
        };
    }

    /// <summary>± becomes the set of its sign choices; a one-variable inequality becomes its interval; arithmetic
    /// on matrices becomes the matrix it denotes.</summary>
    static Expr Prepare(Expr e) => e switch
    {
        Binary or Neg when MatrixArithmetic.Fold(e) is { } matrix => matrix,
        Relation r when Intervals.From(r) is { } interval => interval,
        Sequence { IsBareList: true } list when list.Items.Any(PlusMinusExpansion.Contains) =>
            new Sequence(list.Items.SelectMany(PlusMinusExpansion.Alternatives).ToList(), '\0', '\0'),
        SetOf set when set.Items.Any(PlusMinusExpansion.Contains) => new SetOf(set.Items.SelectMany(PlusMinusExpansion.Alternatives).ToList()),
        _ when PlusMinusExpansion.Contains(e) => new SetOf(PlusMinusExpansion.Alternatives(e)),
        _ => e,
    };

    /// <summary>52_8 equals 52_{8} and 052_8; a bare 52 (the base left implicit) also counts, 42 does not.</summary>
    static bool BaseNumbersEqual(BaseNumber gold, Expr pred) => pred switch
    {
        BaseNumber p => p.Base == gold.Base && p.Value == gold.Value,
        Num { DecimalPlaces: < 0, Value.IsInteger: true } p => p.Value.Num.ToString() == gold.Digits,
        _ => false,
    };

    static IReadOnlyList<Expr> Items(Expr e) => e switch { Union u => u.Items, Sequence s => s.Items, SetOf s => s.Items, _ => [e] };

    bool ListEqual(IReadOnlyList<Expr> gold, Expr pred) => pred switch
    {
        Union p => Unordered(gold, p.Items),
        SetOf p => Unordered(gold, p.Items),
        Sequence { IsBareList: true } p => Unordered(gold, p.Items),
        Sequence p => !options.Strict && Unordered(gold, p.Items),
        _ => false,
    };

    bool SetEqual(IReadOnlyList<Expr> gold, Expr pred) => pred switch
    {
        SetOf p => Unordered(gold, p.Items),
        Sequence { IsBareList: true } p => Unordered(gold, p.Items),
        Sequence p => !options.Strict && Unordered(gold, p.Items),
        _ => !options.Strict && gold.Count == 1 && Equal(gold[0], pred),
    };

    bool BracketsMatch(Sequence gold, Sequence pred) =>
        (gold.Open == pred.Open && gold.Close == pred.Close) || (!options.Strict && pred.IsBareList);

    bool Ordered(IReadOnlyList<Expr> gold, IReadOnlyList<Expr> pred)
    {
        if (gold.Count != pred.Count) return false;
        for (int i = 0; i < gold.Count; i++) if (!Equal(gold[i], pred[i])) return false;
        return true;
    }

    /// <summary>Set equality: every gold item has an equal predicted item and vice versa (duplicates collapse).</summary>
    bool Unordered(IReadOnlyList<Expr> gold, IReadOnlyList<Expr> pred)
    {
        if (gold.Count == 0 || pred.Count == 0) return gold.Count == pred.Count;
        return Covers(gold, pred) && Covers(pred, gold);
    }

    bool Covers(IReadOnlyList<Expr> items, IReadOnlyList<Expr> candidates)
    {
        foreach (var item in items)
        {
            bool found = false;
            foreach (var candidate in candidates)
                if (Equal(item, candidate)) { found = true; break; }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>The entries of a one-row or one-column matrix, which lenient mode compares with a tuple.</summary>
    static IReadOnlyList<Expr>? VectorItems(Matrix m) =>
        m.Rows.Count == 1 ? m.Rows[0] : m.Rows.All(r => r.Count == 1) ? m.Rows.Select(r => r[0]).ToList() : null;

    bool MatricesEqual(Matrix gold, Matrix pred)
    {
        if (gold.Rows.Count != pred.Rows.Count) return false;
        for (int r = 0; r < gold.Rows.Count; r++)
            if (!Ordered(gold.Rows[r], pred.Rows[r])) return false;
        return true;
    }
}
