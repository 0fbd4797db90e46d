using System;
using System.Linq;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.SpectralTestMatrices;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class SkeletonTests
{
    [Theory]
    [InlineData(10, 10, 1)]
    [InlineData(30, 20, 4)]
    [InlineData(20, 30, 4)]
    [InlineData(60, 50, 10)]
    [InlineData(8, 8, 8)]
    public void CrossIsExactOnRankRMatrices(int m, int n, int r)
    {
        var a = RandomRank(m, n, r, 900 + m + n + r);
        var sk = new SkeletonDecomposition(a, r);
        Assert.True(sk.IsCross);
        Assert.Equal(r, sk.Rank);
        Assert.Equal(r, sk.RowIndices.Count);
        Assert.Equal(r, sk.ColumnIndices.Count);
        Assert.Equal(r, sk.RowIndices.Distinct().Count());
        Assert.Equal(r, sk.ColumnIndices.Distinct().Count());

        // C, R and Ahat really are the chosen columns, rows and their intersection.
        var c = sk.C;
        var rr = sk.R;
        var ahat = sk.Ahat;
        for (int t = 0; t < r; t++)
        {
            for (int i = 0; i < m; i++)
            {
                Assert.Equal(a[i, sk.ColumnIndices[t]], c[i, t]);
            }

            for (int j = 0; j < n; j++)
            {
                Assert.Equal(a[sk.RowIndices[t], j], rr[t, j]);
            }

            for (int s = 0; s < r; s++)
            {
                Assert.Equal(a[sk.RowIndices[t], sk.ColumnIndices[s]], ahat[t, s]);
            }
        }

        double rel = Frobenius(Subtract(a, sk.Reconstruct())) / Frobenius(a);
        Assert.True(rel < 1e-10, $"relative reconstruction error {rel:E3}");

        // Middle is the inverse of Ahat.
        var product = Multiply(ahat, sk.Middle);
        for (int i = 0; i < r; i++)
        {
            product[i, i] -= 1.0;
        }

        Assert.True(Frobenius(product) < 1e-9, "Middle must invert Ahat");
    }

    [Fact]
    public void CrossStopsAtTheTrueRankWhenMoreIsRequested()
    {
        var a = RandomRank(25, 18, 3, 11);
        var sk = new SkeletonDecomposition(a, 10);
        Assert.Equal(3, sk.Rank);
        Assert.True(Frobenius(Subtract(a, sk.Reconstruct())) / Frobenius(a) < 1e-10);
    }

    [Fact]
    public void CrossOfFullRankMatrixImprovesWithRankAndIsExactAtFullRank()
    {
        var a = Random(12, 9, 4);
        double previous = double.PositiveInfinity;
        foreach (int r in new[] { 1, 3, 6 })
        {
            double err = Frobenius(Subtract(a, new SkeletonDecomposition(a, r).Reconstruct()));
            Assert.True(err < previous);
            previous = err;
        }

        Assert.True(Frobenius(Subtract(a, new SkeletonDecomposition(a, 9).Reconstruct())) / Frobenius(a) < 1e-12);
    }

    [Fact]
    public void FirstPivotIsTheLargestEntry()
    {
        var a = Matrix.FromArray(new double[,] { { 1, 2, 3 }, { 4, -9, 6 }, { 7, 8, 5 } });
        var sk = new SkeletonDecomposition(a, 1);
        Assert.Equal(1, sk.RowIndices[0]);
        Assert.Equal(1, sk.ColumnIndices[0]);
    }

    [Fact]
    public void TruncatedSvdFormMatchesEckartYoung()
    {
        var a = Random(20, 15, 8);
        int r = 5;
        var sk = SkeletonDecomposition.FromTruncatedSvd(a, r);
        Assert.False(sk.IsCross);
        Assert.Empty(sk.RowIndices);
        Assert.Equal(r, sk.Rank);

        // ||A - A_r||_F^2 = sum of the discarded sigma_i^2 (reference singular values from Math.NET).
        var sigma = ToMathNet(a).Svd(false).S.ToArray();
        double expected = Math.Sqrt(sigma.Skip(r).Sum(s => s * s));
        double actual = Frobenius(Subtract(a, sk.Reconstruct()));
        Assert.Equal(expected, actual, 1e-12 * Frobenius(a));

        // The C Ahat^-1 R formula holds with Ahat = Sigma_r^-1.
        var viaAhat = Multiply(Multiply(sk.C, new SingularValueDecomposition(sk.Ahat).PseudoInverse()), sk.R);
        Assert.True(Frobenius(Subtract(viaAhat, sk.Reconstruct())) < 1e-12 * Frobenius(a));
    }

    [Fact]
    public void TruncatedSvdIsExactOnRankRMatrix()
    {
        var a = RandomRank(30, 12, 4, 21);
        var sk = SkeletonDecomposition.FromTruncatedSvd(a, 4);
        Assert.True(Frobenius(Subtract(a, sk.Reconstruct())) / Frobenius(a) < 1e-13);
    }

    [Fact]
    public void EmptyAndOneByOneWork()
    {
        var empty = new SkeletonDecomposition(new Matrix(0, 0), 0);
        Assert.Equal(0, empty.Rank);
        Assert.Equal(0, empty.Reconstruct().Rows);

        var one = new SkeletonDecomposition(Matrix.FromArray(new double[,] { { -3 } }), 1);
        Assert.Equal(-3.0, one.Reconstruct()[0, 0], 1e-15);
        Assert.Equal(-3.0, SkeletonDecomposition.FromTruncatedSvd(Matrix.FromArray(new double[,] { { -3 } }), 1).Reconstruct()[0, 0], 1e-15);
    }

    [Fact]
    public void ZeroMatrixGivesRankZero()
    {
        var sk = new SkeletonDecomposition(new Matrix(4, 3), 2);
        Assert.Equal(0, sk.Rank);
        Assert.Equal(0.0, Frobenius(sk.Reconstruct()));
    }

    [Fact]
    public void RankAboveMinDimensionThrowsNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SkeletonDecomposition(new Matrix(3, 5), 4));
        Assert.Contains("3 x 5", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SkeletonDecomposition.FromTruncatedSvd(new Matrix(3, 5), 4));
    }

    [Fact]
    public void NegativeRankThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new SkeletonDecomposition(new Matrix(3, 5), -1));

    [Fact]
    public void NegativeToleranceThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new SkeletonDecomposition(Matrix.Identity(3), 1, -1.0));

    [Fact]
    public void NaNIsRejected()
    {
        var a = Matrix.Identity(3);
        a[1, 0] = double.NaN;
        Assert.Throws<ArgumentException>(() => new SkeletonDecomposition(a, 1));
        Assert.Throws<ArgumentException>(() => SkeletonDecomposition.FromTruncatedSvd(a, 1));
    }

    [Fact]
    public void NullThrows() => Assert.Throws<ArgumentNullException>(() => new SkeletonDecomposition(null!, 1));
}
