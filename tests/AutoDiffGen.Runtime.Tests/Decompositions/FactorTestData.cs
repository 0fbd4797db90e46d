using System;
using AutoDiffGen.LinearAlgebra;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

/// <summary>Seeded test matrices and naive reference arithmetic (independent of the library's kernels).</summary>
internal static class FactorTestData
{
    public const double Eps = 2.220446049250313e-16;

    public static Matrix Random(int rows, int columns, int seed) => TestMatrices.Random(rows, columns, seed);

    public static double[] RandomVector(int n, int seed)
    {
        var rng = new Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        return v;
    }

    /// <summary>B B^T + n I: symmetric positive definite and well conditioned.</summary>
    public static Matrix RandomSpd(int n, int seed)
    {
        var b = Random(n, n, seed);
        var a = Multiply(b, Transpose(b));
        for (int i = 0; i < n; i++)
        {
            a[i, i] += n;
        }

        return a;
    }

    public static Matrix Hilbert(int n) => TestMatrices.Hilbert(n);

    /// <summary>A product of random n x r and r x n factors: rank r (numerically).</summary>
    public static Matrix RankDeficient(int rows, int columns, int rank, int seed)
        => Multiply(Random(rows, rank, seed), Random(rank, columns, seed + 1));

    public static Matrix Diagonal(params double[] values) => TestMatrices.Diagonal(values);

    public static Matrix Multiply(Matrix a, Matrix b) => TestMatrices.Multiply(a, b);

    public static Matrix Transpose(Matrix a) => TestMatrices.Transpose(a);

    public static Matrix Subtract(Matrix a, Matrix b) => TestMatrices.Subtract(a, b);

    /// <summary>The 1-norm (largest column sum of magnitudes), as LAPACK's test ratios use.</summary>
    public static double Norm1(Matrix a)
    {
        double best = 0.0;
        for (int j = 0; j < a.Columns; j++)
        {
            double s = 0.0;
            for (int i = 0; i < a.Rows; i++)
            {
                s += Math.Abs(a[i, j]);
            }

            best = Math.Max(best, s);
        }

        return best;
    }

    public static double Norm1(ReadOnlySpan<double> v)
    {
        double s = 0.0;
        foreach (double x in v)
        {
            s += Math.Abs(x);
        }

        return s;
    }

    public static double[] Multiply(Matrix a, ReadOnlySpan<double> x)
    {
        var y = new double[a.Rows];
        for (int i = 0; i < a.Rows; i++)
        {
            double s = 0.0;
            for (int j = 0; j < a.Columns; j++)
            {
                s += a[i, j] * x[j];
            }

            y[i] = s;
        }

        return y;
    }

    /// <summary>||A X - B||_1 / (||A||_1 ||X||_1 n eps): the LAPACK solve-residual ratio.</summary>
    public static double SolveRatio(Matrix a, Matrix x, Matrix b)
    {
        int n = Math.Max(1, a.Columns);
        double denom = Norm1(a) * Norm1(x) * n * Eps;
        double num = Norm1(Subtract(Multiply(a, x), b));
        return denom == 0.0 ? num : num / denom;
    }

    public static double SolveRatio(Matrix a, ReadOnlySpan<double> x, ReadOnlySpan<double> b)
    {
        int n = Math.Max(1, a.Columns);
        var ax = Multiply(a, x);
        double num = 0.0;
        for (int i = 0; i < ax.Length; i++)
        {
            num += Math.Abs(ax[i] - b[i]);
        }

        double denom = Norm1(a) * Norm1(x) * n * Eps;
        return denom == 0.0 ? num : num / denom;
    }

    /// <summary>||I - Q^T Q||_1 / (n eps) for a matrix with n orthonormal columns.</summary>
    public static double OrthogonalityRatio(Matrix q)
    {
        var g = Multiply(Transpose(q), q);
        for (int i = 0; i < g.Rows; i++)
        {
            g[i, i] -= 1.0;
        }

        return Norm1(g) / (Math.Max(1, Math.Max(q.Rows, q.Columns)) * Eps);
    }

    public static MathNet.Numerics.LinearAlgebra.Matrix<double> ToMathNet(Matrix a) => TestMatrices.ToMathNet(a);

    public static void AssertRelative(double expected, double actual, double tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), double.Epsilon);
        double rel = Math.Abs(expected - actual) / scale;
        Xunit.Assert.True(rel <= tolerance, $"expected {expected:R}, got {actual:R} (relative error {rel:E2} > {tolerance:E1})");
    }
}
