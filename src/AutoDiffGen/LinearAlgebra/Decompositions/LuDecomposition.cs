using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// LU factorisation with partial (row) pivoting, P A = L U, computed once at construction
/// (LAPACK GETRF). L is unit lower triangular, U upper triangular, P a row permutation.
/// </summary>
/// <remarks>
/// <para>The factorisation is blocked and right-looking: a recursively factored panel of
/// columns, a triangular solve for the block row of U, and a packed matrix-product update
/// of the trailing matrix, which carries almost all of the 2n^3/3 flops.</para>
/// <para>An exactly singular matrix (a pivot column that is entirely zero) is still factored,
/// as GETRF does: <see cref="IsSingular"/> is true, <see cref="Determinant"/> is 0, and
/// <see cref="Solve(ReadOnlySpan{double}, Span{double})"/>, <see cref="Solve(Matrix)"/> and
/// <see cref="Inverse"/> throw <see cref="SingularMatrixException"/> naming the first zero pivot.
/// A matrix that is singular only numerically (tiny but non-zero pivots) is not detected; its
/// solutions are then dominated by rounding error.</para>
/// <para>The input must be finite: NaN or infinity is rejected at construction, so no NaN can
/// reach the results.</para>
/// </remarks>
public sealed class LuDecomposition
{
    // Block width of the right-looking outer loop: the trailing product has depth Nb.
    private const int Nb = 128;

    // Panels this narrow are factored column by column; wider ones are split in two.
    private const int PanelLeaf = 8;

    private readonly double[] _lu;
    private readonly int[] _pivots;
    private int _firstZeroPivot;

    /// <summary>Factors the square matrix <paramref name="a"/> (which is not modified).</summary>
    /// <param name="a">An n x n matrix with finite entries; 0 x 0 is allowed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square (the message names its shape),
    /// or contains NaN or infinity.</exception>
    public LuDecomposition(Matrix a)
    {
        Guard.Square(a, nameof(a));
        DecompositionGuard.Finite(a, lowerTriangleOnly: false, nameof(a));
        Order = a.Rows;
        _lu = a.Data.ToArray();
        _pivots = new int[Order];
        _firstZeroPivot = -1;
        Factor();
    }

    /// <summary>The order n of the factored matrix.</summary>
    public int Order { get; }

    /// <summary>True when some pivot (diagonal entry of U) is exactly zero, so the matrix is singular.</summary>
    public bool IsSingular => _firstZeroPivot >= 0;

    /// <summary>
    /// Row interchanges in LAPACK's IPIV form but zero-based: during step i, row i was swapped with row
    /// <c>Pivots[i]</c> (&gt;= i). Applying the swaps for i = 0, 1, ..., n-1 to A gives P A.
    /// </summary>
    public IReadOnlyList<int> Pivots => new ReadOnlyCollection<int>(_pivots);

    /// <summary>
    /// The permutation as a row map: row i of P A is row <c>Permutation[i]</c> of A. A new array on each call.
    /// </summary>
    public int[] Permutation
    {
        get
        {
            var perm = new int[Order];
            for (int i = 0; i < perm.Length; i++)
            {
                perm[i] = i;
            }

            for (int i = 0; i < perm.Length; i++)
            {
                (perm[i], perm[_pivots[i]]) = (perm[_pivots[i]], perm[i]);
            }

            return perm;
        }
    }

    /// <summary>The unit lower-triangular factor L (n x n), a new matrix on each call.</summary>
    public Matrix L
    {
        get
        {
            int n = Order;
            var l = new Matrix(n, n);
            var d = l.Data;
            for (int i = 0; i < n; i++)
            {
                _lu.AsSpan(i * n, i).CopyTo(d.Slice(i * n, i));
                d[(i * n) + i] = 1.0;
            }

            return l;
        }
    }

    /// <summary>The upper-triangular factor U (n x n), a new matrix on each call.</summary>
    public Matrix U
    {
        get
        {
            int n = Order;
            var u = new Matrix(n, n);
            var d = u.Data;
            for (int i = 0; i < n; i++)
            {
                _lu.AsSpan((i * n) + i, n - i).CopyTo(d.Slice((i * n) + i, n - i));
            }

            return u;
        }
    }

    /// <summary>The permutation matrix P with P A = L U (n x n), a new matrix on each call.</summary>
    public Matrix P
    {
        get
        {
            int n = Order;
            var p = new Matrix(n, n);
            int[] perm = Permutation;
            for (int i = 0; i < n; i++)
            {
                p[i, perm[i]] = 1.0;
            }

            return p;
        }
    }

    /// <summary>
    /// det(A) = sign(P) * prod U[i, i]. Exactly 0 for a singular matrix (no exception); 1 for 0 x 0.
    /// The product may overflow to infinity or underflow to 0 for large n; use
    /// <see cref="LogAbsDeterminant"/> and <see cref="DeterminantSign"/> then.
    /// </summary>
    public double Determinant
    {
        get
        {
            int n = Order;
            double det = DeterminantSignFromPivots();
            for (int i = 0; i < n; i++)
            {
                det *= _lu[(i * n) + i];
            }

            return det;
        }
    }

    /// <summary>log |det(A)| = sum log |U[i, i]|, without overflow; negative infinity for a singular matrix, 0 for 0 x 0.</summary>
    public double LogAbsDeterminant
    {
        get
        {
            int n = Order;
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                sum += Math.Log(Math.Abs(_lu[(i * n) + i]));
            }

            return sum;
        }
    }

    /// <summary>The sign of det(A): +1, -1, or 0 when the matrix is singular; so det(A) = DeterminantSign * exp(LogAbsDeterminant).</summary>
    public int DeterminantSign
    {
        get
        {
            if (IsSingular)
            {
                return 0;
            }

            int n = Order;
            double sign = DeterminantSignFromPivots();
            for (int i = 0; i < n; i++)
            {
                if (_lu[(i * n) + i] < 0)
                {
                    sign = -sign;
                }
            }

            return sign > 0 ? 1 : -1;
        }
    }

    /// <summary>Solves A x = b (GETRS) for one right-hand side. The right-hand side is not checked: NaN or infinity in it propagates into the solution.</summary>
    /// <param name="b">The right-hand side, length n.</param>
    /// <param name="x">Receives the solution, length n; it may be the same memory as <paramref name="b"/>.</param>
    /// <exception cref="ArgumentException">A length is not n (the message names both).</exception>
    /// <exception cref="SingularMatrixException">The matrix is exactly singular; <see cref="SingularMatrixException.Pivot"/> is the first zero pivot.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        int n = Order;
        Guard.Length(n, b.Length, $"the right-hand side of a {n} x {n} system", nameof(b));
        Guard.Length(n, x.Length, $"the solution of a {n} x {n} system", nameof(x));
        ThrowIfSingular();
        b.CopyTo(x);
        for (int i = 0; i < n; i++)
        {
            int p = _pivots[i];
            if (p != i)
            {
                (x[i], x[p]) = (x[p], x[i]);
            }
        }

        ReadOnlySpan<double> lu = _lu;

        // Forward substitution with unit L: row i of L against the solved prefix.
        for (int i = 1; i < n; i++)
        {
            x[i] -= TensorPrimitives.Dot(lu.Slice(i * n, i), x[..i]);
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i] - TensorPrimitives.Dot(lu.Slice((i * n) + i + 1, n - i - 1), x[(i + 1)..]);
            x[i] = s / lu[(i * n) + i];
        }
    }

    /// <summary>Solves A X = B for a matrix of right-hand sides (GETRS). The right-hand side is not checked: NaN or infinity in it propagates into the solution.</summary>
    /// <param name="b">An n x k matrix; it is not modified.</param>
    /// <returns>The n x k solution X.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows (the message names both shapes).</exception>
    /// <exception cref="SingularMatrixException">The matrix is exactly singular.</exception>
    public Matrix Solve(Matrix b)
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = Order;
        if (b.Rows != n)
        {
            throw new ArgumentException($"Shape mismatch: A is {n} x {n} but B is {b.ShapeText}; B needs {n} rows.", nameof(b));
        }

        ThrowIfSingular();
        var x = b.Clone();
        SolveInPlace(x);
        return x;
    }

    /// <summary>The inverse A^-1 (GETRS against the identity), a new n x n matrix.</summary>
    /// <exception cref="SingularMatrixException">The matrix is exactly singular.</exception>
    public Matrix Inverse()
    {
        ThrowIfSingular();
        var x = Matrix.Identity(Order);
        SolveInPlace(x);
        return x;
    }

    private double DeterminantSignFromPivots()
    {
        double sign = 1.0;
        for (int i = 0; i < _pivots.Length; i++)
        {
            if (_pivots[i] != i)
            {
                sign = -sign;
            }
        }

        return sign;
    }

    private void ThrowIfSingular()
    {
        if (_firstZeroPivot >= 0)
        {
            throw new SingularMatrixException(_firstZeroPivot);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void SolveInPlace(Matrix x)
    {
        int n = Order, k = x.Columns;
        if (n == 0 || k == 0)
        {
            return;
        }

        fixed (double* px = x.Data)
        fixed (double* plu = _lu)
        {
            for (int i = 0; i < n; i++)
            {
                if (_pivots[i] != i)
                {
                    BlockKernels.SwapRows(px + (i * k), px + (_pivots[i] * k), k);
                }
            }

            BlockKernels.SolveLower(n, k, plu, n, 1, unitDiagonal: true, px, k);
            BlockKernels.SolveUpper(n, k, plu, n, 1, px, k);
        }
    }

    private unsafe void Factor()
    {
        int n = Order;
        if (n == 0)
        {
            return;
        }

        fixed (double* a = _lu)
        {
            for (int k0 = 0; k0 < n; k0 += Nb)
            {
                int kb = Math.Min(Nb, n - k0);
                FactorPanel(a, k0, kb);
                int rest = n - k0 - kb;
                if (rest > 0)
                {
                    // Block row of U: U12 = L11^-1 A12.
                    BlockKernels.SolveLower(kb, rest, a + (k0 * n) + k0, n, 1, unitDiagonal: true, a + (k0 * n) + k0 + kb, n);

                    // Trailing update A22 -= L21 U12: the O(n^3) part.
                    BlockKernels.SubtractProduct(
                        rest, rest, kb,
                        a + ((k0 + kb) * n) + k0, n, 1,
                        a + (k0 * n) + k0 + kb, n, 1,
                        a + ((k0 + kb) * n) + k0 + kb, n);
                }
            }
        }
    }

    /// <summary>Factors columns c0..c0+w of rows c0..n-1 in place (recursive GETRF2 style), applying each
    /// row interchange to whole rows so that earlier L columns and later columns are permuted too.</summary>
    private unsafe void FactorPanel(double* a, int c0, int w)
    {
        int n = Order;
        if (w <= PanelLeaf)
        {
            FactorPanelColumns(a, c0, w);
            return;
        }

        int h = w / 2;
        FactorPanel(a, c0, h);
        double* a11 = a + (c0 * n) + c0;
        BlockKernels.SolveLower(h, w - h, a11, n, 1, unitDiagonal: true, a11 + h, n);
        BlockKernels.SubtractProduct(
            n - c0 - h, w - h, h,
            a11 + (h * n), n, 1,
            a11 + h, n, 1,
            a11 + (h * n) + h, n);
        FactorPanel(a, c0 + h, w - h);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void FactorPanelColumns(double* a, int c0, int w)
    {
        int n = Order;
        int cEnd = c0 + w;
        for (int j = c0; j < cEnd; j++)
        {
            // Pivot: the first entry of largest magnitude in column j at or below the diagonal (IDAMAX).
            int p = j;
            double best = Math.Abs(a[(j * n) + j]);
            for (int i = j + 1; i < n; i++)
            {
                double v = Math.Abs(a[(i * n) + j]);
                if (v > best)
                {
                    best = v;
                    p = i;
                }
            }

            _pivots[j] = p;
            if (p != j)
            {
                BlockKernels.SwapRows(a + (j * n), a + (p * n), n);
            }

            double pivot = a[(j * n) + j];
            if (pivot == 0.0)
            {
                // The whole column below is zero: nothing to eliminate; remember the first such step.
                if (_firstZeroPivot < 0)
                {
                    _firstZeroPivot = j;
                }

                continue;
            }

            double* rowJ = a + (j * n);
            int tail = cEnd - j - 1;
            for (int i = j + 1; i < n; i++)
            {
                double* rowI = a + (i * n);
                double l = rowI[j] / pivot;
                rowI[j] = l;
                for (int t = 1; t <= tail; t++)
                {
                    rowI[j + t] -= l * rowJ[j + t];
                }
            }
        }
    }
}
