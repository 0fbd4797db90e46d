using System;
using AutoDiffGen.LinearAlgebra;

namespace AutoDiffGen.Runtime.Tests;

/// <summary>
/// Seeded test matrices and naive reference arithmetic shared by the decomposition tests:
/// plain loops over the storage, independent of the library's kernels.
/// </summary>
internal static class TestMatrices
{
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

    public static MathNet.Numerics.LinearAlgebra.Matrix<double> ToMathNet(Matrix a)
        => MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(a.Rows, a.Columns, (i, j) => a[i, j]);
}
