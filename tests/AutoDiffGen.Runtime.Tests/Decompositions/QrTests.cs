using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.FactorTestData;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class QrTests
{
    private const double Bound = 30.0;

    /// <summary>||A - Q R||_1 / (m ||A||_1 eps), the GEQRF test ratio.</summary>
    private static double ReconstructionRatio(Matrix a, QrDecomposition qr)
    {
        var diff = Subtract(a, Multiply(qr.Q, qr.R));
        double norm = Norm1(a);
        return norm == 0.0 ? Norm1(diff) : Norm1(diff) / (Math.Max(1, a.Rows) * norm * Eps);
    }

    private static void AssertChecks(Matrix a, QrDecomposition qr)
    {
        Assert.Equal(a.Rows, qr.Q.Rows);
        Assert.Equal(a.Columns, qr.Q.Columns);
        Assert.Equal(a.Columns, qr.R.Rows);
        var r = qr.R;
        for (int i = 0; i < r.Rows; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(0.0, r[i, j]);
            }
        }

        Assert.True(ReconstructionRatio(a, qr) < Bound, $"reconstruction ratio {ReconstructionRatio(a, qr)}");
        Assert.True(OrthogonalityRatio(qr.Q) < Bound, $"thin orthogonality ratio {OrthogonalityRatio(qr.Q)}");
        var full = qr.FullQ;
        Assert.True(OrthogonalityRatio(full) < Bound, $"full orthogonality ratio {OrthogonalityRatio(full)}");

        // The first n columns of the full Q are the thin Q.
        var thin = qr.Q;
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Columns; j++)
            {
                Assert.Equal(thin[i, j], full[i, j], 14);
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 3)]
    [InlineData(5, 5)]
    [InlineData(10, 10)]
    [InlineData(50, 20)]
    [InlineData(50, 50)]
    [InlineData(200, 50)]
    [InlineData(200, 200)]
    public void RandomMatrixReconstructsAndIsOrthogonal(int m, int n)
    {
        var a = Random(m, n, (100 * m) + n);
        AssertChecks(a, new QrDecomposition(a));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(10, 4)]
    [InlineData(50, 20)]
    [InlineData(120, 30)]
    public void LeastSquaresMatchesMathNet(int m, int n)
    {
        var a = Random(m, n, 7 * m);
        var b = RandomVector(m, 9 * n);
        var qr = a.Qr();
        var x = new double[n];
        qr.Solve(b, x);

        var expected = ToMathNet(a).QR().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(b));
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(expected[i] - x[i]) <= 1e-10 * Math.Max(1.0, Math.Abs(expected[i])), $"x[{i}] = {x[i]} vs {expected[i]}");
        }

        // Optimality: the residual is orthogonal to the columns, ||A^T (A x - b)|| small relative to ||A||^2 ||x||.
        var r = Multiply(a, x);
        for (int i = 0; i < m; i++)
        {
            r[i] -= b[i];
        }

        var atr = Multiply(Transpose(a), r);
        double ratio = Norm1(atr) / (Norm1(a) * Norm1(a) * Math.Max(Norm1(x), Norm1(b)) * m * Eps);
        Assert.True(ratio < Bound, $"normal-equation ratio {ratio}");

        // A matrix of right-hand sides gives the same columns.
        var bm = new Matrix(m, 2);
        for (int i = 0; i < m; i++)
        {
            bm[i, 0] = b[i];
            bm[i, 1] = 2.0 * b[i];
        }

        var xm = qr.Solve(bm);
        Assert.Equal(n, xm.Rows);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i], xm[i, 0], 12);
            Assert.Equal(2.0 * x[i], xm[i, 1], 12);
        }
    }

    [Fact]
    public void SquareSolveIsExact()
    {
        var a = Random(30, 30, 44);
        var b = RandomVector(30, 45);
        var x = new double[30];
        a.Qr().Solve(b, x);
        Assert.True(SolveRatio(a, x, b) < Bound, $"ratio {SolveRatio(a, x, b)}");
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(12, 6)]
    public void HilbertIsBackwardStable(int m, int n)
    {
        var h = new Matrix(m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                h[i, j] = 1.0 / (i + j + 1);
            }
        }

        AssertChecks(h, new QrDecomposition(h));
    }

    [Fact]
    public void DiagonalHasTrivialFactors()
    {
        var d = Diagonal(3.0, -2.0, 5.0);
        var qr = d.Qr();

        // Nothing below the diagonal: every reflector is the identity and R = D.
        Assert.Equal(d.Data.ToArray(), qr.R.Data.ToArray());
        Assert.Equal(Matrix.Identity(3).Data.ToArray(), qr.Q.Data.ToArray());
    }

    [Fact]
    public void RankDeficientStillReconstructs()
    {
        var a = RankDeficient(90, 70, 20, 3);
        var qr = new QrDecomposition(a);
        AssertChecks(a, qr);

        // Rank 20: R[k, k] for k >= 20 is at rounding level relative to R[0, 0].
        var r = qr.R;
        for (int k = 20; k < 70; k++)
        {
            Assert.True(Math.Abs(r[k, k]) < 1e-12 * Math.Abs(r[0, 0]), $"R[{k},{k}] = {r[k, k]}");
        }
    }

    [Fact]
    public void ExactlyRankDeficientSolveThrowsWithColumn()
    {
        // The second column repeats the first, and the first has nothing below its diagonal,
        // so H_0 = I and R[1, 1] is exactly zero.
        var a = Matrix.FromArray(new double[,] { { 1, 1 }, { 0, 0 }, { 0, 0 } });
        var qr = new QrDecomposition(a);
        Assert.False(qr.IsFullRank);
        Assert.True(ReconstructionRatio(a, qr) < Bound);
        var ex = Assert.Throws<RankDeficientMatrixException>(() => qr.Solve(new double[] { 1, 2, 3 }, new double[2]));
        Assert.Equal(1, ex.Column);
        Assert.Throws<RankDeficientMatrixException>(() => qr.Solve(new Matrix(3, 1)));

        // A zero column makes the first reflector trivial and R[0, 0] zero.
        var zeroColumn = Matrix.FromArray(new double[,] { { 0, 1 }, { 0, 2 }, { 0, 3 } });
        Assert.Equal(0, Assert.Throws<RankDeficientMatrixException>(() => zeroColumn.Qr().Solve(new Matrix(3, 1))).Column);
    }

    [Fact]
    public void ZeroColumnInALaterPanelIsReported()
    {
        // A zero column stays exactly zero under every reflector, so R[60, 60] is exactly zero
        // (column 60 lies in the second 48-wide panel, reached through the blocked update).
        var a = Random(80, 70, 6);
        for (int i = 0; i < 80; i++)
        {
            a[i, 60] = 0.0;
        }

        var qr = new QrDecomposition(a);
        AssertChecks(a, qr);
        Assert.Equal(0.0, qr.R[60, 60]);
        var ex = Assert.Throws<RankDeficientMatrixException>(() => qr.Solve(new double[80], new double[70]));
        Assert.Equal(60, ex.Column);
        Assert.Contains("R[60, 60]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WideMatrixIsRejectedNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QrDecomposition(new Matrix(2, 3)));
        Assert.Contains("2 x 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RightHandSideMismatchNamesBothShapes()
    {
        var qr = Random(5, 3, 1).Qr();
        var ex = Assert.Throws<ArgumentException>(() => qr.Solve(new Matrix(4, 2)));
        Assert.Contains("5 x 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4 x 2", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => qr.Solve(new double[4], new double[3]));
        Assert.Contains("5 x 3", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("length 4", ex2.Message, StringComparison.Ordinal);
        var ex3 = Assert.Throws<ArgumentException>(() => qr.Solve(new double[5], new double[5]));
        Assert.Contains("length 5", ex3.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyAndOneByOne()
    {
        var q0 = new QrDecomposition(new Matrix(0, 0));
        Assert.Equal(0, q0.Q.Rows);
        Assert.Equal(0, q0.R.Rows);
        q0.Solve(ReadOnlySpan<double>.Empty, Span<double>.Empty);
        Assert.Equal(0, q0.Solve(new Matrix(0, 3)).Rows);

        // m x 0: no reflectors, the full Q is the identity.
        var tall = new QrDecomposition(new Matrix(3, 0));
        Assert.Equal(Matrix.Identity(3).Data.ToArray(), tall.FullQ.Data.ToArray());
        Assert.Equal(0, tall.Q.Columns);

        var one = Matrix.FromArray(new double[,] { { -4.0 } }).Qr();
        Assert.Equal(-4.0, one.Q[0, 0] * one.R[0, 0], 15);
        var x = new double[1];
        one.Solve(new double[] { 8.0 }, x);
        Assert.Equal(-2.0, x[0], 15);
    }

    [Fact]
    public void NaNIsRejected()
    {
        var a = Random(4, 2, 3);
        a[3, 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => new QrDecomposition(a));
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var a = Random(4, 2, 3);
        a[0, 0] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => a.Qr());
    }
}
