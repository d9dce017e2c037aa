// A matrix answer given as a sum, difference or product of matrices (or a scalar multiple) is folded into the one
// matrix it denotes, entry by entry, so "\begin{pmatrix}1&2\\3&4\end{pmatrix} + \begin{pmatrix}5&6\\7&8\end{pmatrix}"
// equals the matrix of 6, 8, 10, 12. Entries stay expressions; the comparison evaluates them.
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal static class MatrixArithmetic
{
    const int MaxEntries = 4096;

    /// <summary>The matrix <paramref name="e"/> denotes, or null when it is not arithmetic on matrices (or the
    /// shapes do not fit).</summary>
    public static Matrix? Fold(Expr e) => e switch
    {
        Matrix m => m,
        Neg n => Fold(n.Operand) is { } m ? Map(m, x => new Neg(x)) : null,
        Binary { Op: BinaryOp.Add or BinaryOp.Sub } b => Fold(b.Left) is { } l && Fold(b.Right) is { } r ? Entrywise(b.Op, l, r) : null,
        Binary { Op: BinaryOp.Mul } b => Product(b.Left, b.Right),
        _ => null,
    };

    static Matrix? Product(Expr left, Expr right)
    {
        Matrix? l = Fold(left), r = Fold(right);
        if (l is not null && r is not null) return MatrixProduct(l, r);
        if (l is not null && !HasMatrix(right)) return Map(l, x => new Binary(BinaryOp.Mul, x, right));
        if (r is not null && !HasMatrix(left)) return Map(r, x => new Binary(BinaryOp.Mul, left, x));
        return null;
    }

    static Matrix? Entrywise(BinaryOp op, Matrix l, Matrix r)
    {
        if (l.Rows.Count != r.Rows.Count || l.Rows[0].Count != r.Rows[0].Count) return null;
        return new Matrix([.. l.Rows.Select((row, i) => (IReadOnlyList<Expr>)[.. row.Select((x, j) => (Expr)new Binary(op, x, r.Rows[i][j]))])]);
    }

    static Matrix? MatrixProduct(Matrix l, Matrix r)
    {
        int n = l.Rows.Count, inner = l.Rows[0].Count, m = r.Rows[0].Count;
        if (inner != r.Rows.Count || (long)n * m * inner > MaxEntries) return null;
        var rows = new List<IReadOnlyList<Expr>>(n);
        for (int i = 0; i < n; i++)
        {
            var row = new List<Expr>(m);
            for (int j = 0; j < m; j++)
            {
                Expr sum = new Binary(BinaryOp.Mul, l.Rows[i][0], r.Rows[0][j]);
                for (int k = 1; k < inner; k++) sum = new Binary(BinaryOp.Add, sum, new Binary(BinaryOp.Mul, l.Rows[i][k], r.Rows[k][j]));
                row.Add(sum);
            }
            rows.Add(row);
        }
        return new Matrix(rows);
    }

    static Matrix Map(Matrix m, Func<Expr, Expr> f) => new([.. m.Rows.Select(row => (IReadOnlyList<Expr>)[.. row.Select(f)])]);

    static bool HasMatrix(Expr e) => e switch
    {
        Matrix => true,
        Neg n => HasMatrix(n.Operand),
        Binary b => HasMatrix(b.Left) || HasMatrix(b.Right),
        _ => false,
    };
}
