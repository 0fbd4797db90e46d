using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.FactorTestData;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class CholeskyTests
{
    private const double Bound = 30.0;

    /// <summary>||A - L L^T||_1 / (n ||A||_1 eps), the POTRF test ratio.</summary>
    private static double ReconstructionRatio(Matrix a, CholeskyDecomposition c)
    {
        var l = c.L;
        var diff = Subtract(a, Multiply(l, Transpose(l)));
        return Norm1(diff) / (Math.Max(1, a.Rows) * Norm1(a) * Eps);
    }

    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(200)]
    [InlineData(261)]
    public void RandomSpdReconstructsAndSolves(int n)
    {
        var a = RandomSpd(n, 3000 + n);
        var c = new CholeskyDecomposition(a);
        var l = c.L;
        for (int i = 0; i < n; i++)
        {
            Assert.True(l[i, i] > 0.0);
            for (int j = i + 1; j < n; j++)
            {
                Assert.Equal(0.0, l[i, j]);
            }
        }

        Assert.True(ReconstructionRatio(a, c) < Bound, $"reconstruction ratio {ReconstructionRatio(a, c)}");

        var b = RandomVector(n, 11 + n);
        var x = new double[n];
        c.Solve(b, x);
        Assert.True(SolveRatio(a, x, b) < Bound, $"vector solve ratio {SolveRatio(a, x, b)}");

        var bm = Random(n, 4, 17 + n);
        var xm = c.Solve(bm);
        Assert.True(SolveRatio(a, xm, bm) < Bound, $"matrix solve ratio {SolveRatio(a, xm, bm)}");

        var inv = c.Inverse();
        Assert.True(SolveRatio(a, inv, Matrix.Identity(n)) < Bound, $"inverse ratio {SolveRatio(a, inv, Matrix.Identity(n))}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(200)]
    public void LogDeterminantMatchesMathNet(int n)
    {
        // The product form overflows for n = 200 (det is about 1e485), so it is checked only up to 50.
        var a = RandomSpd(n, 4000 + n);
        var reference = ToMathNet(a);
        double expectedLog = reference.Cholesky().DeterminantLn;
        var c = new CholeskyDecomposition(a);
        AssertRelative(expectedLog, c.LogDeterminant, 1e-10);
        if (n <= 50)
        {
            AssertRelative(reference.Determinant(), c.Determinant, 1e-10);
        }
    }

    [Fact]
    public void OnlyTheLowerTriangleIsRead()
    {
        var a = RandomSpd(140, 21);
        var expected = new CholeskyDecomposition(a).L;

        // Garbage, even NaN, above the diagonal changes nothing.
        var junk = a.Clone();
        for (int i = 0; i < 140; i++)
        {
            for (int j = i + 1; j < 140; j++)
            {
                junk[i, j] = (i + j) % 7 == 0 ? double.NaN : -1e6;
            }
        }

        var actual = new CholeskyDecomposition(junk).L;
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
    }

    [Fact]
    public void TwoByTwoHasDeterminantFive()
    {
        var a = Matrix.FromArray(new double[,] { { 2, 1 }, { 1, 3 } });
        var c = a.Cholesky();

        // L = [sqrt 2, 0; 1/sqrt 2, sqrt(5/2)].
        Assert.Equal(Math.Sqrt(2.0), c.L[0, 0], 15);
        Assert.Equal(1.0 / Math.Sqrt(2.0), c.L[1, 0], 15);
        Assert.Equal(Math.Sqrt(2.5), c.L[1, 1], 15);
        Assert.Equal(5.0, c.Determinant, 14);
        Assert.Equal(Math.Log(5.0), c.LogDeterminant, 14);
        var x = new double[2];
        c.Solve(new double[] { 3.0, 4.0 }, x);
        Assert.Equal(1.0, x[0], 14);
        Assert.Equal(1.0, x[1], 14);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    public void HilbertFactors(int n)
    {
        // cond(H_8) is about 1.5e10, still positive definite in floating point.
        var h = Hilbert(n);
        var c = new CholeskyDecomposition(h);
        Assert.True(ReconstructionRatio(h, c) < Bound);
        var b = RandomVector(n, 5);
        var x = new double[n];
        c.Solve(b, x);
        Assert.True(SolveRatio(h, x, b) < Bound, $"ratio {SolveRatio(h, x, b)}");
        if (n == 5)
        {
            AssertRelative(1.0 / 266716800000.0, c.Determinant, 1e-9);
        }
    }

    [Fact]
    public void DiagonalHasSquareRootFactor()
    {
        var c = Diagonal(4.0, 9.0, 0.25).Cholesky();
        Assert.Equal(new[] { 2.0, 0, 0, 0, 3.0, 0, 0, 0, 0.5 }, c.L.Data.ToArray());
        Assert.Equal(9.0, c.Determinant);
        var inv = c.Inverse();
        Assert.Equal(0.25, inv[0, 0]);
        Assert.Equal(4.0, inv[2, 2]);
    }

    [Fact]
    public void IndefiniteThrowsWithPivotAndValue()
    {
        // Leading minor 1 is positive; the second pivot is 1 - 2^2 = -3.
        var a = Matrix.FromArray(new double[,] { { 1, 2 }, { 2, 1 } });
        var ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => new CholeskyDecomposition(a));
        Assert.Equal(1, ex.Pivot);
        Assert.Equal(-3.0, ex.Value);

        var negative = Matrix.FromArray(new double[,] { { -1, 0 }, { 0, 1 } });
        Assert.Equal(0, Assert.Throws<MatrixNotPositiveDefiniteException>(() => negative.Cholesky()).Pivot);
    }

    [Fact]
    public void SemidefiniteThrowsOnTheZeroPivot()
    {
        // Rank one: the second pivot is exactly 1 - 1 = 0, which is not positive.
        var a = Matrix.FromArray(new double[,] { { 1, 1 }, { 1, 1 } });
        var ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => a.Cholesky());
        Assert.Equal(1, ex.Pivot);
        Assert.Equal(0.0, ex.Value);
    }

    [Fact]
    public void FailingPivotInsideALaterBlockIsReported()
    {
        // The leading 150 x 150 minor is untouched, so the first failure is exactly at pivot 150.
        var a = RandomSpd(200, 8);
        a[150, 150] = -5.0;
        var ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => new CholeskyDecomposition(a));
        Assert.Equal(150, ex.Pivot);
        Assert.True(ex.Value < -5.0);
    }

    [Fact]
    public void EmptyAndOneByOne()
    {
        var c0 = new CholeskyDecomposition(new Matrix(0, 0));
        Assert.Equal(1.0, c0.Determinant);
        Assert.Equal(0.0, c0.LogDeterminant);
        Assert.Equal(0, c0.Inverse().Rows);
        c0.Solve(ReadOnlySpan<double>.Empty, Span<double>.Empty);

        var c1 = Matrix.FromArray(new double[,] { { 4.0 } }).Cholesky();
        Assert.Equal(2.0, c1.L[0, 0]);
        Assert.Equal(4.0, c1.Determinant);
        Assert.Equal(Math.Log(4.0), c1.LogDeterminant, 15);
        Assert.Equal(0.25, c1.Inverse()[0, 0]);
    }

    [Fact]
    public void NonSquareIsRejectedNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CholeskyDecomposition(new Matrix(4, 2)));
        Assert.Contains("4 x 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RightHandSideMismatchNamesBothShapes()
    {
        var c = RandomSpd(3, 1).Cholesky();
        var ex = Assert.Throws<ArgumentException>(() => c.Solve(new Matrix(5, 2)));
        Assert.Contains("3 x 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("5 x 2", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => c.Solve(new double[3], new double[1]));
        Assert.Contains("3 x 3", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("length 1", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNIsRejected()
    {
        var a = RandomSpd(3, 1);
        a[2, 1] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => a.Cholesky());
        Assert.Contains("NaN at (2, 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var a = RandomSpd(3, 1);
        a[1, 1] = double.PositiveInfinity;
        var ex = Assert.Throws<ArgumentException>(() => a.Cholesky());
        Assert.Contains("at (1, 1)", ex.Message, StringComparison.Ordinal);
    }
}
