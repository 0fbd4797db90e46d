using System;
using AutoDiffGen.LinearAlgebra;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

/// <summary>Seeded test matrices and naive reference arithmetic (independent of the library's kernels).</summary>
internal static class FactorTestData
{
    public const double Eps = 2.220446049250313e-16;

    public static Matrix Random(int rows, int columns, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix(rows, columns);
        var d = m.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        return m;
    }

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

    public static Matrix Hilbert(int n)
    {
        var h = new Matrix(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                h[i, j] = 1.0 / (i + j + 1);
            }
        }

        return h;
    }

    /// <summary>A product of random n x r and r x n factors: rank r (numerically).</summary>
    public static Matrix RankDeficient(int rows, int columns, int rank, int seed)
        => Multiply(Random(rows, rank, seed), Random(rank, columns, seed + 1));

    public static Matrix Diagonal(params double[] values)
    {
        var d = new Matrix(values.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            d[i, i] = values[i];
        }

        return d;
    }

    public static Matrix Multiply(Matrix a, Matrix b)
    {
        // Naive i-p-j loops over the raw storage (no blocking, no SIMD): an independent reference.
        var c = new Matrix(a.Rows, b.Columns);
        var ad = a.Data.ToArray();
        var bd = b.Data.ToArray();
        var cd = new double[a.Rows * b.Columns];
        int k = a.Columns, n = b.Columns;
        for (int i = 0; i < a.Rows; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double aip = ad[(i * k) + p];
                for (int j = 0; j < n; j++)
                {
                    cd[(i * n) + j] += aip * bd[(p * n) + j];
                }
            }
        }

        cd.CopyTo(c.Data);
        return c;
    }

    public static Matrix Transpose(Matrix a)
    {
        var t = new Matrix(a.Columns, a.Rows);
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Columns; j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }

    public static Matrix Subtract(Matrix a, Matrix b)
    {
        var c = new Matrix(a.Rows, a.Columns);
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Columns; j++)
            {
                c[i, j] = a[i, j] - b[i, j];
            }
        }

        return c;
    }

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

    public static MathNet.Numerics.LinearAlgebra.Matrix<double> ToMathNet(Matrix a)
        => MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(a.Rows, a.Columns, (i, j) => a[i, j]);

    public static void AssertRelative(double expected, double actual, double tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), double.Epsilon);
        double rel = Math.Abs(expected - actual) / scale;
        Xunit.Assert.True(rel <= tolerance, $"expected {expected:R}, got {actual:R} (relative error {rel:E2} > {tolerance:E1})");
    }
}
