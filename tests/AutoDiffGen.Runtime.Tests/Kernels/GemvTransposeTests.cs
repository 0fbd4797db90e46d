using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Kernels;

/// <summary>Gemv, its transposed form and the out-of-place Transpose against naive loops.</summary>
[Trait("Category", "Kernels")]
public class GemvTransposeTests
{
    private const double Eps = 2.220446049250313e-16;

    [Fact]
    public void GemvMatchesNaiveLoopsAtEveryWidth()
    {
        var random = new Random(11);
        for (int n = 0; n <= 256; n++)
        {
            int m = (n % 7) + (n % 3 == 0 ? 0 : 1);
            foreach (double beta in new[] { 0.0, 0.5 })
            {
                double[] a = GemmTests.RandomArray(m * n, random), x = GemmTests.RandomArray(n, random);
                double[] y0 = beta == 0 ? NaNs(m) : GemmTests.RandomArray(m, random);
                double[] y = (double[])y0.Clone();
                LinearAlgebra.Kernels.Gemv(m, n, 2.0, a, x, beta, y);
                for (int i = 0; i < m; i++)
                {
                    double sum = 0, magnitude = 0;
                    for (int j = 0; j < n; j++)
                    {
                        sum += a[(i * n) + j] * x[j];
                        magnitude += Math.Abs(a[(i * n) + j] * x[j]);
                    }

                    double expected = (2.0 * sum) + (beta == 0 ? 0 : beta * y0[i]);
                    Assert.True(Math.Abs(expected - y[i]) <= ((n + 2) * Eps * ((2 * magnitude) + 1)) + 1e-300, $"n={n} i={i}: {y[i]} vs {expected}");
                }
            }
        }
    }

    [Fact]
    public void GemvTransposedMatchesNaiveLoopsAtEveryWidth()
    {
        var random = new Random(12);
        for (int n = 0; n <= 256; n++)
        {
            int m = (n % 5) + (n % 2);
            foreach (double beta in new[] { 0.0, -1.0 })
            {
                double[] a = GemmTests.RandomArray(m * n, random), x = GemmTests.RandomArray(m, random);
                double[] y0 = beta == 0 ? NaNs(n) : GemmTests.RandomArray(n, random);
                double[] y = (double[])y0.Clone();
                LinearAlgebra.Kernels.GemvTransposed(m, n, 0.5, a, x, beta, y);
                for (int j = 0; j < n; j++)
                {
                    double sum = 0, magnitude = 0;
                    for (int i = 0; i < m; i++)
                    {
                        sum += a[(i * n) + j] * x[i];
                        magnitude += Math.Abs(a[(i * n) + j] * x[i]);
                    }

                    double expected = (0.5 * sum) + (beta == 0 ? 0 : beta * y0[j]);
                    Assert.True(Math.Abs(expected - y[j]) <= ((m + 2) * Eps * (magnitude + 1)) + 1e-300, $"n={n} j={j}: {y[j]} vs {expected}");
                }
            }
        }
    }

    [Fact]
    public void GemvHonoursLeadingDimension()
    {
        // A = [[1, 2], [3, 4]] stored with lda 3 (the third column is padding that must be ignored).
        double[] a = [1, 2, double.NaN, 3, 4];
        double[] y = new double[2];
        LinearAlgebra.Kernels.Gemv(2, 2, 1.0, a, 3, [1.0, 1.0], 0.0, y);
        Assert.Equal([3.0, 7.0], y);
        double[] z = new double[2];
        LinearAlgebra.Kernels.GemvTransposed(2, 2, 1.0, a, 3, [1.0, 1.0], 0.0, z);
        Assert.Equal([4.0, 6.0], z);
    }

    [Fact]
    public void GemvShapeErrorsThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.Gemv(2, 3, 1.0, new double[6], new double[4], 0.0, new double[2]));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("length 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.Gemv(2, 3, 1.0, new double[5], new double[3], 0.0, new double[2]));
        Assert.Equal("a", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.GemvTransposed(2, 3, 1.0, new double[6], new double[2], 0.0, new double[2]));
        Assert.Equal("y", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.Gemv(2, 3, 1.0, new double[6], 2, new double[3], 0.0, new double[2]));
        Assert.Contains("at least 3", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearAlgebra.Kernels.Gemv(-1, 3, 1.0, new double[6], new double[3], 0.0, new double[2]));
    }

    [Fact]
    public void TransposeMatchesNaiveLoopsAcrossBlockBoundaries()
    {
        var random = new Random(13);
        int[] sizes = [0, 1, 2, 5, 31, 32, 33, 64, 65, 100];
        foreach (int rows in sizes)
        {
            foreach (int columns in sizes)
            {
                double[] source = GemmTests.RandomArray(rows * columns, random);
                double[] destination = new double[rows * columns];
                LinearAlgebra.Kernels.Transpose(rows, columns, source, destination);
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < columns; j++)
                    {
                        Assert.Equal(source[(i * columns) + j], destination[(j * rows) + i]);
                    }
                }
            }
        }
    }

    [Fact]
    public void TransposeMatchesNaiveLoopsAtEveryLength()
    {
        var random = new Random(14);
        for (int rows = 0; rows <= 256; rows++)
        {
            int columns = ((rows * 37) % 71) + (rows % 2);
            double[] source = GemmTests.RandomArray(rows * columns, random);
            double[] destination = new double[rows * columns];
            LinearAlgebra.Kernels.Transpose(rows, columns, source, destination);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    Assert.Equal(source[(i * columns) + j], destination[(j * rows) + i]);
                }
            }
        }
    }

    [Fact]
    public void GemvOverlappingOutputThrows()
    {
        double[] buffer = new double[20];
        var ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.Gemv(2, 2, 1.0, buffer.AsSpan(0, 4), buffer.AsSpan(10, 2), 0.0, buffer.AsSpan(3, 2)));
        Assert.Equal("y", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.GemvTransposed(2, 2, 1.0, buffer.AsSpan(0, 4), buffer.AsSpan(10, 2), 0.0, buffer.AsSpan(11, 2)));
        Assert.Equal("y", ex.ParamName);
    }

    [Fact]
    public void TransposeErrorsThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.Transpose(2, 3, new double[6], new double[5]));
        Assert.Equal("destination", ex.ParamName);
        Assert.Contains("2 x 3", ex.Message, StringComparison.Ordinal);
        double[] buffer = new double[12];
        ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Kernels.Transpose(2, 3, buffer.AsSpan(0, 6), buffer.AsSpan(3, 6)));
        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearAlgebra.Kernels.Transpose(-1, 3, new double[6], new double[6]));
    }

    private static double[] NaNs(int n)
    {
        var x = new double[n];
        Array.Fill(x, double.NaN);
        return x;
    }
}
