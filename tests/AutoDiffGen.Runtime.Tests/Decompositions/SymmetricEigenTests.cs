using System;
using System.Linq;
using AutoDiffGen.LinearAlgebra;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Decompositions.SpectralTestMatrices;

namespace AutoDiffGen.Runtime.Tests.Decompositions;

public class SymmetricEigenTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (int n in new[] { 1, 2, 5, 10, 50, 200 })
        {
            data.Add("random", n);
        }

        foreach (int n in new[] { 5, 10, 50 })
        {
            data.Add("hilbert", n);
            data.Add("diagonal", n);
            data.Add("rankDeficient", n);
            data.Add("singular", n);
        }

        data.Add("ones", 30);
        return data;
    }

    private static Matrix Make(string kind, int n) => kind switch
    {
        "random" => RandomSymmetric(n, 100 + n),
        "hilbert" => Hilbert(n),
        "diagonal" => Diagonal(Enumerable.Range(0, n).Select(i => Math.Pow(-1.7, i)).ToArray()),
        "rankDeficient" => SymmetricRank(n, Math.Max(1, n / 3), 300 + n),
        "singular" => SymmetricSingular(n),
        "ones" => Ones(n),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Matrix Ones(int n)
    {
        var a = new Matrix(n, n);
        a.Data.Fill(1.0);
        return a;
    }

    // Symmetric and exactly singular: B^T B with B having a zero column, so row/column 0 vanish.
    private static Matrix SymmetricSingular(int n)
    {
        var s = RandomSymmetric(n, 400 + n);
        for (int i = 0; i < n; i++)
        {
            s[0, i] = 0.0;
            s[i, 0] = 0.0;
        }

        return s;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResidualOrthogonalityAndValuesMatchReference(string kind, int n)
    {
        var a = Make(kind, n);
        var eig = new SymmetricEigenDecomposition(a);
        var q = eig.Eigenvectors;
        var lambda = eig.D;
        double normA = Frobenius(a);

        double residual = Frobenius(Subtract(Multiply(a, q), Multiply(q, lambda)));
        Assert.True(residual / (n * normA * Eps) < 30, $"residual ratio {residual / (n * normA * Eps)}");
        double orth = OrthogonalityError(q);
        Assert.True(orth / (n * Eps) < 30, $"orthogonality ratio {orth / (n * Eps)}");

        for (int i = 1; i < n; i++)
        {
            Assert.True(eig.Eigenvalues[i - 1] >= eig.Eigenvalues[i], "eigenvalues must be descending");
        }

        var reference = ToMathNet(a).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric)
            .EigenValues.Select(z => z.Real).OrderByDescending(x => x).ToArray();
        AssertValuesMatch(reference, eig.Eigenvalues);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    [InlineData(1e-310)]
    public void ExtremeScalesNeitherOverflowNorUnderflow(double scale)
    {
        var a = RandomSymmetric(12, 45);
        var scaled = a.Clone();
        for (int i = 0; i < scaled.Data.Length; i++)
        {
            scaled.Data[i] *= scale;
        }

        var reference = new SymmetricEigenDecomposition(a);
        var eig = new SymmetricEigenDecomposition(scaled);
        for (int i = 0; i < 12; i++)
        {
            // Subnormal inputs carry fewer significant bits (about 44 at 1e-310), so allow their rounding.
            Assert.Equal(reference.Eigenvalues[i], eig.Eigenvalues[i] / scale, scale < 1e-307 ? 1e-10 : 1e-12);
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
            "lowRank" => SymmetricRank(n, 5, 8),
            _ => GradedSymmetric(n),
        };
        var eig = new SymmetricEigenDecomposition(a);
        var q = eig.Eigenvectors;
        double residual = Frobenius(Subtract(Multiply(a, q), Multiply(q, eig.D)));
        Assert.True(residual / (n * Frobenius(a) * Eps) < 30, $"residual ratio {residual / (n * Frobenius(a) * Eps)}");
        Assert.True(OrthogonalityError(q) / (n * Eps) < 30);
    }

    // D S D with D = diag(10^(-15 i / n)): entries spread over 30 orders of magnitude.
    private static Matrix GradedSymmetric(int n)
    {
        var a = RandomSymmetric(n, 23);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] *= Math.Pow(10, -15.0 * (i + j) / n);
            }
        }

        return a;
    }

    [Fact]
    public void ValuesOnlyMatchesFullComputation()
    {
        var a = RandomSymmetric(30, 7);
        var full = new SymmetricEigenDecomposition(a);
        var valuesOnly = new SymmetricEigenDecomposition(a, computeEigenvectors: false);
        Assert.False(valuesOnly.HasEigenvectors);
        AssertValuesMatch(full.Eigenvalues.ToArray(), valuesOnly.Eigenvalues);
    }

    [Fact]
    public void TwoByTwoHasClosedFormEigenvalues()
    {
        var eig = new SymmetricEigenDecomposition(Matrix.FromArray(new double[,] { { 2, 1 }, { 1, 3 } }));
        Assert.Equal((5 + Math.Sqrt(5)) / 2, eig.Eigenvalues[0], 1e-14);
        Assert.Equal((5 - Math.Sqrt(5)) / 2, eig.Eigenvalues[1], 1e-14);
    }

    [Fact]
    public void OnlyTheLowerTriangleIsRead()
    {
        // The upper triangle holds garbage; the result must be that of the symmetric matrix built from the lower one.
        var lowerOnly = Matrix.FromArray(new double[,] { { 2, 99 }, { 1, 3 } });
        var eig = new SymmetricEigenDecomposition(lowerOnly);
        Assert.Equal((5 + Math.Sqrt(5)) / 2, eig.Eigenvalues[0], 1e-14);
        Assert.Equal((5 - Math.Sqrt(5)) / 2, eig.Eigenvalues[1], 1e-14);
    }

    [Fact]
    public void RepeatedEigenvaluesStillGiveOrthonormalVectors()
    {
        // I + u u^T has eigenvalue 1 with multiplicity n - 1.
        int n = 12;
        var u = Random(n, 1, 5);
        var a = Multiply(u, Transpose(u));
        for (int i = 0; i < n; i++)
        {
            a[i, i] += 1.0;
        }

        var eig = new SymmetricEigenDecomposition(a);
        Assert.True(OrthogonalityError(eig.Eigenvectors) / (n * Eps) < 30);
        Assert.Equal(1.0 + Frobenius(u) * Frobenius(u), eig.Eigenvalues[0], 1e-12);
        for (int i = 1; i < n; i++)
        {
            Assert.Equal(1.0, eig.Eigenvalues[i], 1e-13);
        }
    }

    [Fact]
    public void EmptyMatrixWorks()
    {
        var eig = new SymmetricEigenDecomposition(new Matrix(0, 0));
        Assert.Equal(0, eig.Eigenvalues.Length);
        Assert.Equal(0, eig.Eigenvectors.Rows);
    }

    [Fact]
    public void OneByOneWorks()
    {
        var eig = new SymmetricEigenDecomposition(Matrix.FromArray(new double[,] { { -3.5 } }));
        Assert.Equal(-3.5, eig.Eigenvalues[0]);
        Assert.Equal(1.0, Math.Abs(eig.Eigenvectors[0, 0]));
    }

    [Fact]
    public void ZeroMatrixHasZeroEigenvaluesAndIdentityVectors()
    {
        var eig = new SymmetricEigenDecomposition(new Matrix(4, 4));
        Assert.All(eig.Eigenvalues.ToArray(), v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, OrthogonalityError(eig.Eigenvectors));
    }

    [Fact]
    public void NonSquareThrowsNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SymmetricEigenDecomposition(new Matrix(2, 3)));
        Assert.Contains("2 x 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullThrows() => Assert.Throws<ArgumentNullException>(() => new SymmetricEigenDecomposition(null!));

    [Fact]
    public void NaNIsRejected()
    {
        var a = Matrix.Identity(3);
        a[2, 1] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => new SymmetricEigenDecomposition(a));
        Assert.Contains("NaN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var a = Matrix.Identity(3);
        a[0, 0] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => new SymmetricEigenDecomposition(a));
    }

    [Fact]
    public void EigenvectorsOfValuesOnlyDecompositionThrow()
    {
        var eig = new SymmetricEigenDecomposition(Matrix.Identity(2), computeEigenvectors: false);
        Assert.Throws<InvalidOperationException>(() => eig.Eigenvectors);
    }

    [Fact]
    public void NonConvergenceThrowsNamingTheLimit()
    {
        // A sweep limit of zero makes any matrix that needs an iteration fail.
        var ex = Assert.Throws<NoConvergenceException>(() => new SymmetricEigenDecomposition(RandomSymmetric(6, 1), true, 0));
        Assert.Equal(0, ex.IterationLimit);
        Assert.Contains("did not converge", ex.Message, StringComparison.Ordinal);
    }
}
