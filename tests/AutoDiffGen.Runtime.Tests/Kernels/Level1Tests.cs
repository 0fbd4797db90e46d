using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Kernels;

/// <summary>The Level-1 kernels at every length 0..256 (every SIMD tail) against naive loops.</summary>
[Trait("Category", "Kernels")]
public class Level1Tests
{
    private const int MaxLength = 256;
    private const double Eps = 2.220446049250313e-16;

    [Fact]
    public void DotMatchesNaiveLoopAtEveryLength()
    {
        var random = new Random(1);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = GemmTests.RandomArray(n, random), y = GemmTests.RandomArray(n, random);
            double expected = 0, magnitude = 0;
            for (int i = 0; i < n; i++)
            {
                expected += x[i] * y[i];
                magnitude += Math.Abs(x[i] * y[i]);
            }

            AssertClose(expected, LinearAlgebra.Kernels.Dot(x, y), (n + 1) * Eps * magnitude, n);
        }
    }

    [Fact]
    public void AxpyMatchesNaiveLoopAtEveryLength()
    {
        var random = new Random(2);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = GemmTests.RandomArray(n, random), y = GemmTests.RandomArray(n, random);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                expected[i] = (-1.5 * x[i]) + y[i];
            }

            LinearAlgebra.Kernels.Axpy(-1.5, x, y);
            for (int i = 0; i < n; i++)
            {
                AssertClose(expected[i], y[i], 4 * Eps * (Math.Abs(expected[i]) + 1.5), n);
            }
        }
    }

    [Fact]
    public void ScaleMatchesNaiveLoopAtEveryLength()
    {
        var random = new Random(3);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = GemmTests.RandomArray(n, random);
            double[] original = (double[])x.Clone();
            LinearAlgebra.Kernels.Scale(0.3, x);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(0.3 * original[i], x[i]);
            }
        }
    }

    [Fact]
    public void AddSubtractHadamardMatchNaiveLoopsAtEveryLength()
    {
        var random = new Random(4);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = GemmTests.RandomArray(n, random), y = GemmTests.RandomArray(n, random);
            double[] sum = new double[n], difference = new double[n], product = new double[n];
            LinearAlgebra.Kernels.Add(x, y, sum);
            LinearAlgebra.Kernels.Subtract(x, y, difference);
            LinearAlgebra.Kernels.Hadamard(x, y, product);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(x[i] + y[i], sum[i]);
                Assert.Equal(x[i] - y[i], difference[i]);
                Assert.Equal(x[i] * y[i], product[i]);
            }
        }
    }

    [Fact]
    public void InPlaceDestinationIsAllowed()
    {
        double[] x = [1, 2, 3], y = [10, 20, 30];
        LinearAlgebra.Kernels.Add(x, y, x);
        Assert.Equal([11.0, 22.0, 33.0], x);
        LinearAlgebra.Kernels.Hadamard(x, y, y);
        Assert.Equal([110.0, 440.0, 990.0], y);
    }

    [Fact]
    public void SumAndNorm2MatchNaiveLoopsAtEveryLength()
    {
        var random = new Random(5);
        for (int n = 0; n <= MaxLength; n++)
        {
            double[] x = GemmTests.RandomArray(n, random);
            double sum = 0, magnitude = 0, squares = 0;
            foreach (double v in x)
            {
                sum += v;
                magnitude += Math.Abs(v);
                squares += v * v;
            }

            AssertClose(sum, LinearAlgebra.Kernels.Sum(x), (n + 1) * Eps * magnitude, n);
            AssertClose(Math.Sqrt(squares), LinearAlgebra.Kernels.Norm2(x), (n + 2) * Eps * Math.Sqrt(squares), n);
        }
    }

    [Theory]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    [InlineData(1e-310)]
    [InlineData(1e300)]
    public void Norm2NeitherOverflowsNorUnderflows(double scale)
    {
        // ||(3s, 4s)|| = 5s, and ||s * ones(n)|| = s sqrt(n): exact references whose squares are out of range.
        Assert.Equal(5 * scale, LinearAlgebra.Kernels.Norm2([3 * scale, -4 * scale]), 5 * scale * 4 * Eps);
        double[] ones = new double[100];
        Array.Fill(ones, scale);
        Assert.Equal(10 * scale, LinearAlgebra.Kernels.Norm2(ones), 10 * scale * 8 * Eps);
    }

    [Fact]
    public void Norm2SpecialValues()
    {
        Assert.Equal(0.0, LinearAlgebra.Kernels.Norm2([]));
        Assert.Equal(0.0, LinearAlgebra.Kernels.Norm2([0.0, -0.0, 0.0]));
        Assert.Equal(double.Epsilon, LinearAlgebra.Kernels.Norm2([double.Epsilon]));
        Assert.Equal(double.MaxValue, LinearAlgebra.Kernels.Norm2([double.MaxValue, 0]));
        Assert.Equal(double.PositiveInfinity, LinearAlgebra.Kernels.Norm2([1, double.NegativeInfinity]));
        Assert.True(double.IsNaN(LinearAlgebra.Kernels.Norm2([1, double.NaN, double.PositiveInfinity])));
        Assert.True(double.IsNaN(LinearAlgebra.Kernels.Norm2([1e-300, double.NaN])));
    }

    [Fact]
    public void NaNPropagatesThroughDotAndSum()
    {
        Assert.True(double.IsNaN(LinearAlgebra.Kernels.Dot([1, double.NaN], [1, 0])));
        Assert.True(double.IsNaN(LinearAlgebra.Kernels.Sum([1, double.PositiveInfinity, double.NegativeInfinity])));
    }

    [Fact]
    public void LengthMismatchesThrowNamingBothLengths()
    {
        AssertMismatch(() => LinearAlgebra.Kernels.Dot(new double[3], new double[4]), "y");
        AssertMismatch(() => LinearAlgebra.Kernels.Axpy(1, new double[3], new double[4]), "y");
        AssertMismatch(() => LinearAlgebra.Kernels.Add(new double[3], new double[4], new double[3]), "y");
        AssertMismatch(() => LinearAlgebra.Kernels.Subtract(new double[3], new double[3], new double[4]), "destination");
        AssertMismatch(() => LinearAlgebra.Kernels.Hadamard(new double[4], new double[3], new double[4]), "y");
    }

    private static void AssertMismatch(Action action, string paramName)
    {
        var ex = Assert.Throws<ArgumentException>(action);
        Assert.Equal(paramName, ex.ParamName);
        Assert.Contains("3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(double expected, double actual, double tolerance, int length)
    {
        if (!(Math.Abs(expected - actual) <= tolerance + 1e-300))
        {
            Assert.Fail($"length {length}: got {actual}, expected {expected} (tolerance {tolerance}).");
        }
    }
}
