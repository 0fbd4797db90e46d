using System;
using System.Collections.Generic;
using AutoDiffGen.LinearAlgebra;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Kernels;

/// <summary>
/// Gemm against a naive triple loop, at shapes that straddle every register tile (MR x NR), cache
/// block (KC, MC, NC) and the parallel split, with all four transpose combinations, beta 0 (C filled
/// with NaN to prove it is not read) and beta non-zero, and leading dimensions wider than the matrices.
/// </summary>
[Trait("Category", "Kernels")]
public class GemmTests
{
    private static readonly MatrixOp[] Ops = [MatrixOp.None, MatrixOp.Transpose];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[][] shapes =
        [
            [0, 0, 0], [0, 3, 2], [3, 0, 2], [3, 2, 0], [1, 1, 1], [1, 7, 1], [7, 1, 5], [2, 3, 4],
            [5, 9, 3], [6, 8, 7], [7, 9, 11], [8, 24, 16], [9, 25, 17], [13, 17, 19], [23, 31, 29],
            [25, 49, 33], [47, 23, 65],

            // Depth across the KC = 256 boundary of the wide paths.
            [9, 26, 255], [10, 27, 256], [11, 25, 257], [5, 7, 513],

            // Columns across NC (240 on the 512-bit path, 256 on the others).
            [3, 239, 7], [4, 241, 6], [5, 481, 3], [2, 255, 3], [3, 257, 5], [2, 513, 2],

            // Rows across MC (1020 or 1024, depending on the path).
            [1019, 3, 2], [1021, 2, 3], [1025, 3, 2], [1031, 5, 3],

            // Around the parallel threshold (96^3 multiply-adds) with odd sizes.
            [95, 97, 99], [97, 101, 103], [131, 67, 129],
        ];
        foreach (int[] s in shapes)
        {
            data.Add(s[0], s[1], s[2]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaiveLoopsOnEveryPathTransposeAndBeta(int m, int n, int k)
    {
        var random = new Random((m * 7919) + (n * 104729) + k);
        foreach (GemmPath path in SupportedPaths())
        {
            foreach (MatrixOp ta in Ops)
            {
                foreach (MatrixOp tb in Ops)
                {
                    foreach (double beta in new[] { 0.0, -0.75 })
                    {
                        int threads = random.Next(1, 4);
                        int pad = random.Next(0, 3);
                        Check(path, ta, tb, m, n, k, alpha: 1.25, beta, pad, threads, random);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 4)]
    [InlineData(8, 8, 8)]
    [InlineData(5, 1, 7)]
    [InlineData(1, 9, 1)]
    [InlineData(3, 0, 4)]
    [InlineData(4, 3, 0)]
    public void SmallProductsThroughThePublicEntryMatchNaiveLoops(int m, int n, int k)
    {
        // These stay below the direct-loop threshold, so they exercise the unpacked path.
        Assert.True((long)m * n * k <= LinearAlgebra.Kernels.GemmDirectThreshold);
        var random = new Random(m + (10 * n) + (100 * k));
        foreach (MatrixOp ta in Ops)
        {
            foreach (MatrixOp tb in Ops)
            {
                foreach (double beta in new[] { 0.0, 1.0, 0.5 })
                {
                    Check(null, ta, tb, m, n, k, alpha: -2.0, beta, pad: random.Next(0, 3), threads: 1, random);
                }
            }
        }
    }

    [Fact]
    public void AlphaZeroOnTheDirectPathDoesNotReadAOrB()
    {
        double[] a = [double.NaN];
        double[] c = [2.0];
        LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 1, 1, 1, 0.0, a, 1, a, 1, 1.0, c, 1);
        Assert.Equal(2.0, c[0]);
    }

    [Fact]
    public void OverlappingOutputThrows()
    {
        double[] buffer = new double[100];
        var ex = Assert.Throws<ArgumentException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 3, 3, 3, 1.0, buffer.AsSpan(0, 9), 3, buffer.AsSpan(20, 9), 3, 0.0, buffer.AsSpan(5, 9), 3));
        Assert.Equal("c", ex.ParamName);
        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicEntryPointsMatchNaiveLoops()
    {
        var random = new Random(42);
        foreach (int dop in new[] { -1, 1, 2 })
        {
            foreach (MatrixOp ta in Ops)
            {
                foreach (MatrixOp tb in Ops)
                {
                    Check(null, ta, tb, 131, 103, 97, -0.5, 2.0, 1, dop, random);
                }
            }
        }
    }

    [Fact]
    public void SingleThreadedGemmDoesNotAllocateOnceWarm()
    {
        const int N = 70;
        double[] a = new double[N * N], b = new double[N * N], c = new double[N * N];
        for (int i = 0; i < 3; i++)
        {
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.Transpose, N, N, N, 1.0, a, N, b, N, 0.0, c, N, 1);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.Transpose, N, N, N, 1.0, a, N, b, N, 0.0, c, N, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AlphaZeroScalesCWithoutReadingAOrB()
    {
        double[] a = [double.NaN, 1, 2, 3];
        double[] b = [4, double.PositiveInfinity, 6, 7];
        double[] c = [1, 2, 3, 4];
        LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 2, 2, 2, 0.0, a, 2, b, 2, 3.0, c, 2);
        Assert.Equal([3.0, 6.0, 9.0, 12.0], c);
    }

    [Fact]
    public void ZeroDepthWithBetaZeroClearsC()
    {
        double[] c = [double.NaN, 5, double.PositiveInfinity, 1];
        LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 2, 2, 0, 1.0, [], 0, [], 2, 0.0, c, 2);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], c);
    }

    [Fact]
    public void NaNInAPropagatesToItsRowOfC()
    {
        double[] a = [1, 2, double.NaN, 4];
        double[] b = [1, 0, 0, 1];
        double[] c = new double[4];
        LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
        Assert.Equal(1.0, c[0]);
        Assert.Equal(2.0, c[1]);
        // Row 1 of A is [NaN, 4]: NaN * 0 is NaN in IEEE arithmetic, so the whole row of C is NaN.
        Assert.True(double.IsNaN(c[2]));
        Assert.True(double.IsNaN(c[3]));
    }

    [Fact]
    public void NegativeDimensionThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, -1, 2, 2, 1.0, new double[4], 2, new double[4], 2, 0.0, new double[4], 2));
    }

    [Fact]
    public void LeadingDimensionSmallerThanWidthThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 2, 3, 4, 1.0, new double[8], 3, new double[12], 3, 0.0, new double[6], 3));
        Assert.Equal("a", ex.ParamName);
        Assert.Contains("2 x 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransposedOperandChecksItsStoredShape()
    {
        // op(B) = B^T with B stored n x k = 3 x 4, so ldb must be at least 4.
        var ex = Assert.Throws<ArgumentException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.Transpose, 2, 3, 4, 1.0, new double[8], 4, new double[12], 3, 0.0, new double[6], 3));
        Assert.Equal("b", ex.ParamName);
        Assert.Contains("3 x 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortSpansThrowWithTheNeededLength()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 2, 3, 4, 1.0, new double[8], 4, new double[12], 3, 0.0, new double[5], 3));
        Assert.Equal("c", ex.ParamName);
        Assert.Contains("needs at least 6", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has 5", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<ArgumentException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 2, 3, 4, 1.0, new double[8], 4, new double[11], 3, 0.0, new double[6], 3));
        Assert.Equal("b", ex.ParamName);
    }

    [Fact]
    public void InvalidOptionsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LinearAlgebra.Kernels.Gemm((MatrixOp)7, MatrixOp.None, 1, 1, 1, 1.0, new double[1], 1, new double[1], 1, 0.0, new double[1], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LinearAlgebra.Kernels.Gemm(MatrixOp.None, MatrixOp.None, 1, 1, 1, 1.0, new double[1], 1, new double[1], 1, 0.0, new double[1], 1, 0));
    }

    internal static IEnumerable<GemmPath> SupportedPaths()
    {
        for (var p = GemmPath.Scalar; p <= LinearAlgebra.Kernels.BestGemmPath; p++)
        {
            yield return p;
        }
    }

    private static void Check(GemmPath? path, MatrixOp ta, MatrixOp tb, int m, int n, int k, double alpha, double beta, int pad, int threads, Random random)
    {
        bool tA = ta == MatrixOp.Transpose, tB = tb == MatrixOp.Transpose;
        int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        double[] a = RandomArray(aRows * lda, random);
        double[] b = RandomArray(bRows * ldb, random);
        double[] c0 = beta == 0 ? Filled(m * ldc, double.NaN) : RandomArray(m * ldc, random);
        double[] c = (double[])c0.Clone();

        if (path is { } p)
        {
            LinearAlgebra.Kernels.GemmCore(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, p, threads);
        }
        else
        {
            LinearAlgebra.Kernels.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    // Padding between rows of C must be left untouched.
                    Assert.Equal(BitConverter.DoubleToInt64Bits(c0[(i * ldc) + j]), BitConverter.DoubleToInt64Bits(c[(i * ldc) + j]));
                    continue;
                }

                double sum = 0, magnitude = 0;
                for (int q = 0; q < k; q++)
                {
                    double x = tA ? a[(q * lda) + i] : a[(i * lda) + q];
                    double y = tB ? b[(j * ldb) + q] : b[(q * ldb) + j];
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }

                double old = c0[(i * ldc) + j];
                double expected = beta == 0 ? alpha * sum : (alpha * sum) + (beta * old);
                double tolerance = ((k + 2) * 2.3e-16 * ((Math.Abs(alpha) * magnitude) + Math.Abs(beta * (beta == 0 ? 0 : old)))) + 1e-300;
                double actual = c[(i * ldc) + j];
                if (!(Math.Abs(actual - expected) <= tolerance))
                {
                    Assert.Fail($"path {path?.ToString() ?? "public"}, {ta}/{tb}, m={m} n={n} k={k} beta={beta} threads={threads}: C[{i},{j}] = {actual}, expected {expected} (tolerance {tolerance}).");
                }
            }
        }
    }

    internal static double[] RandomArray(int length, Random random)
    {
        var x = new double[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (random.NextDouble() * 2) - 1;
        }

        return x;
    }

    private static double[] Filled(int length, double value)
    {
        var x = new double[length];
        Array.Fill(x, value);
        return x;
    }
}
