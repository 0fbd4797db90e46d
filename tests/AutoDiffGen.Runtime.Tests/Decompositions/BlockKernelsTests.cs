using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

/// <summary>The packed C -= A B kernel behind the blocked factorisations, against naive loops, at shapes
/// that are not multiples of the micro-tile (6 x 24 or 4 x 12) or the packing blocks (256 deep, 240 wide).</summary>
[Trait("Category", "Kernels")]
public class BlockKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(5, 23, 3, false, false)]
    [InlineData(7, 25, 9, true, false)]
    [InlineData(13, 13, 13, false, true)]
    [InlineData(37, 250, 17, true, true)]
    [InlineData(30, 30, 300, false, false)]
    [InlineData(61, 500, 40, false, true)]
    public void SubtractProductMatchesNaive(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Random((m * 1000) + (n * 10) + k);
        double[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = Fill(rng, m * n);
        int aRs = transA ? 1 : k, aCs = transA ? m : 1;
        int bRs = transB ? 1 : n, bCs = transB ? k : 1;

        var expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0.0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * aRs) + (p * aCs)] * b[(p * bRs) + (j * bCs)];
                }

                expected[(i * n) + j] -= s;
            }
        }

        BlockKernels.SubtractProduct(m, n, k, a, aRs, aCs, b, bRs, bCs, c, n);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - c[i]) <= 1e-12 * (k + 1), $"element {i}: {c[i]} vs {expected[i]}");
        }
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(29, 8)]
    [InlineData(250, 33)]
    [InlineData(300, 64)]
    public void LowerOnlyUpdatesEveryLowerElement(int n, int k)
    {
        var rng = new Random(n + k);
        double[] a = Fill(rng, n * k), c = Fill(rng, n * n);
        var before = (double[])c.Clone();

        // C -= A A^T through B = A^T (strides k-major transposed).
        BlockKernels.SubtractProduct(n, n, k, a, k, 1, a, 1, k, c, n, lowerOnly: true);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0.0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * k) + p] * a[(j * k) + p];
                }

                Assert.True(Math.Abs(before[(i * n) + j] - s - c[(i * n) + j]) <= 1e-12 * (k + 1));
            }
        }
    }

    [Fact]
    public void LargeProductsAgreeWhenSharedBetweenThreadsAndRunConcurrently()
    {
        // 250 x 200 x 64 is above the threshold at which the helper threads take row chunks; four
        // concurrent callers also exercise the path where the helpers are busy and a caller works alone.
        const int m = 250, n = 200, k = 64;
        var rng = new Random(99);
        double[] a = Fill(rng, m * k), b = Fill(rng, k * n), c0 = Fill(rng, m * n);
        var expected = (double[])c0.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                for (int j = 0; j < n; j++)
                {
                    expected[(i * n) + j] -= a[(i * k) + p] * b[(p * n) + j];
                }
            }
        }

        var results = new double[4][];
        System.Threading.Tasks.Parallel.For(0, 4, t =>
        {
            for (int repeat = 0; repeat < 5; repeat++)
            {
                var c = (double[])c0.Clone();
                BlockKernels.SubtractProduct(m, n, k, a, k, 1, b, n, 1, c, n);
                results[t] = c;
            }
        });

        foreach (var c in results)
        {
            for (int i = 0; i < c.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - c[i]) <= 1e-12 * k, $"element {i}: {c[i]} vs {expected[i]}");
            }
        }
    }

    private static double[] Fill(Random rng, int length)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        return v;
    }
}
