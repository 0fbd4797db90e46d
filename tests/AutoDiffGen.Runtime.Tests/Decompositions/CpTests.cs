using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.SpectralTestMatrices;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class CpTests
{
    // Independent reference: the rank-r tensor built by a plain quadruple loop in the documented layout.
    private static Tensor3 NaiveTensor(Matrix a, Matrix b, Matrix c)
    {
        int ni = a.Rows, nj = b.Rows, nk = c.Rows, r = a.Columns;
        double[] data = new double[ni * nj * nk];
        for (int i = 0; i < ni; i++)
        {
            for (int j = 0; j < nj; j++)
            {
                for (int k = 0; k < nk; k++)
                {
                    double sum = 0.0;
                    for (int q = 0; q < r; q++)
                    {
                        sum += a[i, q] * b[j, q] * c[k, q];
                    }

                    data[(((i * nj) + j) * nk) + k] = sum;
                }
            }
        }

        return new Tensor3(ni, nj, nk, data);
    }

    private static double RelativeDifference(Tensor3 x, Tensor3 y)
    {
        double diff = 0.0, norm = 0.0;
        for (int i = 0; i < x.Data.Length; i++)
        {
            double d = x.Data[i] - y.Data[i];
            diff += d * d;
            norm += x.Data[i] * x.Data[i];
        }

        return Math.Sqrt(diff / norm);
    }

    [Theory]
    [InlineData(8, 7, 6, 1)]
    [InlineData(9, 8, 7, 2)]
    [InlineData(6, 5, 4, 3)]
    [InlineData(10, 9, 8, 3)]
    public void RecoversRandomRank3TensorToFitError1e8(int ni, int nj, int nk, int seed)
    {
        var x = NaiveTensor(Random(ni, 3, seed), Random(nj, 3, seed + 10), Random(nk, 3, seed + 20));
        var cp = new CpDecomposition(x, 3, seed: 42 + seed, maxIterations: 5000);
        Assert.True(cp.Converged);
        Assert.True(cp.RelativeError < 1e-8, $"fit error {cp.RelativeError:E3} after {cp.Iterations} iterations");

        // The reported error agrees with an independent recomputation from the reconstruction.
        var model = cp.Reconstruct();
        Assert.Equal(cp.RelativeError, RelativeDifference(x, model), 1e-9);

        // Factor columns are unit vectors and weights descend.
        foreach (var f in new[] { cp.A, cp.B, cp.C })
        {
            for (int q = 0; q < 3; q++)
            {
                double s = 0.0;
                for (int i = 0; i < f.Rows; i++)
                {
                    s += f[i, q] * f[i, q];
                }

                Assert.Equal(1.0, s, 1e-12);
            }
        }

        Assert.True(cp.Weights[0] >= cp.Weights[1] && cp.Weights[1] >= cp.Weights[2]);
    }

    [Fact]
    public void FromFactorsMatchesNaiveLoopAndLayout()
    {
        var a = Random(3, 2, 1);
        var b = Random(4, 2, 2);
        var c = Random(5, 2, 3);
        var t = Tensor3.FromFactors(a, b, c);
        Assert.Equal(0.0, RelativeDifference(NaiveTensor(a, b, c), t), 1e-15);
        Assert.Equal(t.Data[(((2 * 4) + 3) * 5) + 4], t[2, 3, 4]);
    }

    [Fact]
    public void RankOneTensorIsRecoveredWithItsWeight()
    {
        var a = Matrix.FromArray(new double[,] { { 3 }, { 4 } });
        var b = Matrix.FromArray(new double[,] { { 1 }, { 0 }, { 0 } });
        var c = Matrix.FromArray(new double[,] { { 0 }, { 2 } });
        var cp = new CpDecomposition(NaiveTensor(a, b, c), 1);
        Assert.Equal(10.0, cp.Weights[0], 1e-12);
        Assert.True(cp.RelativeError < 1e-12);
    }

    [Fact]
    public void LowerRankFitReportsAPositiveErrorThatShrinksWithRank()
    {
        var x = NaiveTensor(Random(6, 4, 5), Random(6, 4, 6), Random(6, 4, 7));
        var r1 = new CpDecomposition(x, 1, maxIterations: 200);
        var r4 = new CpDecomposition(x, 4, maxIterations: 3000);
        Assert.True(r1.RelativeError > 1e-3);
        Assert.True(r4.RelativeError < r1.RelativeError);
    }

    [Fact]
    public void SameSeedGivesSameResult()
    {
        var x = NaiveTensor(Random(5, 2, 8), Random(4, 2, 9), Random(3, 2, 10));
        var p = new CpDecomposition(x, 2, seed: 3, maxIterations: 50);
        var q = new CpDecomposition(x, 2, seed: 3, maxIterations: 50);
        Assert.Equal(p.RelativeError, q.RelativeError);
        Assert.Equal(p.A.Data.ToArray(), q.A.Data.ToArray());
    }

    [Fact]
    public void IterationLimitIsReportedNotThrown()
    {
        var x = NaiveTensor(Random(6, 3, 1), Random(6, 3, 2), Random(6, 3, 3));
        var cp = new CpDecomposition(x, 3, maxIterations: 1, tolerance: 0.0);
        Assert.False(cp.Converged);
        Assert.Equal(1, cp.Iterations);
    }

    [Fact]
    public void ZeroAndTinyTensorsWork()
    {
        var zero = new CpDecomposition(new Tensor3(2, 3, 2), 2);
        Assert.Equal(0.0, zero.RelativeError);
        Assert.Equal(0.0, zero.Weights[0]);

        var one = new CpDecomposition(new Tensor3(1, 1, 1, new[] { -2.0 }), 1);
        Assert.Equal(-2.0, one.Reconstruct()[0, 0, 0], 1e-14);

        var empty = new CpDecomposition(new Tensor3(0, 2, 3), 1);
        Assert.Equal(0, empty.Reconstruct().Data.Length);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    public void FrobeniusNormNeitherOverflowsNorUnderflows(double scale)
    {
        var t = new Tensor3(1, 2, 2, [3 * scale, 0, 0, 4 * scale]);
        Assert.Equal(5 * scale, t.FrobeniusNorm(), 5 * scale * 1e-15);
    }

    [Fact]
    public void FactorsAreCopies()
    {
        var cp = new CpDecomposition(new Tensor3(2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8]), 1);
        var a = cp.A;
        a[0, 0] = 1e6;
        Assert.NotEqual(1e6, cp.A[0, 0]);
    }

    [Fact]
    public void WrongDataLengthThrowsNamingTheDimensions()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor3(2, 3, 4, new double[23]));
        Assert.Contains("2 x 3 x 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedFactorsThrowNamingTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor3.FromFactors(new Matrix(2, 2), new Matrix(3, 3), new Matrix(4, 2)));
        Assert.Contains("3 x 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonPositiveRankThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new CpDecomposition(new Tensor3(2, 2, 2), 0));

    [Fact]
    public void NonPositiveIterationLimitThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new CpDecomposition(new Tensor3(2, 2, 2), 1, maxIterations: 0));

    [Fact]
    public void NegativeTensorDimensionThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor3(2, -1, 2));

    [Fact]
    public void TensorIndexOutsideThrowsNamingTheShape()
    {
        var ex = Assert.Throws<IndexOutOfRangeException>(() => new Tensor3(2, 3, 4)[1, 3, 0]);
        Assert.Contains("2 x 3 x 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeToleranceThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new CpDecomposition(new Tensor3(2, 2, 2), 1, tolerance: -1));

    [Fact]
    public void NaNIsRejected()
    {
        var t = new Tensor3(2, 2, 2);
        t[1, 0, 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => new CpDecomposition(t, 1));
    }

    [Fact]
    public void NullThrows() => Assert.Throws<ArgumentNullException>(() => new CpDecomposition(null!, 1));
}
