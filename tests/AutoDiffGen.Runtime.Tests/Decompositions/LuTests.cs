using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.FactorTestData;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class LuTests
{
    private const double Bound = 30.0;

    /// <summary>||P A - L U||_1 / (n ||A||_1 eps), the GETRF test ratio.</summary>
    private static double ReconstructionRatio(Matrix a, LuDecomposition lu)
    {
        var pa = Multiply(lu.P, a);
        var diff = Subtract(pa, Multiply(lu.L, lu.U));
        double norm = Norm1(a);
        return norm == 0.0 ? Norm1(diff) : Norm1(diff) / (Math.Max(1, a.Rows) * norm * Eps);
    }

    private static void AssertFactorShape(LuDecomposition lu)
    {
        var l = lu.L;
        var u = lu.U;
        for (int i = 0; i < lu.Order; i++)
        {
            Assert.Equal(1.0, l[i, i]);
            for (int j = i + 1; j < lu.Order; j++)
            {
                Assert.Equal(0.0, l[i, j]);
                Assert.Equal(0.0, u[j, i]);

                // Partial pivoting bounds every multiplier by 1.
                Assert.True(Math.Abs(l[j, i]) <= 1.0);
            }
        }
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
    public void RandomMatrixReconstructsAndSolves(int n)
    {
        var a = Random(n, n, 1000 + n);
        var lu = new LuDecomposition(a);
        Assert.False(lu.IsSingular);
        AssertFactorShape(lu);
        Assert.True(ReconstructionRatio(a, lu) < Bound, $"reconstruction ratio {ReconstructionRatio(a, lu)}");

        var b = RandomVector(n, 7 + n);
        var x = new double[n];
        lu.Solve(b, x);
        Assert.True(SolveRatio(a, x, b) < Bound, $"vector solve ratio {SolveRatio(a, x, b)}");

        var bm = Random(n, 3, 9 + n);
        var xm = lu.Solve(bm);
        Assert.True(SolveRatio(a, xm, bm) < Bound, $"matrix solve ratio {SolveRatio(a, xm, bm)}");

        var inv = lu.Inverse();
        Assert.True(SolveRatio(a, inv, Matrix.Identity(n)) < Bound, $"inverse ratio {SolveRatio(a, inv, Matrix.Identity(n))}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(200)]
    public void DeterminantMatchesMathNet(int n)
    {
        var a = Random(n, n, 2000 + n);
        double expected = ToMathNet(a).Determinant();
        var lu = new LuDecomposition(a);
        AssertRelative(expected, lu.Determinant, 1e-10);
        AssertRelative(Math.Log(Math.Abs(expected)), lu.LogAbsDeterminant, 1e-10);
        Assert.Equal(Math.Sign(expected), lu.DeterminantSign);
        AssertRelative(expected, a.Determinant(), 1e-10);
        double logAbs = a.LogDeterminant(out int sign);
        Assert.Equal(Math.Sign(expected), sign);
        AssertRelative(Math.Log(Math.Abs(expected)), logAbs, 1e-10);
    }

    [Fact]
    public void PermutationMatchesPivots()
    {
        var a = Random(20, 20, 31);
        var lu = new LuDecomposition(a);
        int[] perm = lu.Permutation;
        var l = lu.L;
        var u = lu.U;
        var product = Multiply(l, u);

        // Row i of P A is row perm[i] of A.
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                Assert.Equal(a[perm[i], j], product[i, j], 1e-13);
            }
        }

        for (int i = 0; i < 20; i++)
        {
            Assert.InRange(lu.Pivots[i], i, 19);
        }
    }

    [Fact]
    public void TwoByTwoHasDeterminantAndTraceFive()
    {
        var a = Matrix.FromArray(new double[,] { { 2, 1 }, { 1, 3 } });
        var lu = new LuDecomposition(a);

        // |2| > |1|, so no interchange: L = [1 0; 0.5 1], U = [2 1; 0 2.5].
        Assert.Equal(0, lu.Pivots[0]);
        Assert.Equal(0.5, lu.L[1, 0]);
        Assert.Equal(2.5, lu.U[1, 1]);
        Assert.Equal(5.0, lu.Determinant, 14);
        Assert.Equal(5.0, a.Determinant(), 14);
        var lu2 = Multiply(lu.L, lu.U);
        Assert.Equal(5.0, lu2[0, 0] + lu2[1, 1], 14);
        Assert.Equal(Math.Log(5.0), a.LogDeterminant(out int sign), 14);
        Assert.Equal(1, sign);

        // Inverse in closed form: [3 -1; -1 2] / 5.
        var inv = a.Inverse();
        Assert.Equal(0.6, inv[0, 0], 15);
        Assert.Equal(-0.2, inv[0, 1], 15);
        Assert.Equal(0.4, inv[1, 1], 15);

        // The interchanged case: det [[1,3],[2,1]] = -5 with one swap.
        var swapped = Matrix.FromArray(new double[,] { { 1, 3 }, { 2, 1 } });
        var luS = swapped.Lu();
        Assert.Equal(1, luS.Pivots[0]);
        Assert.Equal(-5.0, luS.Determinant, 14);
        Assert.Equal(-1, luS.DeterminantSign);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(12)]
    public void HilbertIsBackwardStable(int n)
    {
        // cond(H_12) is about 1.7e16: the forward error is large, but LU with partial pivoting is
        // backward stable, so the reconstruction and residual ratios stay small.
        var h = Hilbert(n);
        var lu = new LuDecomposition(h);
        Assert.True(ReconstructionRatio(h, lu) < Bound);
        var b = RandomVector(n, 3);
        var x = new double[n];
        lu.Solve(b, x);
        Assert.True(SolveRatio(h, x, b) < Bound, $"ratio {SolveRatio(h, x, b)}");
        Assert.True(lu.Determinant > 0.0);
        if (n == 5)
        {
            // det(H_5) = 1 / 266716800000 exactly.
            AssertRelative(1.0 / 266716800000.0, lu.Determinant, 1e-9);
        }
    }

    [Fact]
    public void DiagonalMatrixFactorsTrivially()
    {
        var d = Diagonal(3.0, -2.0, 0.5, 4.0);
        var lu = d.Lu();
        Assert.Equal(-12.0, lu.Determinant);
        Assert.Equal(-1, lu.DeterminantSign);
        Assert.Equal(Math.Log(12.0), lu.LogAbsDeterminant, 14);
        var x = d.Solve(new double[] { 3.0, 4.0, 1.0, -8.0 });
        Assert.Equal(new[] { 1.0, -2.0, 2.0, -2.0 }, x);
    }

    [Fact]
    public void RankDeficientMatrixStillReconstructs()
    {
        var a = RankDeficient(40, 40, 25, 77);
        var lu = new LuDecomposition(a);
        Assert.True(ReconstructionRatio(a, lu) < Bound);

        // Fifteen of the forty pivots are rounding-level relative to the largest.
        var u = lu.U;
        int tiny = 0;
        for (int i = 0; i < 40; i++)
        {
            if (Math.Abs(u[i, i]) < 1e-10)
            {
                tiny++;
            }
        }

        Assert.Equal(15, tiny);
    }

    [Fact]
    public void ExactlySingularHasZeroDeterminantAndFactors()
    {
        // Row 1 is twice row 0, so the second elimination step leaves an exact zero pivot.
        var a = Matrix.FromArray(new double[,] { { 1, 2, 3 }, { 2, 4, 6 }, { 1, 0, 1 } });
        var lu = new LuDecomposition(a);
        Assert.True(lu.IsSingular);
        Assert.Equal(0.0, lu.Determinant);
        Assert.Equal(0.0, a.Determinant());
        Assert.Equal(0, lu.DeterminantSign);
        Assert.Equal(double.NegativeInfinity, lu.LogAbsDeterminant);
        Assert.True(ReconstructionRatio(a, lu) < Bound);
    }

    [Fact]
    public void SolveOnSingularThrowsWithPivot()
    {
        var a = Matrix.FromArray(new double[,] { { 1, 2 }, { 2, 4 } });
        var lu = new LuDecomposition(a);
        var ex = Assert.Throws<SingularMatrixException>(() => lu.Solve(new double[] { 1, 2 }, new double[2]));
        Assert.Equal(1, ex.Pivot);
        Assert.Throws<SingularMatrixException>(() => lu.Solve(Matrix.Identity(2)));
        Assert.Throws<SingularMatrixException>(() => a.Solve(new double[] { 1, 2 }));
    }

    [Fact]
    public void InverseOnSingularThrowsWithPivot()
    {
        // A zero first column: the very first pivot is zero.
        var a = Matrix.FromArray(new double[,] { { 0, 1, 2 }, { 0, 3, 4 }, { 0, 5, 7 } });
        var ex = Assert.Throws<SingularMatrixException>(() => new LuDecomposition(a).Inverse());
        Assert.Equal(0, ex.Pivot);
        Assert.Contains("pivot 0", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SingularMatrixException>(() => a.Inverse());
    }

    [Fact]
    public void SingularPivotFoundInsideLaterBlock()
    {
        // A zero column stays exactly zero under every row operation, so step 150 (in the second
        // 128-wide block) meets an exactly zero pivot column.
        var a = Random(200, 200, 5);
        for (int i = 0; i < 200; i++)
        {
            a[i, 150] = 0.0;
        }

        var lu = new LuDecomposition(a);
        Assert.True(lu.IsSingular);
        Assert.Equal(0.0, lu.Determinant);
        var ex = Assert.Throws<SingularMatrixException>(() => lu.Inverse());
        Assert.Equal(150, ex.Pivot);
    }

    [Fact]
    public void EmptyAndOneByOne()
    {
        var empty = new Matrix(0, 0);
        var lu0 = new LuDecomposition(empty);
        Assert.Equal(1.0, lu0.Determinant);
        Assert.Equal(0.0, lu0.LogAbsDeterminant);
        Assert.Equal(1, lu0.DeterminantSign);
        Assert.Empty(empty.Solve(ReadOnlySpan<double>.Empty));
        Assert.Equal(0, lu0.Inverse().Rows);
        Assert.Equal(0, lu0.Solve(new Matrix(0, 2)).Rows);
        Assert.Equal(1.0, empty.Determinant());

        var one = Matrix.FromArray(new double[,] { { 4.0 } });
        Assert.Equal(4.0, one.Determinant());
        Assert.Equal(new[] { 2.0 }, one.Solve(new double[] { 8.0 }));
        Assert.Equal(0.25, one.Inverse()[0, 0]);

        var zero = new Matrix(1, 1);
        Assert.Equal(0.0, zero.Determinant());
        Assert.Equal(0, Assert.Throws<SingularMatrixException>(() => zero.Inverse()).Pivot);
    }

    [Fact]
    public void SolveAllowsAliasedInputAndOutput()
    {
        var a = Random(7, 7, 12);
        var b = RandomVector(7, 13);
        var x = (double[])b.Clone();
        var lu = a.Lu();
        lu.Solve(x, x);
        Assert.True(SolveRatio(a, x, b) < Bound);
    }

    [Fact]
    public void NonSquareIsRejectedNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LuDecomposition(new Matrix(2, 3)));
        Assert.Contains("2 x 3", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => new Matrix(3, 2).Determinant());
        Assert.Contains("3 x 2", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VectorRightHandSideMismatchNamesBothShapes()
    {
        var lu = Random(3, 3, 1).Lu();
        var ex = Assert.Throws<ArgumentException>(() => lu.Solve(new double[2], new double[3]));
        Assert.Contains("3 x 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("length 2", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => Random(3, 3, 1).Solve(new double[4]));
        Assert.Contains("3 x 3", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("length 4", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatrixRightHandSideMismatchNamesBothShapes()
    {
        var a = Random(3, 3, 1);
        var ex = Assert.Throws<ArgumentException>(() => a.Lu().Solve(new Matrix(2, 5)));
        Assert.Contains("3 x 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 x 5", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => a.Solve(new Matrix(4, 1)));
        Assert.Contains("3 x 3", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("4 x 1", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNIsRejected()
    {
        var a = Random(3, 3, 2);
        a[1, 2] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => new LuDecomposition(a));
        Assert.Contains("NaN at (1, 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var a = Random(3, 3, 2);
        a[2, 0] = double.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => new LuDecomposition(a));
        Assert.Throws<ArgumentException>(() => a.Determinant());
    }
}
