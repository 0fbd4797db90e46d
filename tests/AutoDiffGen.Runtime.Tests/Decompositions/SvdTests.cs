using System;
using System.Linq;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.SpectralTestMatrices;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class SvdTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (int n in new[] { 1, 2, 5, 10, 50, 200 })
        {
            data.Add("random", n, n);
        }

        foreach (var (m, n) in new[] { (7, 3), (3, 7), (1, 6), (6, 1), (60, 25), (25, 60), (200, 120), (120, 200) })
        {
            data.Add("random", m, n);
        }

        foreach (int n in new[] { 5, 10, 50 })
        {
            data.Add("hilbert", n, n);
            data.Add("diagonal", n, n);
            data.Add("rankDeficient", n, n);
            data.Add("singular", n, n);
        }

        // All ones: rank one, and the bidiagonal decays through the subnormal range, which once broke
        // reflector orthogonality and convergence.
        data.Add("ones", 33, 27);
        data.Add("ones", 27, 33);
        data.Add("rankDeficient", 40, 15);
        data.Add("rankDeficient", 15, 40);
        return data;
    }

    private static Matrix Make(string kind, int m, int n) => kind switch
    {
        "random" => Random(m, n, (31 * m) + n),
        "hilbert" => Hilbert(n),
        "diagonal" => Diagonal(Enumerable.Range(0, n).Select(i => Math.Pow(-1.9, i % 7) * (i + 1)).ToArray()),
        "rankDeficient" => RandomRank(m, n, Math.Max(1, Math.Min(m, n) / 3), 500 + m + n),
        "singular" => Singular(n, 600 + n),
        "ones" => Ones(m, n),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThinAndFullFactorsReconstructAndMatchReference(string kind, int m, int n)
    {
        var a = Make(kind, m, n);
        double normA = Frobenius(a);
        int big = Math.Max(m, n), k = Math.Min(m, n);
        var reference = ToMathNet(a).Svd(computeVectors: false).S.ToArray();

        foreach (bool full in new[] { false, true })
        {
            var svd = new SingularValueDecomposition(a, fullMatrices: full);
            var u = svd.U;
            var v = svd.V;
            Assert.Equal(full ? m : k, u.Columns);
            Assert.Equal(full ? n : k, v.Columns);
            Assert.Equal(m, u.Rows);
            Assert.Equal(n, v.Rows);

            var usvT = Multiply(Multiply(u, svd.S), Transpose(v));
            double residual = Frobenius(Subtract(a, usvT));
            Assert.True(residual / (big * normA * Eps) < 30, $"residual ratio {residual / (big * normA * Eps)} (full={full})");
            Assert.True(OrthogonalityError(u) / (m * Eps) < 30, $"U orthogonality ratio {OrthogonalityError(u) / (m * Eps)} (full={full})");
            Assert.True(OrthogonalityError(v) / (n * Eps) < 30, $"V orthogonality ratio {OrthogonalityError(v) / (n * Eps)} (full={full})");

            for (int i = 0; i < k; i++)
            {
                Assert.True(svd.SingularValues[i] >= 0.0);
                if (i > 0)
                {
                    Assert.True(svd.SingularValues[i - 1] >= svd.SingularValues[i], "singular values must be descending");
                }
            }

            AssertValuesMatch(reference, svd.SingularValues);

            // ||A||_F^2 = sum sigma_i^2, with ||A||_F from a plain loop.
            double sumSq = svd.SingularValues.ToArray().Sum(s => s * s);
            Assert.True(Math.Abs(sumSq - (normA * normA)) <= 1e-12 * normA * normA, $"Frobenius identity: {sumSq:R} vs {normA * normA:R}");
        }
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    [InlineData(1e-310)]
    public void ExtremeScalesNeitherOverflowNorUnderflow(double scale)
    {
        var a = Random(12, 9, 44);
        var scaled = a.Clone();
        for (int i = 0; i < scaled.Data.Length; i++)
        {
            scaled.Data[i] *= scale;
        }

        var reference = new SingularValueDecomposition(a);
        var svd = new SingularValueDecomposition(scaled);
        for (int i = 0; i < 9; i++)
        {
            // Subnormal inputs carry fewer significant bits (about 44 at 1e-310), so allow their rounding.
            double tol = scale < 1e-307 ? 1e-10 : 1e-12;
            Assert.Equal(reference.SingularValues[i], svd.SingularValues[i] / scale, tol);
        }
    }

    [Theory]
    [InlineData("hilbert", 200)]
    [InlineData("lowRank", 200)]
    [InlineData("graded", 60)]
    public void HardCasesConvergeWithSmallResidual(string kind, int n)
    {
        Matrix a = kind switch
        {
            "hilbert" => Hilbert(n),
            "lowRank" => RandomRank(n, n, 5, 8),
            _ => Graded(n),
        };
        var svd = new SingularValueDecomposition(a);
        double residual = Frobenius(Subtract(a, Multiply(Multiply(svd.U, svd.S), Transpose(svd.V))));
        Assert.True(residual / (n * Frobenius(a) * Eps) < 30, $"residual ratio {residual / (n * Frobenius(a) * Eps)}");
        Assert.True(OrthogonalityError(svd.U) / (n * Eps) < 30);
        Assert.True(OrthogonalityError(svd.V) / (n * Eps) < 30);
    }

    private static Matrix Ones(int m, int n)
    {
        var a = new Matrix(m, n);
        a.Data.Fill(1.0);
        return a;
    }

    // Rows scaled from 1 down to 1e-30: singular values spread over many orders of magnitude.
    private static Matrix Graded(int n)
    {
        var a = Random(n, n, 19);
        for (int i = 0; i < n; i++)
        {
            double f = Math.Pow(10, -30.0 * i / n);
            for (int j = 0; j < n; j++)
            {
                a[i, j] *= f;
            }
        }

        return a;
    }

    [Fact]
    public void DiagonalFourTwoHasSingularValuesFourAndTwo()
    {
        var svd = new SingularValueDecomposition(Diagonal(4, 2));
        Assert.Equal(4.0, svd.SingularValues[0], 1e-15);
        Assert.Equal(2.0, svd.SingularValues[1], 1e-15);
        Assert.Equal(4.0, svd.SpectralNorm, 1e-15);
        Assert.Equal(6.0, svd.NuclearNorm, 1e-15);
        Assert.Equal(2.0, svd.ConditionNumber, 1e-15);
        Assert.Equal(2, svd.Rank());
    }

    [Fact]
    public void NegativeAndUnorderedDiagonalGivesSortedAbsoluteValues()
    {
        var svd = new SingularValueDecomposition(Diagonal(-1, 3, -2));
        Assert.Equal(new[] { 3.0, 2.0, 1.0 }, svd.SingularValues.ToArray());
    }

    [Fact]
    public void ValuesOnlyMatchFullComputation()
    {
        var a = Random(20, 13, 3);
        var withVectors = new SingularValueDecomposition(a);
        var valuesOnly = new SingularValueDecomposition(a, computeVectors: false);
        Assert.False(valuesOnly.HasVectors);
        AssertValuesMatch(withVectors.SingularValues.ToArray(), valuesOnly.SingularValues);
    }

    [Theory]
    [InlineData(9, 6, 3)]
    [InlineData(6, 9, 3)]
    [InlineData(7, 7, 7)]
    public void PseudoInverseSatisfiesPenroseConditions(int m, int n, int r)
    {
        var a = RandomRank(m, n, r, 77 + m);
        var svd = new SingularValueDecomposition(a);
        Assert.Equal(r, svd.Rank());
        var p = svd.PseudoInverse();
        Assert.Equal(n, p.Rows);
        Assert.Equal(m, p.Columns);
        double scale = Frobenius(a) * Frobenius(p);
        double tol = 1e-12 * scale * scale;

        var ap = Multiply(a, p);
        var pa = Multiply(p, a);
        Assert.True(Frobenius(Subtract(Multiply(ap, a), a)) <= tol * Frobenius(a), "A A+ A = A");
        Assert.True(Frobenius(Subtract(Multiply(pa, p), p)) <= tol * Frobenius(p), "A+ A A+ = A+");
        Assert.True(Frobenius(Subtract(ap, Transpose(ap))) <= tol, "(A A+)^T = A A+");
        Assert.True(Frobenius(Subtract(pa, Transpose(pa))) <= tol, "(A+ A)^T = A+ A");
    }

    [Fact]
    public void PseudoInverseOfInvertibleMatrixIsTheInverse()
    {
        var a = Random(6, 6, 12);
        var p = new SingularValueDecomposition(a).PseudoInverse();
        var product = Multiply(a, p);
        for (int i = 0; i < 6; i++)
        {
            product[i, i] -= 1.0;
        }

        Assert.True(Frobenius(product) < 1e-12);
    }

    [Fact]
    public void RankHonoursExplicitTolerance()
    {
        var svd = new SingularValueDecomposition(Diagonal(1, 1e-3, 1e-9));
        Assert.Equal(3, svd.Rank());
        Assert.Equal(2, svd.Rank(1e-6));
        Assert.Equal(0, svd.Rank(2.0));
    }

    [Fact]
    public void ConditionNumberOfExactlySingularMatrixIsInfinite()
    {
        var a = Matrix.FromArray(new double[,] { { 1, 2, 0 }, { 3, 4, 0 }, { 5, 6, 0 } });
        var svd = new SingularValueDecomposition(a);
        Assert.Equal(double.PositiveInfinity, svd.ConditionNumber);
        Assert.Equal(2, svd.Rank());
    }

    [Fact]
    public void ConditionNumberOfNumericallySingularMatrixIsHuge()
    {
        var svd = new SingularValueDecomposition(Singular(8, 3));
        Assert.True(svd.ConditionNumber > 1e14, $"condition number {svd.ConditionNumber}");
        Assert.Equal(7, svd.Rank());
    }

    [Fact]
    public void ConditionNumberMatchesReference()
    {
        var a = Hilbert(6);
        var expected = ToMathNet(a).ConditionNumber();
        Assert.Equal(expected, new SingularValueDecomposition(a).ConditionNumber, expected * 1e-6);
    }

    [Fact]
    public void EmptyMatricesWork()
    {
        foreach (var (m, n) in new[] { (0, 0), (0, 3), (3, 0) })
        {
            var svd = new SingularValueDecomposition(new Matrix(m, n), fullMatrices: true);
            Assert.Equal(0, svd.SingularValues.Length);
            Assert.Equal(m, svd.U.Rows);
            Assert.Equal(m, svd.U.Columns);
            Assert.Equal(n, svd.V.Columns);
            Assert.Equal(0, svd.Rank());
            Assert.Equal(0.0, svd.SpectralNorm);
            Assert.Equal(0.0, svd.NuclearNorm);
            Assert.Equal(0.0, svd.ConditionNumber);
            Assert.Equal(n, svd.PseudoInverse().Rows);
            Assert.Equal(0.0, OrthogonalityError(svd.U));
        }
    }

    [Fact]
    public void OneByOneWorks()
    {
        var svd = new SingularValueDecomposition(Matrix.FromArray(new double[,] { { -2.5 } }));
        Assert.Equal(2.5, svd.SingularValues[0]);
        Assert.Equal(-2.5, svd.U[0, 0] * svd.V[0, 0] * 2.5);
        Assert.Equal(-0.4, svd.PseudoInverse()[0, 0], 1e-16);
    }

    [Fact]
    public void ZeroMatrixHasZeroSingularValuesAndInfiniteCondition()
    {
        var svd = new SingularValueDecomposition(new Matrix(3, 2), fullMatrices: true);
        Assert.Equal(new[] { 0.0, 0.0 }, svd.SingularValues.ToArray());
        Assert.Equal(double.PositiveInfinity, svd.ConditionNumber);
        Assert.Equal(0, svd.Rank());
        Assert.Equal(0.0, OrthogonalityError(svd.U));
    }

    [Fact]
    public void NullThrows() => Assert.Throws<ArgumentNullException>(() => new SingularValueDecomposition(null!));

    [Fact]
    public void NaNIsRejected()
    {
        var a = new Matrix(2, 3);
        a[1, 2] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => new SingularValueDecomposition(a));
        Assert.Contains("NaN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var a = new Matrix(3, 2);
        a[0, 1] = double.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => new SingularValueDecomposition(a));
    }

    [Fact]
    public void VectorsOfValuesOnlyDecompositionThrow()
    {
        var svd = new SingularValueDecomposition(Matrix.Identity(2), computeVectors: false);
        Assert.Throws<InvalidOperationException>(() => svd.U);
        Assert.Throws<InvalidOperationException>(() => svd.V);
        Assert.Throws<InvalidOperationException>(() => svd.PseudoInverse());
    }

    [Fact]
    public void NegativeToleranceThrows()
    {
        var svd = new SingularValueDecomposition(Matrix.Identity(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => svd.Rank(-1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => svd.Rank(double.NaN));
    }

    [Fact]
    public void NonConvergenceThrowsNamingTheLimit()
    {
        var ex = Assert.Throws<NoConvergenceException>(() => new SingularValueDecomposition(Random(5, 4, 1), false, true, 0));
        Assert.Equal(0, ex.IterationLimit);
        Assert.Contains("did not converge", ex.Message, StringComparison.Ordinal);
    }
}
