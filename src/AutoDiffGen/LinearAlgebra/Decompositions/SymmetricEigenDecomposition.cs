using System;
using System.Buffers;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Eigendecomposition of a real symmetric matrix, A = Q Lambda Q^T, factored at construction
/// (the LAPACK SYEV equivalent: Householder reduction to tridiagonal form, SYTRD, followed by the
/// implicit QL iteration with shifts on the tridiagonal matrix, STEQR).
/// </summary>
/// <remarks>
/// <para>Only the lower triangle (including the diagonal) of the input is read: element (i, j) with
/// j &lt;= i. The strict upper triangle is ignored, so the result is the decomposition of the symmetric
/// matrix whose lower triangle is that of the input. The input is not modified.</para>
/// <para>Eigenvalues are returned in descending order. The eigenvectors are the columns of
/// <see cref="Eigenvectors"/>: column j is a unit vector for <see cref="Eigenvalues"/>[j], and the
/// columns are orthonormal to working precision (also for repeated eigenvalues). The sign of each
/// eigenvector is not specified.</para>
/// <para>The QL iteration takes at most 30 sweeps per eigenvalue; more than that throws
/// <see cref="NoConvergenceException"/> (not expected for finite input).</para>
/// <para>An off-diagonal entry is treated as zero when it is at most eps (2^-52) times the sum of its two
/// diagonal neighbours or eps times the norm of the tridiagonal matrix (the EISPACK criterion, which lets
/// clusters of near-zero eigenvalues deflate).</para>
/// <para>Accuracy: the computed decomposition is backward stable, ||A Q - Q Lambda|| = O(n eps ||A||),
/// so eigenvalues are accurate to about eps ||A|| in absolute terms (small eigenvalues have
/// correspondingly lower relative accuracy).</para>
/// </remarks>
public sealed class SymmetricEigenDecomposition
{
    /// <summary>QL sweeps allowed per eigenvalue before <see cref="NoConvergenceException"/> is thrown.</summary>
    public const int MaxSweepsPerEigenvalue = 30;

    /// <summary>Reflectors applied per pass when forming Q (four reflector tails and a row fit in L1 at n = 500).</summary>
    private const int ReflectorBlock = 4;

    private readonly double[] _values;
    private readonly Matrix? _vectors;

    /// <summary>Factors the symmetric matrix whose lower triangle is that of <paramref name="a"/>.</summary>
    /// <param name="a">An n x n matrix (n may be 0). Only its lower triangle is read.</param>
    /// <param name="computeEigenvectors">When false only the eigenvalues are computed (several times
    /// faster) and <see cref="Eigenvectors"/> throws.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square (the message names its shape),
    /// or contains NaN or an infinity anywhere (also in the ignored upper triangle).</exception>
    /// <exception cref="NoConvergenceException">The QL iteration exceeded
    /// <see cref="MaxSweepsPerEigenvalue"/> sweeps for some eigenvalue.</exception>
    public SymmetricEigenDecomposition(Matrix a, bool computeEigenvectors = true)
        : this(a, computeEigenvectors, MaxSweepsPerEigenvalue)
    {
    }

    /// <summary>Factors with a chosen sweep limit (tests use it to exercise the non-convergence path).</summary>
    internal SymmetricEigenDecomposition(Matrix a, bool computeEigenvectors, int maxSweepsPerEigenvalue)
    {
        Guard.Square(a, nameof(a));
        Guard.Finite(a.Data, nameof(a));
        int n = a.Rows;
        Order = n;
        _values = new double[n];

        if (n == 0)
        {
            _vectors = computeEigenvectors ? new Matrix(0, 0) : null;
            return;
        }

        // Work on the upper triangle of a row-major copy: row k to the right of the diagonal is then
        // column k below it, so every reflector and every update touches contiguous memory.
        // Scaling by the largest entry keeps squares and hypot arguments far from overflow/underflow.
        ReadOnlySpan<double> src = a.Data;
        double scale = 0.0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, SpectralKernels.MaxAbs(src.Slice(i * n, i + 1)));
        }

        if (scale == 0.0)
        {
            _vectors = computeEigenvectors ? Matrix.Identity(n) : null;
            return;
        }

        double[] w = ArrayPool<double>.Shared.Rent(n * n);
        double[] taus = new double[n];
        double[] d = new double[n];
        double[] e = new double[n];
        try
        {
            // Divide rather than multiply by 1 / scale: the reciprocal of a subnormal scale overflows.
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    w[(j * n) + i] = src[(i * n) + j] / scale;
                }
            }

            Tridiagonalize(w, n, d, e, taus);

            double[]? zt = null;
            if (computeEigenvectors)
            {
                zt = FormTransposedQ(w, n, taus);
            }

            QlImplicit(d, e, zt, n, maxSweepsPerEigenvalue);

            // Sort descending; the eigenvectors are the rows of zt, written out as columns.
            int[] perm = new int[n];
            for (int i = 0; i < n; i++)
            {
                perm[i] = i;
            }

            Array.Sort(perm, (x, y) => d[y].CompareTo(d[x]));
            for (int j = 0; j < n; j++)
            {
                _values[j] = d[perm[j]] * scale;
            }

            if (zt is not null)
            {
                var q = new Matrix(n, n);
                Span<double> qd = q.Data;
                for (int j = 0; j < n; j++)
                {
                    ReadOnlySpan<double> row = zt.AsSpan(perm[j] * n, n);
                    for (int i = 0; i < n; i++)
                    {
                        qd[(i * n) + j] = row[i];
                    }
                }

                _vectors = q;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(w);
        }
    }

    /// <summary>The order n of the decomposed matrix.</summary>
    public int Order { get; }

    /// <summary>The n eigenvalues in descending order.</summary>
    public ReadOnlySpan<double> Eigenvalues => _values;

    /// <summary>True when the eigenvectors were computed.</summary>
    public bool HasEigenvectors => _vectors is not null;

    /// <summary>
    /// The n x n orthogonal matrix Q whose column j is the unit eigenvector of
    /// <see cref="Eigenvalues"/>[j]. Each access returns a new copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The decomposition was created with
    /// computeEigenvectors = false.</exception>
    public Matrix Eigenvectors => (_vectors ?? throw new InvalidOperationException("Eigenvectors were not computed: construct with computeEigenvectors = true.")).Clone();

    /// <summary>The eigenvalues as an n x n diagonal matrix Lambda, in the order of <see cref="Eigenvalues"/>.</summary>
    public Matrix D
    {
        get
        {
            var m = new Matrix(Order, Order);
            for (int i = 0; i < Order; i++)
            {
                m[i, i] = _values[i];
            }

            return m;
        }
    }

    /// <summary>
    /// Householder tridiagonalisation (SYTRD) of the symmetric matrix held in the upper triangle of the
    /// row-major n x n array <paramref name="w"/>. On return d and e[0..n-2] hold the diagonal and
    /// off-diagonal, and row k of w holds the tail of reflector k from column k + 2 on.
    /// </summary>
    private static void Tridiagonalize(double[] w, int n, double[] d, double[] e, double[] taus)
    {
        double[] v = ArrayPool<double>.Shared.Rent(n);
        double[] p = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int k = 0; k < n - 2; k++)
            {
                int m = n - k - 1;
                Span<double> x = w.AsSpan((k * n) + k + 1, m);
                double tau = SpectralKernels.GenerateReflector(x, out double beta);
                d[k] = w[(k * n) + k];
                e[k] = beta;
                taus[k] = tau;
                if (tau == 0.0)
                {
                    continue;
                }

                Span<double> vs = v.AsSpan(0, m);
                vs[0] = 1.0;
                x[1..].CopyTo(vs[1..]);
                Span<double> ps = p.AsSpan(0, m);
                ps.Clear();

                // p = A22 v from the upper triangle: row i contributes its dot product to p_i and,
                // by symmetry, a_ij v_i to every p_j with j > i. Both are unit-stride.
                for (int ii = 0; ii < m; ii++)
                {
                    int i = k + 1 + ii;
                    ReadOnlySpan<double> row = w.AsSpan((i * n) + i, m - ii);
                    ps[ii] += SpectralKernels.DotAndAxpyTail(row, vs[ii..], vs[ii], ps[ii..]);
                }

                // w = tau p - (tau^2 / 2)(p . v) v, then A22 -= v w^T + w v^T (upper triangle only).
                double pv = SpectralKernels.Dot(ps, vs);
                double alpha = -0.5 * tau * tau * pv;
                for (int ii = 0; ii < m; ii++)
                {
                    ps[ii] = (tau * ps[ii]) + (alpha * vs[ii]);
                }

                for (int ii = 0; ii < m; ii++)
                {
                    int i = k + 1 + ii;
                    Span<double> row = w.AsSpan((i * n) + i, m - ii);
                    SpectralKernels.Rank2Row(row, vs[ii], ps[ii..], ps[ii], vs[ii..]);
                }
            }

            if (n >= 2)
            {
                d[n - 2] = w[((n - 2) * n) + n - 2];
                e[n - 2] = w[((n - 2) * n) + n - 1];
            }

            d[n - 1] = w[(n * n) - 1];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(v);
            ArrayPool<double>.Shared.Return(p);
        }
    }

    /// <summary>
    /// Forms Q^T = H_{n-3} ... H_0 explicitly (ORGTR, transposed) by multiplying the identity on the
    /// right by the reflectors in reverse order; each row is then updated with one dot and one axpy
    /// while it sits in L1, and row i of the result is column i of Q.
    /// </summary>
    private static double[] FormTransposedQ(double[] w, int n, double[] taus)
    {
        double[] qt = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            qt[(i * n) + i] = 1.0;
        }

        // Reflectors are applied in blocks of ReflectorBlock, each row taking the whole block while it
        // is in L1, so the trailing matrix streams through memory once per block instead of per reflector.
        // (Row r has zeros right of column k + 1 when r <= k, so skipping those rows changes nothing.)
        for (int kHi = n - 3; kHi >= 0; kHi -= ReflectorBlock)
        {
            int kLo = Math.Max(0, kHi - ReflectorBlock + 1);
            for (int r = kLo + 1; r < n; r++)
            {
                for (int k = Math.Min(kHi, r - 1); k >= kLo; k--)
                {
                    double tau = taus[k];
                    if (tau != 0.0)
                    {
                        int m = n - k - 1;
                        SpectralKernels.ReflectRow(qt.AsSpan((r * n) + k + 1, m), tau, w.AsSpan((k * n) + k + 2, m - 1));
                    }
                }
            }
        }

        return qt;
    }

    /// <summary>
    /// Implicit QL iteration with shifts (STEQR) on the symmetric tridiagonal matrix with diagonal d and
    /// off-diagonal e (e[i] couples i and i + 1; e[n - 1] is scratch). When zt is not null its rows are
    /// rotated along, so on return row i of zt is the eigenvector of d[i].
    /// </summary>
    private static void QlImplicit(double[] d, double[] e, double[]? zt, int n, int maxSweeps)
    {
        const double eps = SpectralKernels.Epsilon;
        e[n - 1] = 0.0;
        PackedRotations? rotations = zt is null ? null : new PackedRotations(zt, n, n);

        // An off-diagonal is negligible when it is tiny relative to its diagonal neighbours or to the
        // norm of the whole matrix; the latter (backward stable, as in EISPACK's tql2) is what lets
        // clusters of (numerically) zero eigenvalues deflate.
        double tnorm = 0.0;
        for (int i = 0; i < n; i++)
        {
            tnorm = Math.Max(tnorm, Math.Abs(d[i]) + Math.Abs(e[i]));
        }

        double absTol = eps * tnorm;
        for (int l = 0; l < n; l++)
        {
            int sweeps = 0;
            while (true)
            {
                int m = l;
                for (; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    double em = Math.Abs(e[m]);
                    if (em <= eps * dd || em <= absTol)
                    {
                        break;
                    }
                }

                if (m == l)
                {
                    break;
                }

                if (++sweeps > maxSweeps)
                {
                    throw new NoConvergenceException("The implicit QL iteration of the symmetric eigendecomposition", maxSweeps);
                }

                // Shift: the eigenvalue of the leading 2 x 2 block closer to d[l] (Wilkinson-type).
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = double.Hypot(g, 1.0);
                g = d[m] - d[l] + (e[l] / (g + Math.CopySign(r, g)));
                double s = 1.0, c = 1.0, p = 0.0;
                bool deflated = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = double.Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0.0)
                    {
                        // An off-diagonal underflowed to zero: the matrix split; restart the search.
                        d[i + 1] -= p;
                        e[m] = 0.0;
                        deflated = true;
                        break;
                    }

                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = ((d[i] - g) * s) + (2.0 * c * b);
                    p = s * r;
                    d[i + 1] = g + p;
                    g = (c * r) - b;
                    rotations?.Rotate(i, i + 1, c, -s);
                }

                if (deflated)
                {
                    continue;
                }

                d[l] -= p;
                e[l] = g;
                e[m] = 0.0;
            }
        }

        if (zt is not null)
        {
            rotations!.Unpack(zt);
        }
    }
}
