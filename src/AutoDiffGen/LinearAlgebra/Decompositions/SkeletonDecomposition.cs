using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics.Tensors;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// A skeleton (cross, CUR-type) low-rank approximation A ~= C Ahat^-1 R of an m x n matrix, built at
/// construction. In the cross form C = A[:, J] holds r chosen columns, R = A[I, :] r chosen rows and
/// Ahat = A[I, J] their r x r intersection; the indices are chosen greedily by complete pivoting
/// (at each step the entry of largest magnitude in the current residual, as in Gaussian elimination
/// with complete pivoting, GETC2), so the approximation is exact (to rounding) when rank(A) &lt;= r.
/// <see cref="FromTruncatedSvd"/> gives the optimal rank-r form U_r Sigma_r V_r^T in the same shape.
/// </summary>
/// <remarks>
/// There is no single LAPACK routine for this; the selection is that of GETC2 stopped after r steps,
/// and the core inverse is applied through the pseudo-inverse of <see cref="SingularValueDecomposition"/>.
/// </remarks>
public sealed class SkeletonDecomposition
{
    private readonly int[] _rowIndices;
    private readonly int[] _columnIndices;
    private readonly Matrix _c;
    private readonly Matrix _r;
    private readonly Matrix _ahat;
    private readonly Matrix _middle;

    /// <summary>
    /// Builds the cross approximation of <paramref name="a"/> with at most <paramref name="rank"/> rows and columns.
    /// </summary>
    /// <param name="a">The m x n matrix (not modified).</param>
    /// <param name="rank">Requested rank r, 0 &lt;= r &lt;= min(m, n).</param>
    /// <param name="tolerance">Selection stops early, giving a smaller <see cref="Rank"/>, when the largest
    /// residual entry is at or below this value. Null uses max(m, n) * eps * max|a_ij| (eps = 2^-52), so an
    /// exactly rank-deficient matrix yields its rank.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> contains NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is negative or larger than
    /// min(m, n) (the message names the shape), or <paramref name="tolerance"/> is negative or NaN.</exception>
    public SkeletonDecomposition(Matrix a, int rank, double? tolerance = null)
    {
        CheckArguments(a, rank);
        double maxAbs = SpectralKernels.MaxAbs(a.Data);
        double tol = tolerance ?? Math.Max(a.Rows, a.Columns) * SpectralKernels.Epsilon * maxAbs;
        if (!(tol >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tol, "The tolerance must be a non-negative number.");
        }

        int m = a.Rows, n = a.Columns;
        Rows = m;
        Columns = n;
        IsCross = true;

        var rows = new List<int>(rank);
        var cols = new List<int>(rank);
        if (rank > 0)
        {
            // Residual E = A - (cross approximation so far); each step removes one rank-1 term.
            double[] e = a.Data.ToArray();
            double[] pivotRow = new double[n];
            for (int step = 0; step < rank; step++)
            {
                int at = TensorPrimitives.IndexOfMaxMagnitude<double>(e);
                double pivot = e[at];
                if (!(Math.Abs(pivot) > tol))
                {
                    break;
                }

                int pi = at / n, pj = at % n;
                rows.Add(pi);
                cols.Add(pj);
                e.AsSpan(pi * n, n).CopyTo(pivotRow);
                for (int i = 0; i < m; i++)
                {
                    double f = e[(i * n) + pj];
                    if (f != 0.0)
                    {
                        SpectralKernels.Axpy(-f / pivot, pivotRow, e.AsSpan(i * n, n));
                    }
                }

                // Clear the pivot cross exactly so it is never picked again through rounding residue.
                e.AsSpan(pi * n, n).Clear();
                for (int i = 0; i < m; i++)
                {
                    e[(i * n) + pj] = 0.0;
                }
            }
        }

        int r = rows.Count;
        _rowIndices = rows.ToArray();
        _columnIndices = cols.ToArray();
        _c = new Matrix(m, r);
        _r = new Matrix(r, n);
        _ahat = new Matrix(r, r);
        for (int t = 0; t < r; t++)
        {
            a.Row(_rowIndices[t]).CopyTo(_r.Row(t));
            for (int i = 0; i < m; i++)
            {
                _c[i, t] = a[i, _columnIndices[t]];
            }

            for (int s = 0; s < r; s++)
            {
                _ahat[t, s] = a[_rowIndices[t], _columnIndices[s]];
            }
        }

        _middle = new SingularValueDecomposition(_ahat).PseudoInverse();
    }

    private SkeletonDecomposition(int m, int n, Matrix c, Matrix middle, Matrix r, Matrix ahat)
    {
        Rows = m;
        Columns = n;
        IsCross = false;
        _rowIndices = [];
        _columnIndices = [];
        _c = c;
        _middle = middle;
        _r = r;
        _ahat = ahat;
    }

    /// <summary>
    /// The truncated-SVD form A ~= U_r Sigma_r V_r^T, the best rank-r approximation in the 2- and Frobenius
    /// norms (Eckart-Young). In this form <see cref="C"/> = U_r (m x r), <see cref="Middle"/> = Sigma_r,
    /// <see cref="R"/> = V_r^T (r x n) and <see cref="Ahat"/> = Sigma_r^-1, so the same formula
    /// C Ahat^-1 R holds; <see cref="RowIndices"/> and <see cref="ColumnIndices"/> are empty.
    /// </summary>
    /// <param name="a">The m x n matrix.</param>
    /// <param name="rank">Requested rank, 0 &lt;= r &lt;= min(m, n). Singular values at or below the
    /// <see cref="SingularValueDecomposition.DefaultTolerance"/> are dropped, so <see cref="Rank"/> may be smaller.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> contains NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is out of range.</exception>
    public static SkeletonDecomposition FromTruncatedSvd(Matrix a, int rank)
    {
        CheckArguments(a, rank);
        var svd = new SingularValueDecomposition(a);
        int r = Math.Min(rank, svd.Rank());
        int m = a.Rows, n = a.Columns, k = svd.SingularValues.Length;
        Matrix u = svd.U, v = svd.V;
        var c = new Matrix(m, r);
        var rt = new Matrix(r, n);
        var middle = new Matrix(r, r);
        var ahat = new Matrix(r, r);
        for (int t = 0; t < r; t++)
        {
            double s = svd.SingularValues[t];
            middle[t, t] = s;
            ahat[t, t] = 1.0 / s;
            for (int i = 0; i < m; i++)
            {
                c[i, t] = u.Data[(i * k) + t];
            }

            for (int j = 0; j < n; j++)
            {
                rt[t, j] = v.Data[(j * k) + t];
            }
        }

        return new SkeletonDecomposition(m, n, c, middle, rt, ahat);
    }

    /// <summary>Rows m of the approximated matrix.</summary>
    public int Rows { get; }

    /// <summary>Columns n of the approximated matrix.</summary>
    public int Columns { get; }

    /// <summary>The rank r actually used (at most the requested rank).</summary>
    public int Rank => _middle.Rows;

    /// <summary>True for the cross form (chosen rows and columns), false for the truncated-SVD form.</summary>
    public bool IsCross { get; }

    /// <summary>The chosen row indices I, in selection order (empty for the truncated-SVD form).</summary>
    public IReadOnlyList<int> RowIndices => _rowIndices;

    /// <summary>The chosen column indices J, in selection order (empty for the truncated-SVD form).</summary>
    public IReadOnlyList<int> ColumnIndices => _columnIndices;

    /// <summary>The m x r left factor: A[:, J] (cross form) or U_r (SVD form). Returns a copy.</summary>
    public Matrix C => _c.Clone();

    /// <summary>The r x n right factor: A[I, :] (cross form) or V_r^T (SVD form). Returns a copy.</summary>
    public Matrix R => _r.Clone();

    /// <summary>The r x r core: A[I, J] (cross form) or Sigma_r^-1 (SVD form). Returns a copy.</summary>
    public Matrix Ahat => _ahat.Clone();

    /// <summary>
    /// The r x r matrix placed between <see cref="C"/> and <see cref="R"/>: the (pseudo-)inverse of
    /// <see cref="Ahat"/>, computed by SVD in the cross form; Sigma_r in the SVD form. Returns a copy.
    /// </summary>
    public Matrix Middle => _middle.Clone();

    /// <summary>The m x n approximation C Ahat^-1 R = C Middle R.</summary>
    public Matrix Reconstruct()
        => Rank == 0 ? new Matrix(Rows, Columns) : SpectralKernels.Multiply(SpectralKernels.Multiply(_c, _middle), _r);

    private static void CheckArguments(Matrix a, int rank)
    {
        ArgumentNullException.ThrowIfNull(a);
        Guard.Finite(a.Data, nameof(a));
        int max = Math.Min(a.Rows, a.Columns);
        if (rank < 0 || rank > max)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rank),
                rank,
                string.Create(CultureInfo.InvariantCulture, $"The rank must be in [0, {max}] for a {a.ShapeText} matrix."));
        }
    }
}
