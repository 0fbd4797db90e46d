using System;
using AutoDiffGen.LinearAlgebra;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

/// <summary>Seeded test matrices and naive reference operations for the spectral decomposition tests.</summary>
internal static class SpectralTestMatrices
{
    public const double Eps = 2.220446049250313e-16;

    public static Matrix Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix(rows, cols);
        Span<double> d = m.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        return m;
    }

    public static Matrix RandomSymmetric(int n, int seed)
    {
        var a = Random(n, n, seed);
        var s = new Matrix(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s[i, j] = 0.5 * (a[i, j] + a[j, i]);
            }
        }

        return s;
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

    public static Matrix Diagonal(params double[] values)
    {
        var m = new Matrix(values.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            m[i, i] = values[i];
        }

        return m;
    }

    /// <summary>A random rows x cols matrix of rank (at most) r: the product of random rows x r and r x cols factors.</summary>
    public static Matrix RandomRank(int rows, int cols, int r, int seed) => Multiply(Random(rows, r, seed), Random(r, cols, seed + 1));

    /// <summary>A random symmetric n x n matrix of rank r: B diag(+-1) B^T with B random n x r.</summary>
    public static Matrix SymmetricRank(int n, int r, int seed)
    {
        var b = Random(n, r, seed);
        var s = new Matrix(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int k = 0; k < r; k++)
                {
                    sum += (k % 2 == 0 ? 1.0 : -1.0) * b[i, k] * b[j, k];
                }

                s[i, j] = sum;
            }
        }

        return s;
    }

    /// <summary>Random matrix whose last row is exactly the sum of the first two (or zero when n &lt; 3): exactly singular.</summary>
    public static Matrix Singular(int n, int seed)
    {
        var a = Random(n, n, seed);
        for (int j = 0; j < n; j++)
        {
            a[n - 1, j] = n >= 3 ? a[0, j] + a[1, j] : 0.0;
        }

        return a;
    }

    public static Matrix Multiply(Matrix a, Matrix b)
    {
        // Naive triple loop over the raw storage (an independent reference, not the library's kernels).
        var c = new Matrix(a.Rows, b.Columns);
        double[] ad = a.Data.ToArray(), bd = b.Data.ToArray(), cd = new double[a.Rows * b.Columns];
        int inner = a.Columns, cols = b.Columns;
        for (int i = 0; i < a.Rows; i++)
        {
            for (int k = 0; k < inner; k++)
            {
                double aik = ad[(i * inner) + k];
                for (int j = 0; j < cols; j++)
                {
                    cd[(i * cols) + j] += aik * bd[(k * cols) + j];
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

    /// <summary>The Frobenius norm by a plain loop (the independent reference for ||A||_F).</summary>
    public static double Frobenius(Matrix a)
    {
        double sum = 0.0;
        foreach (double x in a.Data)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>||Q^T Q - I||_F for the columns of q.</summary>
    public static double OrthogonalityError(Matrix q)
    {
        var g = Multiply(Transpose(q), q);
        for (int i = 0; i < g.Rows; i++)
        {
            g[i, i] -= 1.0;
        }

        return Frobenius(g);
    }

    public static MathNet.Numerics.LinearAlgebra.Matrix<double> ToMathNet(Matrix a)
        => MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(a.Rows, a.Columns, (i, j) => a[i, j]);

    /// <summary>
    /// Asserts that computed values match the reference (both sorted descending) to 1e-10 relative for values
    /// at least 1e-3 of the largest magnitude; smaller ("tiny") values must match to 1e-13 times the largest
    /// magnitude in absolute terms (the same bound continued below the threshold).
    /// </summary>
    public static void AssertValuesMatch(double[] expectedDescending, ReadOnlySpan<double> actual)
    {
        Xunit.Assert.Equal(expectedDescending.Length, actual.Length);
        double largest = 0.0;
        foreach (double x in expectedDescending)
        {
            largest = Math.Max(largest, Math.Abs(x));
        }

        for (int i = 0; i < actual.Length; i++)
        {
            double tol = 1e-10 * Math.Max(Math.Abs(expectedDescending[i]), 1e-3 * largest);
            double diff = Math.Abs(expectedDescending[i] - actual[i]);
            Xunit.Assert.True(diff <= tol, $"value {i}: expected {expectedDescending[i]:R}, got {actual[i]:R} (|diff| {diff:E3} > tol {tol:E3})");
        }
    }
}
