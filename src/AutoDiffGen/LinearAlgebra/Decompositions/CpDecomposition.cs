using System;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Canonical polyadic (CANDECOMP/PARAFAC, CP) decomposition of a 3-way tensor by alternating least
/// squares (CP-ALS), computed at construction:
/// X ~= sum_{q &lt; r} w_q a_q o b_q o c_q, with unit-norm factor columns a_q, b_q, c_q
/// (the columns of <see cref="A"/>, <see cref="B"/>, <see cref="C"/>) and weights w_q &gt;= 0 in
/// descending order.
/// </summary>
/// <remarks>
/// <para>LAPACK has no equivalent; each ALS step solves its least-squares problem through the normal
/// equations with the pseudo-inverse (via <see cref="SingularValueDecomposition"/>) of the r x r
/// Hadamard product of the other two factors' Gram matrices.</para>
/// <para>Initialisation is uniform random in [-1, 1) from the given seed, so results are reproducible.
/// Iteration stops when the relative fit error ||X - Xhat||_F / ||X||_F falls to the tolerance, when one
/// iteration lowers it by less than the tolerance, or after the maximum number of iterations. Reaching the
/// limit is not an error, because a best rank-r approximation need not exist (the CP problem can be
/// degenerate): check <see cref="Converged"/>.</para>
/// </remarks>
public sealed class CpDecomposition
{
    private readonly double[] _weights;
    private readonly Matrix _a;
    private readonly Matrix _b;
    private readonly Matrix _c;

    /// <summary>Runs CP-ALS on <paramref name="tensor"/>.</summary>
    /// <param name="tensor">The I x J x K tensor (not modified).</param>
    /// <param name="rank">Number of rank-one terms r, at least 1.</param>
    /// <param name="seed">Seed of the random initial factors.</param>
    /// <param name="maxIterations">Maximum number of ALS sweeps (each updates A, B and C once), at least 1.</param>
    /// <param name="tolerance">Stopping tolerance on the relative fit error and on its decrease per sweep; non-negative.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor contains NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> or <paramref name="maxIterations"/> is
    /// below 1, or <paramref name="tolerance"/> is negative or NaN.</exception>
    public CpDecomposition(Tensor3 tensor, int rank, int seed = 0, int maxIterations = 1000, double tolerance = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Guard.Finite(tensor.Data, nameof(tensor));
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        if (!(tolerance >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be a non-negative number.");
        }

        int ni = tensor.DimI, nj = tensor.DimJ, nk = tensor.DimK, r = rank;
        Rank = r;
        double[] x = tensor.Data.ToArray();
        double normX = tensor.FrobeniusNorm();

        var rng = new Random(seed);
        var a = RandomFactor(ni, r, rng);
        var b = RandomFactor(nj, r, rng);
        var c = RandomFactor(nk, r, rng);

        double error = double.PositiveInfinity;
        int iteration = 0;
        bool converged = false;
        while (iteration < maxIterations)
        {
            iteration++;
            a = Update(Mttkrp(x, ni, nj, nk, b, c, 0), Gram(b), Gram(c));
            Normalize(a, null);
            b = Update(Mttkrp(x, ni, nj, nk, a, c, 1), Gram(a), Gram(c));
            Normalize(b, null);
            c = Update(Mttkrp(x, ni, nj, nk, a, b, 2), Gram(a), Gram(b));

            double next = FitError(x, normX, a, b, c, null);
            bool small = next <= tolerance;
            bool stalled = Math.Abs(error - next) < tolerance;
            error = next;
            if (small || stalled)
            {
                converged = true;
                break;
            }
        }

        // Pull the column scales into the weights and order the terms by weight.
        _weights = new double[r];
        Normalize(c, _weights);
        int[] order = new int[r];
        for (int q = 0; q < r; q++)
        {
            order[q] = q;
        }

        double[] w = _weights;
        Array.Sort(order, (p, q) => w[q].CompareTo(w[p]));
        _a = Permute(a, order);
        _b = Permute(b, order);
        _c = Permute(c, order);
        _weights = Array.ConvertAll(order, q => w[q]);
        Iterations = iteration;
        Converged = converged;
        RelativeError = error;
    }

    /// <summary>The rank r (number of terms).</summary>
    public int Rank { get; }

    /// <summary>The I x r factor for the first mode; its columns have unit norm (or are zero). Returns a copy.</summary>
    public Matrix A => _a.Clone();

    /// <summary>The J x r factor for the second mode; its columns have unit norm (or are zero). Returns a copy.</summary>
    public Matrix B => _b.Clone();

    /// <summary>The K x r factor for the third mode; its columns have unit norm (or are zero). Returns a copy.</summary>
    public Matrix C => _c.Clone();

    /// <summary>The r non-negative weights w_q in descending order.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Number of ALS sweeps performed.</summary>
    public int Iterations { get; }

    /// <summary>True when a stopping criterion on the fit error was met before the iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>
    /// The relative fit error ||X - Xhat||_F / ||X||_F of the final model, computed from the explicit
    /// reconstruction (not the cancellation-prone expanded formula); the absolute error ||Xhat||_F when X is zero.
    /// </summary>
    public double RelativeError { get; }

    /// <summary>The I x J x K model tensor Xhat = sum_q w_q a_q o b_q o c_q.</summary>
    public Tensor3 Reconstruct() => Tensor3.FromFactors(_a, _b, _c, _weights);

    private static Matrix RandomFactor(int rows, int r, Random rng)
    {
        var m = new Matrix(rows, r);
        Span<double> d = m.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        return m;
    }

    private static Matrix Gram(Matrix f) => SpectralKernels.Multiply(SpectralKernels.Transpose(f), f);

    /// <summary>New factor = M (G1 .* G2)^+ for the matricised-tensor-times-Khatri-Rao product M.</summary>
    private static Matrix Update(Matrix mttkrp, Matrix g1, Matrix g2)
    {
        int r = g1.Rows;
        var h = new Matrix(r, r);
        for (int i = 0; i < r * r; i++)
        {
            h.Data[i] = g1.Data[i] * g2.Data[i];
        }

        return SpectralKernels.Multiply(mttkrp, new SingularValueDecomposition(h).PseudoInverse());
    }

    /// <summary>
    /// The MTTKRP for the given mode: mode 0 gives sum_jk X[i,j,k] F1[j,q] F2[k,q] (I x r) with (F1, F2) = (B, C);
    /// mode 1 gives sum_ik X[i,j,k] F1[i,q] F2[k,q] (J x r) with (A, C); mode 2 gives sum_ij X[i,j,k] F1[i,q] F2[j,q]
    /// (K x r) with (A, B). Every pass walks the contiguous k-fibres of X.
    /// </summary>
    private static Matrix Mttkrp(double[] x, int ni, int nj, int nk, Matrix f1, Matrix f2, int mode)
    {
        int r = f1.Columns;
        if (mode == 2)
        {
            // Accumulate the transpose (r x K) with axpys of whole fibres.
            var mt = new Matrix(r, nk);
            ReadOnlySpan<double> ad = f1.Data, bd = f2.Data;
            for (int i = 0; i < ni; i++)
            {
                for (int j = 0; j < nj; j++)
                {
                    ReadOnlySpan<double> fibre = x.AsSpan(((i * nj) + j) * nk, nk);
                    for (int q = 0; q < r; q++)
                    {
                        double s = ad[(i * r) + q] * bd[(j * r) + q];
                        if (s != 0.0)
                        {
                            SpectralKernels.Axpy(s, fibre, mt.Row(q));
                        }
                    }
                }
            }

            return SpectralKernels.Transpose(mt);
        }

        var m = new Matrix(mode == 0 ? ni : nj, r);
        Matrix ct = SpectralKernels.Transpose(f2);
        ReadOnlySpan<double> fd = f1.Data;
        Span<double> md = m.Data;
        double[] tq = new double[r];
        for (int i = 0; i < ni; i++)
        {
            for (int j = 0; j < nj; j++)
            {
                ReadOnlySpan<double> fibre = x.AsSpan(((i * nj) + j) * nk, nk);
                for (int q = 0; q < r; q++)
                {
                    tq[q] = SpectralKernels.Dot(fibre, ct.Row(q));
                }

                // mode 0: M[i, q] += B[j, q] t_q;  mode 1: M[j, q] += A[i, q] t_q.
                int outRow = mode == 0 ? i : j;
                int facRow = mode == 0 ? j : i;
                for (int q = 0; q < r; q++)
                {
                    md[(outRow * r) + q] += fd[(facRow * r) + q] * tq[q];
                }
            }
        }

        return m;
    }

    /// <summary>Scales each column of f to unit norm; the norms go to weights when given (zero columns stay zero).</summary>
    private static void Normalize(Matrix f, double[]? weights)
    {
        int rows = f.Rows, r = f.Columns;
        Span<double> d = f.Data;
        for (int q = 0; q < r; q++)
        {
            double sum = 0.0;
            for (int i = 0; i < rows; i++)
            {
                sum += d[(i * r) + q] * d[(i * r) + q];
            }

            double norm = Math.Sqrt(sum);
            if (weights is not null)
            {
                weights[q] = norm;
            }

            if (norm > 0.0)
            {
                for (int i = 0; i < rows; i++)
                {
                    d[(i * r) + q] /= norm;
                }
            }
        }
    }

    private static double FitError(double[] x, double normX, Matrix a, Matrix b, Matrix c, double[]? weights)
    {
        Tensor3 model = Tensor3.FromFactors(a, b, c, weights);
        Span<double> diff = model.Data;
        System.Numerics.Tensors.TensorPrimitives.Subtract(x, diff, diff);
        double err = SpectralKernels.Norm(diff);
        return normX > 0.0 ? err / normX : err;
    }

    private static Matrix Permute(Matrix f, int[] order)
    {
        int rows = f.Rows, r = f.Columns;
        var p = new Matrix(rows, r);
        for (int i = 0; i < rows; i++)
        {
            for (int q = 0; q < r; q++)
            {
                p[i, q] = f[i, order[q]];
            }
        }

        return p;
    }
}
