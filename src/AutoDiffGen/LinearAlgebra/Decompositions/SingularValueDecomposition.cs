using System;
using System.Buffers;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Singular value decomposition A = U Sigma V^T of any m x n matrix, factored at construction
/// (the LAPACK GESVD equivalent: Householder bidiagonalisation, GEBRD, explicit formation of the
/// orthogonal factors, ORGBR, and the implicit-shift QR iteration on the bidiagonal matrix, BDSQR).
/// </summary>
/// <remarks>
/// <para>With k = min(m, n) the singular values are non-negative and in descending order.
/// The thin form (default) has U of shape m x k and V of shape n x k; the full form has U of shape
/// m x m and V of shape n x n, with the extra columns completing orthonormal bases. When m &lt; n the
/// decomposition of A^T is computed and the factors are swapped. Signs of singular-vector pairs are
/// not specified.</para>
/// <para>The bidiagonal QR iteration takes at most <see cref="MaxSweepsPerSingularValue"/> * k sweeps
/// in total; exceeding that throws <see cref="NoConvergenceException"/> (not expected for finite input).</para>
/// <para>A superdiagonal entry is treated as zero when it is at most eps (2^-52) times the sum of its two
/// diagonal neighbours, and a diagonal entry when it is at most eps times the sum of its two
/// superdiagonal neighbours (it is then chased out with extra rotations), or when it is below about
/// 1e-292 times the largest entry of A (where relative tests fail to subnormal rounding).</para>
/// <para>Accuracy: backward stable, ||A - U Sigma V^T|| = O(max(m, n) eps ||A||); singular values are
/// accurate to about eps sigma_max in absolute terms.</para>
/// </remarks>
public sealed class SingularValueDecomposition
{
    /// <summary>Average number of implicit QR sweeps allowed per singular value (the total limit is this times min(m, n)).</summary>
    public const int MaxSweepsPerSingularValue = 30;

    /// <summary>
    /// Bidiagonal entries below this (the smallest normal double divided by eps, about 1e-292, on the
    /// matrix scaled to unit size) are set to zero: a backward error far below rounding.
    /// </summary>
    private const double Floor = 2.2250738585072014e-308 / SpectralKernels.Epsilon;

    /// <summary>Reflectors applied per pass when forming U and V.</summary>
    private const int ReflectorBlock = 4;

    private readonly double[] _sigma;
    private readonly Matrix? _u;
    private readonly Matrix? _v;

    /// <summary>Computes the singular value decomposition of <paramref name="a"/>.</summary>
    /// <param name="a">Any m x n matrix (either dimension may be 0). It is not modified.</param>
    /// <param name="fullMatrices">False (default) for the thin factors U (m x k) and V (n x k);
    /// true for the square factors U (m x m) and V (n x n).</param>
    /// <param name="computeVectors">When false only the singular values are computed (much faster);
    /// <see cref="U"/>, <see cref="V"/> and <see cref="PseudoInverse"/> then throw.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> contains NaN or an infinity.</exception>
    /// <exception cref="NoConvergenceException">The bidiagonal QR iteration exceeded its sweep limit.</exception>
    public SingularValueDecomposition(Matrix a, bool fullMatrices = false, bool computeVectors = true)
        : this(a, fullMatrices, computeVectors, MaxSweepsPerSingularValue)
    {
    }

    /// <summary>Factors with a chosen sweep limit (tests use it to exercise the non-convergence path).</summary>
    internal SingularValueDecomposition(Matrix a, bool fullMatrices, bool computeVectors, int maxSweepsPerSingularValue)
    {
        ArgumentNullException.ThrowIfNull(a);
        Guard.Finite(a.Data, nameof(a));
        int m = a.Rows, n = a.Columns;
        Rows = m;
        Columns = n;
        IsFull = fullMatrices;
        int k = Math.Min(m, n);
        _sigma = new double[k];

        // Work on a tall matrix (M >= N) so that the bidiagonal is upper and square.
        bool transposed = m < n;
        int bigM = transposed ? n : m, bigN = transposed ? m : n;
        int p = fullMatrices ? bigM : bigN;

        double scale = SpectralKernels.MaxAbs(a.Data);
        if (scale == 0.0)
        {
            scale = 1.0;
        }

        double[] w = ArrayPool<double>.Shared.Rent(Math.Max(1, bigM * bigN));
        double[]? ut = null, vt = null;
        double[] sigma = new double[bigN];
        try
        {
            ReadOnlySpan<double> src = a.Data;
            // Divide rather than multiply by 1 / scale: the reciprocal of a subnormal scale overflows.
            if (transposed)
            {
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        w[(j * m) + i] = src[(i * n) + j] / scale;
                    }
                }
            }
            else
            {
                for (int i = 0; i < m * n; i++)
                {
                    w[i] = src[i] / scale;
                }
            }

            if (computeVectors)
            {
                ut = new double[p * bigM];
                vt = new double[bigN * bigN];
            }

            if (bigN > 0)
            {
                Factor(w, bigM, bigN, p, sigma, ut, vt, maxSweepsPerSingularValue);
            }
            else if (ut is not null)
            {
                // No singular values: the full left factor is just an orthonormal basis.
                for (int i = 0; i < p; i++)
                {
                    ut[(i * bigM) + i] = 1.0;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(w);
        }

        // Sort descending (the values are already non-negative).
        int[] perm = new int[bigN];
        for (int i = 0; i < bigN; i++)
        {
            perm[i] = i;
        }

        Array.Sort(perm, (x, y) => sigma[y].CompareTo(sigma[x]));
        for (int i = 0; i < k; i++)
        {
            _sigma[i] = sigma[perm[i]] * scale;
        }

        if (ut is not null && vt is not null)
        {
            // Columns of the work matrix's left factor come from rows of ut (the first bigN of them
            // permuted with the singular values); its right factor from rows of vt.
            Matrix left = RowsAsColumns(ut, bigM, p, perm);
            Matrix right = RowsAsColumns(vt, bigN, bigN, perm);
            _u = transposed ? right : left;
            _v = transposed ? left : right;
        }
    }

    /// <summary>Number of rows m of the decomposed matrix.</summary>
    public int Rows { get; }

    /// <summary>Number of columns n of the decomposed matrix.</summary>
    public int Columns { get; }

    /// <summary>True when the full factors (U m x m, V n x n) were requested.</summary>
    public bool IsFull { get; }

    /// <summary>The min(m, n) singular values, non-negative, in descending order.</summary>
    public ReadOnlySpan<double> SingularValues => _sigma;

    /// <summary>True when the singular vectors were computed.</summary>
    public bool HasVectors => _u is not null;

    /// <summary>
    /// The left singular vectors as columns: m x min(m, n) (thin) or m x m (full); column j belongs
    /// to <see cref="SingularValues"/>[j] for j &lt; min(m, n). Each access returns a new copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">Vectors were not computed.</exception>
    public Matrix U => (_u ?? throw NoVectors()).Clone();

    /// <summary>
    /// The right singular vectors as columns: n x min(m, n) (thin) or n x n (full), so that
    /// A = U S V^T. Each access returns a new copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">Vectors were not computed.</exception>
    public Matrix V => (_v ?? throw NoVectors()).Clone();

    /// <summary>
    /// Sigma as a matrix shaped to fit between the factors: min(m, n) x min(m, n) for the thin form,
    /// m x n for the full form, with the singular values on its diagonal.
    /// </summary>
    public Matrix S
    {
        get
        {
            int r = IsFull ? Rows : _sigma.Length, c = IsFull ? Columns : _sigma.Length;
            var s = new Matrix(r, c);
            for (int i = 0; i < _sigma.Length; i++)
            {
                s[i, i] = _sigma[i];
            }

            return s;
        }
    }

    /// <summary>The spectral norm ||A||_2 = sigma_max (0 for an empty matrix).</summary>
    public double SpectralNorm => _sigma.Length == 0 ? 0.0 : _sigma[0];

    /// <summary>The nuclear (trace) norm, the sum of the singular values (0 for an empty matrix).</summary>
    public double NuclearNorm
    {
        get
        {
            double sum = 0.0;
            foreach (double s in _sigma)
            {
                sum += s;
            }

            return sum;
        }
    }

    /// <summary>
    /// The 2-norm condition number kappa(A) = sigma_max / sigma_min with sigma_min the smallest of the
    /// min(m, n) singular values: positive infinity when sigma_min is exactly 0 (a singular or zero
    /// matrix) and 0 for an empty matrix (consistent with kappa = ||A|| ||A^+||).
    /// </summary>
    public double ConditionNumber
    {
        get
        {
            if (_sigma.Length == 0)
            {
                return 0.0;
            }

            double min = _sigma[^1];
            return min == 0.0 ? double.PositiveInfinity : _sigma[0] / min;
        }
    }

    /// <summary>
    /// The default rank tolerance, as in LAPACK and NumPy: max(m, n) * eps * sigma_max with
    /// eps = 2^-52.
    /// </summary>
    public double DefaultTolerance => Math.Max(Rows, Columns) * SpectralKernels.Epsilon * SpectralNorm;

    /// <summary>The numerical rank: the number of singular values strictly greater than the tolerance.</summary>
    /// <param name="tolerance">Threshold; null uses <see cref="DefaultTolerance"/>. Must not be negative or NaN.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative or NaN.</exception>
    public int Rank(double? tolerance = null)
    {
        double tol = CheckTolerance(tolerance);
        int r = 0;
        while (r < _sigma.Length && _sigma[r] > tol)
        {
            r++;
        }

        return r;
    }

    /// <summary>
    /// The Moore-Penrose pseudo-inverse A^+ = V_r Sigma_r^-1 U_r^T (shape n x m), where r is
    /// <see cref="Rank"/> for the given tolerance (singular values at or below it are treated as zero).
    /// </summary>
    /// <param name="tolerance">Threshold; null uses <see cref="DefaultTolerance"/>.</param>
    /// <exception cref="InvalidOperationException">Vectors were not computed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative or NaN.</exception>
    public Matrix PseudoInverse(double? tolerance = null)
    {
        if (_u is null || _v is null)
        {
            throw NoVectors();
        }

        int r = Rank(tolerance);
        int m = Rows, n = Columns;
        var result = new Matrix(n, m);
        Span<double> res = result.Data;
        ReadOnlySpan<double> ud = _u.Data, vd = _v.Data;
        int uc = _u.Columns, vc = _v.Columns;
        double[] scaledU = new double[m];

        // Row i of A^+ is sum_j V[i, j] / sigma_j * U[:, j]^T: accumulate with unit-stride axpys
        // over a copy of column j of U.
        for (int j = 0; j < r; j++)
        {
            for (int t = 0; t < m; t++)
            {
                scaledU[t] = ud[(t * uc) + j] / _sigma[j];
            }

            for (int i = 0; i < n; i++)
            {
                double vij = vd[(i * vc) + j];
                if (vij != 0.0)
                {
                    SpectralKernels.Axpy(vij, scaledU, res.Slice(i * m, m));
                }
            }
        }

        return result;
    }

    private double CheckTolerance(double? tolerance)
    {
        if (tolerance is null)
        {
            return DefaultTolerance;
        }

        double t = tolerance.Value;
        if (!(t >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), t, "The tolerance must be a non-negative number.");
        }

        return t;
    }

    private static InvalidOperationException NoVectors() => new("Singular vectors were not computed: construct with computeVectors = true.");

    /// <summary>Builds a rows x cols matrix whose column j is row perm[j] of src (row j when j &gt;= perm.Length).</summary>
    private static Matrix RowsAsColumns(double[] src, int rows, int cols, int[] perm)
    {
        var result = new Matrix(rows, cols);
        Span<double> dst = result.Data;
        for (int j = 0; j < cols; j++)
        {
            int from = j < perm.Length ? perm[j] : j;
            ReadOnlySpan<double> row = src.AsSpan(from * rows, rows);
            for (int i = 0; i < rows; i++)
            {
                dst[(i * cols) + j] = row[i];
            }
        }

        return result;
    }

    /// <summary>
    /// SVD of the tall M x N (M &gt;= N &gt;= 1) row-major matrix in w (destroyed). On return sigma holds
    /// the unsorted non-negative singular values; when ut/vt are given, row i of ut (p x M) and of vt
    /// (N x N) are the left and right singular vectors of sigma[i] (rows N..p-1 of ut complete the basis).
    /// </summary>
    private static void Factor(double[] w, int bigM, int bigN, int p, double[] sigma, double[]? ut, double[]? vt, int maxSweepsPerValue)
    {
        double[] d = sigma;
        double[] e = new double[bigN];
        double[] tauq = new double[bigN];
        double[] taup = new double[bigN];
        double[][] uTails = new double[bigN][];
        Bidiagonalize(w, bigM, bigN, d, e, tauq, taup, uTails);

        if (ut is not null && vt is not null)
        {
            FormLeft(ut, bigM, bigN, p, tauq, uTails);
            FormRight(vt, w, bigN, taup);
        }

        BidiagonalQr(d, e, bigM, bigN, ut, vt, maxSweepsPerValue);

        for (int i = 0; i < bigN; i++)
        {
            if (d[i] < 0.0)
            {
                d[i] = -d[i];
                if (vt is not null)
                {
                    Span<double> row = vt.AsSpan(i * bigN, bigN);
                    foreach (ref double x in row)
                    {
                        x = -x;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Householder bidiagonalisation (GEBRD) of the tall row-major M x N matrix w: H_{N-1}..H_0 A G_0..G_{N-3}
    /// is upper bidiagonal with diagonal d and superdiagonal e. The left reflector tails are kept in uTails,
    /// the right reflector k's tail in row k of w from column k + 2.
    /// </summary>
    private static void Bidiagonalize(double[] w, int bigM, int bigN, double[] d, double[] e, double[] tauq, double[] taup, double[][] uTails)
    {
        double[] x = ArrayPool<double>.Shared.Rent(bigM);
        double[] wv = ArrayPool<double>.Shared.Rent(bigN);
        try
        {
            for (int k = 0; k < bigN; k++)
            {
                int len = bigM - k;
                int rest = bigN - k - 1;

                // Left reflector from column k (a strided gather; O(MN) in total, negligible).
                Span<double> xs = x.AsSpan(0, len);
                for (int i = 0; i < len; i++)
                {
                    xs[i] = w[((k + i) * bigN) + k];
                }

                double tq = SpectralKernels.GenerateReflector(xs, out double beta);
                d[k] = beta;
                tauq[k] = tq;
                double[] uTail = xs[1..].ToArray();
                uTails[k] = uTail;

                Span<double> wvs = wv.AsSpan(0, rest);
                bool left = tq != 0.0 && rest > 0;
                if (left)
                {
                    // wv = tau u^T A[k.., k+1..]: a sum of rows (unit stride); row k itself is then updated.
                    Span<double> rowK = w.AsSpan((k * bigN) + k + 1, rest);
                    rowK.CopyTo(wvs);
                    for (int i = 1; i < len; i++)
                    {
                        double ui = uTail[i - 1];
                        if (ui != 0.0)
                        {
                            SpectralKernels.Axpy(ui, w.AsSpan(((k + i) * bigN) + k + 1, rest), wvs);
                        }
                    }

                    System.Numerics.Tensors.TensorPrimitives.Multiply(wvs, tq, wvs);
                    System.Numerics.Tensors.TensorPrimitives.Subtract(rowK, wvs, rowK);
                }

                double tp = 0.0;
                if (rest > 0)
                {
                    tp = SpectralKernels.GenerateReflector(w.AsSpan((k * bigN) + k + 1, rest), out double betaE);
                    e[k] = betaE;
                }

                taup[k] = tp;
                if (rest == 0 || (!left && tp == 0.0))
                {
                    continue;
                }

                // One pass over the trailing rows applies the left update (rank 1) and the right
                // reflector while each row is in L1.
                ReadOnlySpan<double> vTail = w.AsSpan((k * bigN) + k + 2, rest - 1);
                for (int i = k + 1; i < bigM; i++)
                {
                    Span<double> row = w.AsSpan((i * bigN) + k + 1, rest);
                    if (left)
                    {
                        double ui = uTail[i - k - 1];
                        if (ui != 0.0)
                        {
                            SpectralKernels.Axpy(-ui, wvs, row);
                        }
                    }

                    if (tp != 0.0)
                    {
                        SpectralKernels.ReflectRow(row, tp, vTail);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(wv);
        }
    }

    /// <summary>Forms U^T (p x M) = [I_p 0] H_{N-1} ... H_0 by right-multiplying with the reflectors in reverse order.</summary>
    private static void FormLeft(double[] ut, int bigM, int bigN, int p, double[] tauq, double[][] uTails)
    {
        for (int i = 0; i < p; i++)
        {
            ut[(i * bigM) + i] = 1.0;
        }

        // Blocks of reflectors per pass over the rows, as in SymmetricEigenDecomposition.FormTransposedQ
        // (rows r < k are zero from column k on, so reflector k is skipped for them).
        for (int kHi = bigN - 1; kHi >= 0; kHi -= ReflectorBlock)
        {
            int kLo = Math.Max(0, kHi - ReflectorBlock + 1);
            for (int r = kLo; r < p; r++)
            {
                for (int k = Math.Min(kHi, r); k >= kLo; k--)
                {
                    double tau = tauq[k];
                    if (tau != 0.0)
                    {
                        SpectralKernels.ReflectRow(ut.AsSpan((r * bigM) + k, bigM - k), tau, uTails[k]);
                    }
                }
            }
        }
    }

    /// <summary>Forms V^T (N x N) = G_{N-3} ... G_0 from the right reflectors stored in w.</summary>
    private static void FormRight(double[] vt, double[] w, int bigN, double[] taup)
    {
        for (int i = 0; i < bigN; i++)
        {
            vt[(i * bigN) + i] = 1.0;
        }

        for (int kHi = bigN - 2; kHi >= 0; kHi -= ReflectorBlock)
        {
            int kLo = Math.Max(0, kHi - ReflectorBlock + 1);
            for (int r = kLo + 1; r < bigN; r++)
            {
                for (int k = Math.Min(kHi, r - 1); k >= kLo; k--)
                {
                    double tau = taup[k];
                    if (tau != 0.0)
                    {
                        int len = bigN - k - 1;
                        SpectralKernels.ReflectRow(vt.AsSpan((r * bigN) + k + 1, len), tau, w.AsSpan((k * bigN) + k + 2, len - 1));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Implicit-shift QR iteration (Golub-Kahan) on the upper bidiagonal (d, e), rotating the rows of
    /// ut (length M) and vt (length N) along. Zero diagonal entries are handled by chasing the
    /// neighbouring superdiagonal entry out with extra rotations.
    /// </summary>
    private static void BidiagonalQr(double[] d, double[] e, int bigM, int bigN, double[]? utRows, double[]? vtRows, int maxSweepsPerValue)
    {
        const double eps = SpectralKernels.Epsilon;

        // Rotations are recorded and replayed in cache-sized strips (only the first N rows of U^T rotate).
        PackedRotations? ut = utRows is null ? null : new PackedRotations(utRows, bigN, bigM);
        PackedRotations? vt = vtRows is null ? null : new PackedRotations(vtRows, bigN, bigN);
        int n = bigN;
        int maxSweeps = maxSweepsPerValue * n;
        int sweeps = 0;
        while (true)
        {
            // Negligible entries, judged relative to their neighbours; below the floor (the matrix is scaled
            // to unit size) relative tests stop working because eps times a subnormal rounds to zero.
            for (int i = 0; i < n - 1; i++)
            {
                double ei = Math.Abs(e[i]);
                if (e[i] != 0.0 && (ei <= eps * (Math.Abs(d[i]) + Math.Abs(d[i + 1])) || ei <= Floor))
                {
                    e[i] = 0.0;
                }
            }

            for (int i = 0; i < n; i++)
            {
                double neighbours = (i > 0 ? Math.Abs(e[i - 1]) : 0.0) + (i < n - 1 ? Math.Abs(e[i]) : 0.0);
                double di = Math.Abs(d[i]);
                if (d[i] != 0.0 && (di <= eps * neighbours || di <= Floor))
                {
                    d[i] = 0.0;
                }
            }

            // The bottom-most unreduced block [l, h].
            int h = n - 1;
            while (h > 0 && e[h - 1] == 0.0)
            {
                h--;
            }

            if (h == 0)
            {
                ut?.Unpack(utRows!);
                vt?.Unpack(vtRows!);
                return;
            }

            int l = h - 1;
            while (l > 0 && e[l - 1] != 0.0)
            {
                l--;
            }

            if (++sweeps > maxSweeps)
            {
                throw new NoConvergenceException("The implicit-shift bidiagonal QR iteration of the SVD", maxSweeps);
            }

            if (d[h] == 0.0)
            {
                ChaseColumn(d, e, l, h, vt);
                continue;
            }

            int zero = -1;
            for (int i = l; i < h; i++)
            {
                if (d[i] == 0.0)
                {
                    zero = i;
                }
            }

            if (zero >= 0)
            {
                ChaseRow(d, e, zero, h, ut);
                continue;
            }

            GolubKahanStep(d, e, l, h, ut, vt);
        }
    }

    /// <summary>d[h] = 0: zero e[h-1] with rotations of columns (j, h), j = h-1 down to l.</summary>
    private static void ChaseColumn(double[] d, double[] e, int l, int h, PackedRotations? vt)
    {
        double f = e[h - 1];
        e[h - 1] = 0.0;
        for (int j = h - 1; j >= l; j--)
        {
            SpectralKernels.Rotation(d[j], f, out double c, out double s, out double r);
            d[j] = r;
            if (j > l)
            {
                f = -s * e[j - 1];
                e[j - 1] *= c;
            }

            vt?.Rotate(j, h, c, s);
        }
    }

    /// <summary>d[i] = 0 with i &lt; h: zero e[i] with rotations of rows (j, i), j = i+1 up to h.</summary>
    private static void ChaseRow(double[] d, double[] e, int i, int h, PackedRotations? ut)
    {
        double f = e[i];
        e[i] = 0.0;
        for (int j = i + 1; j <= h; j++)
        {
            SpectralKernels.Rotation(d[j], f, out double c, out double s, out double r);
            d[j] = r;
            if (j < h)
            {
                f = -s * e[j];
                e[j] *= c;
            }

            ut?.Rotate(j, i, c, s);
        }
    }

    /// <summary>One Golub-Kahan implicit-shift QR sweep on the unreduced block [l, h] (h &gt; l, no zero diagonal).</summary>
    private static void GolubKahanStep(double[] d, double[] e, int l, int h, PackedRotations? ut, PackedRotations? vt)
    {
        // Wilkinson shift from the trailing 2 x 2 of B^T B, computed on the block scaled to unit size so
        // that squares neither underflow nor overflow (the rotations only depend on ratios).
        double bs = 0.0;
        for (int i = l; i <= h; i++)
        {
            bs = Math.Max(bs, Math.Abs(d[i]));
            if (i < h)
            {
                bs = Math.Max(bs, Math.Abs(e[i]));
            }
        }

        double dh1 = d[h - 1] / bs, dh = d[h] / bs, eh1 = e[h - 1] / bs;
        double eh2 = h - 1 > l ? e[h - 2] / bs : 0.0;
        double t11 = (dh1 * dh1) + (eh2 * eh2);
        double t12 = dh1 * eh1;
        double t22 = (dh * dh) + (eh1 * eh1);
        double delta = 0.5 * (t11 - t22);
        double mu = t12 == 0.0 ? t22 : t22 - (t12 * t12 / (delta + Math.CopySign(double.Hypot(delta, t12), delta)));
        double dl = d[l] / bs;
        double y = (dl * dl) - mu;
        double z = dl * (e[l] / bs);

        for (int k = l; k < h; k++)
        {
            SpectralKernels.Rotation(y, z, out double c, out double s, out double r);
            if (k > l)
            {
                e[k - 1] = r;
            }

            double dk = d[k], ek = e[k], dk1 = d[k + 1];
            double ndk = (c * dk) + (s * ek);
            double nek = (c * ek) - (s * dk);
            double bulge = s * dk1;
            dk1 *= c;
            vt?.Rotate(k, k + 1, c, s);

            SpectralKernels.Rotation(ndk, bulge, out c, out s, out r);
            d[k] = r;
            e[k] = (c * nek) + (s * dk1);
            d[k + 1] = (c * dk1) - (s * nek);
            if (k < h - 1)
            {
                z = s * e[k + 1];
                e[k + 1] *= c;
                y = e[k];
            }

            ut?.Rotate(k, k + 1, c, s);
        }
    }
}
