using System;
using AutoDiffGen.LinearAlgebra;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

/// <summary>Seeded test matrices and naive reference operations for the spectral decomposition tests.</summary>
internal static class SpectralTestMatrices
{
    public const double Eps = 2.220446049250313e-16;

    public static Matrix Random(int rows, int cols, int seed) => TestMatrices.Random(rows, cols, seed);

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

    public static Matrix Hilbert(int n) => TestMatrices.Hilbert(n);

    public static Matrix Diagonal(params double[] values) => TestMatrices.Diagonal(values);

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

    public static Matrix Multiply(Matrix a, Matrix b) => TestMatrices.Multiply(a, b);

    public static Matrix Transpose(Matrix a) => TestMatrices.Transpose(a);

    public static Matrix Subtract(Matrix a, Matrix b) => TestMatrices.Subtract(a, b);

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

    public static MathNet.Numerics.LinearAlgebra.Matrix<double> ToMathNet(Matrix a) => TestMatrices.ToMathNet(a);

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
