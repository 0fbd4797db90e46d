using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Householder QR factorisation A = Q R of an m x n matrix with m &gt;= n, computed once at
/// construction (LAPACK GEQRF; Q is formed as ORGQR does, and least squares as GELS does).
/// </summary>
/// <remarks>
/// <para>Reflector k is H_k = I - tau_k v_k v_k^T with v_k[k] = 1, chosen as in LAPACK's LARFG so
/// that R[k, k] = -sign(A[k, k]) * norm (so diagonal entries of R may have either sign); when the
/// column below the diagonal is already zero, tau_k = 0, H_k = I and R[k, k] = A[k, k].
/// Q = H_0 H_1 ... H_{n-1}.</para>
/// <para>The factorisation is blocked: a panel of columns is factored reflector by reflector (GEQR2),
/// and the panel's reflectors are then applied to the trailing columns together in the compact
/// form I - V T^T V^T (LARFT + LARFB), whose two products carry most of the 2mn^2 - 2n^3/3 flops.
/// <see cref="Q"/>, <see cref="FullQ"/> and the solves apply the reflectors one at a time.</para>
/// <para>Wide matrices (m &lt; n) are rejected with <see cref="ArgumentException"/>: factor the
/// transpose for an underdetermined system.</para>
/// <para>The input must be finite: NaN or infinity is rejected at construction.</para>
/// </remarks>
public sealed class QrDecomposition
{
    // Panel width of the blocked factorisation: reflectors are applied to the trailing columns
    // Nb at a time through two packed products (48 is two 24-wide micro-panels).
    private const int Nb = 48;

    private readonly double[] _qr;
    private readonly double[] _tau;

    /// <summary>Factors <paramref name="a"/> (not modified).</summary>
    /// <param name="a">An m x n matrix with m &gt;= n and finite entries; empty shapes are allowed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> has fewer rows than columns (the message names its shape),
    /// or contains NaN or infinity.</exception>
    public QrDecomposition(Matrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Rows < a.Columns)
        {
            throw new ArgumentException(
                $"QR needs at least as many rows as columns, but the matrix is {a.ShapeText}; factor its transpose for an underdetermined system.",
                nameof(a));
        }

        DecompositionGuard.Finite(a, lowerTriangleOnly: false, nameof(a));
        Rows = a.Rows;
        Columns = a.Columns;
        _qr = a.Data.ToArray();
        _tau = new double[Columns];
        Factor();
    }

    /// <summary>Number of rows m of the factored matrix.</summary>
    public int Rows { get; }

    /// <summary>Number of columns n of the factored matrix.</summary>
    public int Columns { get; }

    /// <summary>True when no diagonal entry of R is exactly zero (the columns are linearly independent in
    /// exact arithmetic on the computed factor). Numerically dependent columns give tiny but non-zero entries.</summary>
    public bool IsFullRank => FirstZeroDiagonal() < 0;

    /// <summary>The n x n upper-triangular factor R, a new matrix on each call.</summary>
    public Matrix R
    {
        get
        {
            int n = Columns;
            var r = new Matrix(n, n);
            var d = r.Data;
            for (int i = 0; i < n; i++)
            {
                _qr.AsSpan((i * n) + i, n - i).CopyTo(d.Slice((i * n) + i, n - i));
            }

            return r;
        }
    }

    /// <summary>The thin factor Q (m x n) with orthonormal columns, A = Q R; a new matrix on each call.</summary>
    public Matrix Q => FormQ(Columns);

    /// <summary>The full orthogonal factor (m x m), whose first n columns are <see cref="Q"/>; a new matrix on each call.</summary>
    public Matrix FullQ => FormQ(Rows);

    /// <summary>
    /// Least-squares solution of A x = b: minimises ||A x - b||_2 (exact when m = n), via y = Q^T b and R x = y[0..n).
    /// The right-hand side is not checked: NaN or infinity in it propagates into the solution.
    /// </summary>
    /// <param name="b">Length m.</param>
    /// <param name="x">Receives the solution, length n.</param>
    /// <exception cref="ArgumentException">A length does not match (the message names both).</exception>
    /// <exception cref="RankDeficientMatrixException">R has an exactly zero diagonal entry.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        int m = Rows, n = Columns;
        Guard.Length(m, b.Length, $"the right-hand side of a {m} x {n} least-squares problem", nameof(b));
        Guard.Length(n, x.Length, $"the solution of a {m} x {n} least-squares problem", nameof(x));
        ThrowIfRankDeficient();
        double[] workArray = ArrayPool<double>.Shared.Rent(m);
        try
        {
            var y = workArray.AsSpan(0, m);
            b.CopyTo(y);
            for (int k = 0; k < n; k++)
            {
                double tau = _tau[k];
                if (tau == 0.0)
                {
                    continue;
                }

                double w = y[k];
                for (int i = k + 1; i < m; i++)
                {
                    w += _qr[(i * n) + k] * y[i];
                }

                w *= tau;
                y[k] -= w;
                for (int i = k + 1; i < m; i++)
                {
                    y[i] -= _qr[(i * n) + k] * w;
                }
            }

            ReadOnlySpan<double> r = _qr;
            for (int i = n - 1; i >= 0; i--)
            {
                double s = y[i] - TensorPrimitives.Dot(r.Slice((i * n) + i + 1, n - i - 1), x[(i + 1)..]);
                x[i] = s / r[(i * n) + i];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(workArray);
        }
    }

    /// <summary>Least-squares solution X (n x k) of A X = B for an m x k matrix B, column by column in the 2-norm. The right-hand side is not checked: NaN or infinity in it propagates into the solution.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have m rows (the message names both shapes).</exception>
    /// <exception cref="RankDeficientMatrixException">R has an exactly zero diagonal entry.</exception>
    public Matrix Solve(Matrix b)
    {
        ArgumentNullException.ThrowIfNull(b);
        int m = Rows, n = Columns, k = b.Columns;
        if (b.Rows != m)
        {
            throw new ArgumentException($"Shape mismatch: A is {m} x {n} but B is {b.ShapeText}; B needs {m} rows.", nameof(b));
        }

        ThrowIfRankDeficient();
        var y = b.Clone();
        ApplyReflectors(y.Data, k, forward: true);
        var x = new Matrix(n, k);
        y.Data[..(n * k)].CopyTo(x.Data);
        if (n > 0 && k > 0)
        {
            unsafe
            {
                fixed (double* px = x.Data)
                fixed (double* pr = _qr)
                {
                    BlockKernels.SolveUpper(n, k, pr, n, 1, px, k);
                }
            }
        }

        return x;
    }

    private int FirstZeroDiagonal()
    {
        int n = Columns;
        for (int i = 0; i < n; i++)
        {
            if (_qr[(i * n) + i] == 0.0)
            {
                return i;
            }
        }

        return -1;
    }

    private void ThrowIfRankDeficient()
    {
        int zero = FirstZeroDiagonal();
        if (zero >= 0)
        {
            throw new RankDeficientMatrixException(zero);
        }
    }

    private Matrix FormQ(int columns)
    {
        var q = new Matrix(Rows, columns);
        var d = q.Data;
        for (int i = 0; i < columns; i++)
        {
            d[(i * columns) + i] = 1.0;
        }

        ApplyReflectors(d, columns, forward: false);
        return q;
    }

    /// <summary>Applies the reflectors to the rows of an m x cols row-major block: H_{n-1}...H_0 B (Q^T B) when
    /// <paramref name="forward"/>, else H_0...H_{n-1} B (Q B). Each H_k touches rows k..m-1 only.</summary>
    private void ApplyReflectors(Span<double> target, int cols, bool forward)
    {
        int n = Columns;
        if (cols == 0)
        {
            return;
        }

        double[] wArray = ArrayPool<double>.Shared.Rent(cols);
        try
        {
            var w = wArray.AsSpan(0, cols);
            for (int step = 0; step < n; step++)
            {
                int k = forward ? step : n - 1 - step;
                ApplyReflector(k, target, cols, w);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(wArray);
        }
    }

    /// <summary>B := (I - tau v v^T) B on rows k..m-1, with the two row-wise passes w = v^T B and
    /// B -= tau v w, both contiguous in row-major storage.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyReflector(int k, Span<double> target, int cols, Span<double> w)
    {
        int m = Rows, n = Columns;
        double tau = _tau[k];
        if (tau == 0.0)
        {
            return;
        }

        target.Slice(k * cols, cols).CopyTo(w);
        for (int i = k + 1; i < m; i++)
        {
            double vi = _qr[(i * n) + k];
            if (vi != 0.0)
            {
                TensorPrimitives.FusedMultiplyAdd(target.Slice(i * cols, cols), vi, w, w);
            }
        }

        var rowK = target.Slice(k * cols, cols);
        TensorPrimitives.FusedMultiplyAdd(w, -tau, rowK, rowK);
        for (int i = k + 1; i < m; i++)
        {
            double vi = _qr[(i * n) + k];
            if (vi != 0.0)
            {
                var rowI = target.Slice(i * cols, cols);
                TensorPrimitives.FusedMultiplyAdd(w, -tau * vi, rowI, rowI);
            }
        }
    }

    private unsafe void Factor()
    {
        int m = Rows, n = Columns;
        if (n == 0)
        {
            return;
        }

        int nb = Math.Min(Nb, n);
        double[] wArray = ArrayPool<double>.Shared.Rent(Math.Max(n, nb * n));
        double[] vArray = ArrayPool<double>.Shared.Rent(m * nb);
        double[] tArray = ArrayPool<double>.Shared.Rent(nb * nb);
        try
        {
            for (int k0 = 0; k0 < n; k0 += nb)
            {
                int kb = Math.Min(nb, n - k0);
                FactorPanel(k0, k0 + kb, wArray);
                int n2 = n - k0 - kb;
                if (n2 > 0)
                {
                    UpdateTrailing(k0, kb, n2, vArray, tArray, wArray);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(tArray);
            ArrayPool<double>.Shared.Return(vArray);
            ArrayPool<double>.Shared.Return(wArray);
        }
    }

    /// <summary>Unblocked Householder QR (GEQR2) of columns k0..colEnd-1, rows k0..m-1, applying each
    /// reflector only to the columns of the panel.</summary>
    private void FactorPanel(int k0, int colEnd, double[] wArray)
    {
        int m = Rows, n = Columns;
        var a = _qr.AsSpan();
        for (int k = k0; k < colEnd; k++)
        {
            double alpha = a[(k * n) + k];
            double xnorm = ColumnNorm(k);
            if (xnorm == 0.0)
            {
                // Nothing below the diagonal: H_k = I and R[k, k] = alpha (as LARFG).
                _tau[k] = 0.0;
                continue;
            }

            double beta = -Math.CopySign(Hypot(alpha, xnorm), alpha);
            _tau[k] = (beta - alpha) / beta;
            double scale = 1.0 / (alpha - beta);
            for (int i = k + 1; i < m; i++)
            {
                a[(i * n) + k] *= scale;
            }

            a[(k * n) + k] = beta;
            int rest = colEnd - k - 1;
            if (rest > 0)
            {
                ApplyPanelReflector(k, rest, wArray);
            }
        }
    }

    /// <summary>Applies H_k to columns k+1..k+rest of rows k..m-1: w = v^T A and A -= tau v w, as two passes
    /// over short contiguous row pieces (plain loops: the pieces are at most a panel wide, too short to
    /// amortise a library call per row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void ApplyPanelReflector(int k, int rest, double[] wArray)
    {
        int m = Rows, n = Columns;
        double tau = _tau[k];
        fixed (double* a = _qr)
        fixed (double* w = wArray)
        {
            double* rowK = a + (k * n) + k + 1;
            for (int j = 0; j < rest; j++)
            {
                w[j] = rowK[j];
            }

            for (int i = k + 1; i < m; i++)
            {
                double* row = a + (i * n) + k;
                double vi = row[0];
                if (vi != 0.0)
                {
                    for (int j = 0; j < rest; j++)
                    {
                        w[j] += vi * row[j + 1];
                    }
                }
            }

            for (int j = 0; j < rest; j++)
            {
                w[j] *= tau;
                rowK[j] -= w[j];
            }

            for (int i = k + 1; i < m; i++)
            {
                double* row = a + (i * n) + k;
                double vi = row[0];
                if (vi != 0.0)
                {
                    for (int j = 0; j < rest; j++)
                    {
                        row[j + 1] -= vi * w[j];
                    }
                }
            }
        }
    }

    /// <summary>Applies the panel's reflectors to the trailing columns at once (LARFT + LARFB):
    /// H_{kb-1}...H_0 = I - V T^T V^T, so A2 -= V (T^T (V^T A2)), with both large products packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void UpdateTrailing(int k0, int kb, int n2, double[] vArray, double[] tArray, double[] wArray)
    {
        int m = Rows, n = Columns, mv = m - k0;
        fixed (double* a = _qr)
        fixed (double* v = vArray)
        fixed (double* t = tArray)
        fixed (double* w = wArray)
        {
            // V (mv x kb) with its implicit unit diagonal and zeros above made explicit.
            for (int i = 0; i < mv; i++)
            {
                double* src = a + ((k0 + i) * n) + k0;
                double* dst = v + (i * kb);
                for (int j = 0; j < kb; j++)
                {
                    dst[j] = j < i ? src[j] : j == i ? 1.0 : 0.0;
                }
            }

            // T upper triangular (LARFT, forward, columnwise): T[0:j, j] = -tau_j T[0:j, 0:j] (V[:, 0:j]^T v_j).
            // The Gram matrix G = -V^T V comes from one packed product (only its strict upper part is used).
            double* g = w;
            new Span<double>(g, kb * kb).Clear();
            BlockKernels.SubtractProduct(kb, kb, mv, v, 1, kb, v, kb, 1, g, kb);
            new Span<double>(t, kb * kb).Clear();
            for (int j = 0; j < kb; j++)
            {
                double tauJ = _tau[k0 + j];
                t[(j * kb) + j] = tauJ;
                if (tauJ == 0.0)
                {
                    continue;
                }

                for (int p = 0; p < j; p++)
                {
                    // sum_q T[p, q] (v_q . v_j) = -sum_q T[p, q] G[q, j].
                    double s = 0.0;
                    for (int q = p; q < j; q++)
                    {
                        s -= t[(p * kb) + q] * g[(q * kb) + j];
                    }

                    t[(p * kb) + j] = -tauJ * s;
                }
            }

            // W^T = -A2^T V (n2 x kb): the transposed form puts the long dimension n2 on the rows of the
            // packed product, which is what it splits between threads and tiles.
            double* a2 = a + (k0 * n) + k0 + kb;
            new Span<double>(w, n2 * kb).Clear();
            BlockKernels.SubtractProduct(n2, kb, mv, a2, 1, n, v, kb, 1, w, kb);

            // Each row r of W^T becomes -(W^T T)[r, :] = (A2^T V T)[r, :], right to left in place.
            for (int r = 0; r < n2; r++)
            {
                double* wr = w + (r * kb);
                for (int i = kb - 1; i >= 0; i--)
                {
                    double sum = 0.0;
                    for (int p = 0; p <= i; p++)
                    {
                        sum += wr[p] * t[(p * kb) + i];
                    }

                    wr[i] = -sum;
                }
            }

            // A2 -= V (T^T V^T A2), reading the kb x n2 right operand transposed out of W^T.
            BlockKernels.SubtractProduct(mv, n2, kb, v, kb, 1, w, 1, kb, a2, n);
        }
    }

    /// <summary>2-norm of column k below the diagonal, scaled by its largest magnitude so that squares
    /// neither overflow nor underflow (as LAPACK's NRM2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ColumnNorm(int k)
    {
        int m = Rows, n = Columns;
        double max = 0.0;
        for (int i = k + 1; i < m; i++)
        {
            max = Math.Max(max, Math.Abs(_qr[(i * n) + k]));
        }

        if (max == 0.0)
        {
            return 0.0;
        }

        double sum = 0.0;
        for (int i = k + 1; i < m; i++)
        {
            double v = _qr[(i * n) + k] / max;
            sum += v * v;
        }

        return max * Math.Sqrt(sum);
    }

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        double big = Math.Max(ax, ay), small = Math.Min(ax, ay);
        if (big == 0.0)
        {
            return 0.0;
        }

        double r = small / big;
        return big * Math.Sqrt(1.0 + (r * r));
    }
}
