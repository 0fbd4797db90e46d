using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Functions whose Hessians are checked against closed forms and against the HVP companion.</summary>
public static partial class Hessians
{
    [Differentiable]
    public static double SumOfSquares(double x, double y) => (x * x) + (y * y);

    /// <summary>
    /// double, array, [NoDerivative], int and span parameters mixed, with cross terms between all
    /// differentiable ones: N = 1 + w.Length + u.Length + 1.
    /// </summary>
    [Differentiable]
    public static double Mixed(double x, double[] w, [NoDerivative] double s, int n, ReadOnlySpan<double> u, double y)
    {
        double acc = x * y;
        for (int i = 0; i < w.Length; i++)
        {
            acc += Math.Sin(w[i] * x) * u[i % u.Length] * s;
        }

        for (int k = 0; k < n; k++)
        {
            acc += Math.Exp(0.3 * y * u[k]) * w[k] * w[k];
        }

        return (0.1 * acc * acc) + Math.Log(1 + (x * x * y * y));
    }
}

/// <summary>
/// MHessian and MHvp against closed forms. Tolerances: closed forms are compared with a relative
/// error of 1e-12 of the largest entry of the expected matrix (rounding only, the formulas are exact);
/// the Hessian against the matrix of HVPs with unit vectors with 1e-13 of its largest entry (same
/// arithmetic, possibly summed in another order); the Hessian against central differences of the
/// gradient with <see cref="NumericalChecks.HvpFdRelative"/>.
/// </summary>
public class HessianClosedFormTests
{
    private const double ClosedFormRelative = 1e-12;

    private static double MaxAbs(ReadOnlySpan<double> m)
    {
        double s = 0;
        foreach (double v in m)
        {
            s = Math.Max(s, Math.Abs(v));
        }

        return s;
    }

    private static double[] Garbage(int length)
    {
        var h = new double[length];
        Array.Fill(h, 98765.4321);
        return h;
    }

    /// <summary>Every entry equal to its mirror image, to the last bit.</summary>
    private static void AssertExactlySymmetric(double[] h, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.True(h[(i * n) + j].Equals(h[(j * n) + i]), $"H[{i},{j}] = {h[(i * n) + j]:R} but H[{j},{i}] = {h[(j * n) + i]:R}");
            }
        }
    }

    /// <summary>The matrix whose column j is hvp(e_j), symmetrized.</summary>
    private static double[] SymmetrizedHvpMatrix(int n, PackedHvp hvp, double[] z, double value)
    {
        var m = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            var e = new double[n];
            e[j] = 1.0;
            var column = Garbage(n);
            Assert.Equal(value, hvp(z, e, column));
            for (int i = 0; i < n; i++)
            {
                m[(i * n) + j] = column[i];
            }
        }

        var s = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s[(i * n) + j] = 0.5 * (m[(i * n) + j] + m[(j * n) + i]);
            }
        }

        return s;
    }

    /// <summary>H e_j and H v against the expected matrix, for the unit vectors and a random v.</summary>
    private static void AssertHvpMatches(double[] expected, int n, PackedHvp hvp, double[] z, Random random, double tolerance)
    {
        var v = Direction(random, n);
        var hv = Garbage(n);
        hvp(z, v, hv);
        double scale = MaxAbs(expected) * n;
        for (int i = 0; i < n; i++)
        {
            double e = 0;
            for (int j = 0; j < n; j++)
            {
                e += expected[(i * n) + j] * v[j];
            }

            AssertClose(e, hv[i], tolerance, scale, $"(H v)[{i}]");
        }
    }

    [Fact]
    public void HessianOfSumOfSquaresIsTwiceTheIdentity()
    {
        var random = new Random(1601);
        for (int p = 0; p < 5; p++)
        {
            double x = random.Uniform(-3.0, 3.0), y = random.Uniform(-3.0, 3.0);
            var h = Garbage(4);
            double value = Hessians.SumOfSquaresHessian(x, y, h);
            Assert.Equal(Hessians.SumOfSquares(x, y), value);
            Assert.Equal(new[] { 2.0, 0.0, 0.0, 2.0 }, h);

            double vx = random.Uniform(-1.0, 1.0), vy = random.Uniform(-1.0, 1.0);
            value = Hessians.SumOfSquaresHvp(x, y, vx, vy, out double hx, out double hy);
            Assert.Equal(Hessians.SumOfSquares(x, y), value);
            AssertClose(2 * vx, hx, 1e-15, 1.0, "(H v)_x");
            AssertClose(2 * vy, hy, 1e-15, 1.0, "(H v)_y");
        }
    }

    [Fact]
    public void HessianOfAQuadraticIsTheSymmetricPartOfA()
    {
        const int n = 6;
        var random = new Random(1602);
        var a = random.Uniform(n * n, -2.0, 2.0); // not symmetric
        var b = random.Uniform(n, -1.0, 1.0);
        const double c = -0.75;
        var expected = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[(i * n) + j] = 0.5 * (a[(i * n) + j] + a[(j * n) + i]);
            }
        }

        for (int p = 0; p < 3; p++)
        {
            var x = random.Uniform(n, -2.0, 2.0);
            var h = Garbage(n * n);
            double value = ClosedForms.QuadraticObjectiveHessian(x, a, b, c, h);
            Assert.Equal(ClosedForms.QuadraticObjective(x, a, b, c), value);
            AssertExactlySymmetric(h, n);
            AssertClose(expected, h, ClosedFormRelative, MaxAbs(expected), "Hessian of 1/2<Ax, x> - <b, x> + c");
            AssertHvpMatches(expected, n, (z, v, hv) => ClosedForms.QuadraticObjectiveHvp(z, a, b, c, v, hv), x, random, ClosedFormRelative);
        }
    }

    [Fact]
    public void HessianOfLogOnePlusExpIsSigmaOneMinusSigmaAAt()
    {
        const int n = 5;
        var random = new Random(1603);
        var a = random.Uniform(n, -1.0, 1.0);
        for (int p = 0; p < 5; p++)
        {
            var x = random.Uniform(n, -2.0, 2.0);
            double t = Dot(a, x);
            double sigma = 1 / (1 + Math.Exp(-t));
            var expected = new double[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    expected[(i * n) + j] = sigma * (1 - sigma) * a[i] * a[j];
                }
            }

            var h = Garbage(n * n);
            double value = ClosedForms.LogOnePlusExpHessian(x, a, h);
            Assert.Equal(ClosedForms.LogOnePlusExp(x, a), value);
            AssertExactlySymmetric(h, n);
            AssertClose(expected, h, ClosedFormRelative, MaxAbs(expected), "Hessian of ln(1 + exp<a, x>)");
            AssertHvpMatches(expected, n, (z, v, hv) => ClosedForms.LogOnePlusExpHvp(z, a, v, hv), x, random, ClosedFormRelative);
        }
    }

    [Fact]
    public void HessianOfLogQuadraticFormIsTheDerivativeOfItsGradient()
    {
        // grad ln q = 2 A x / q with q = <x, A x>, A symmetric positive definite; differentiating
        // once more: H = 2 A / q - 4 (A x)(A x)^T / q^2.
        const int n = 5;
        var random = new Random(1604);
        var bm = random.Uniform(n * n, -1.0, 1.0);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 1.0 : 0.0;
                for (int k = 0; k < n; k++)
                {
                    s += bm[(k * n) + i] * bm[(k * n) + j];
                }

                a[(i * n) + j] = s;
            }
        }

        for (int p = 0; p < 5; p++)
        {
            var x = random.Uniform(n, -1.5, 1.5);
            var ax = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    ax[i] += a[(i * n) + j] * x[j];
                }
            }

            double q = Dot(x, ax);
            var expected = new double[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    expected[(i * n) + j] = (2 * a[(i * n) + j] / q) - (4 * ax[i] * ax[j] / (q * q));
                }
            }

            var h = Garbage(n * n);
            double value = ClosedForms.LogQuadraticFormHessian(x, a, h);
            Assert.Equal(ClosedForms.LogQuadraticForm(x, a), value);
            AssertExactlySymmetric(h, n);
            AssertClose(expected, h, ClosedFormRelative, MaxAbs(expected), "Hessian of ln<x, Ax>");
            AssertHvpMatches(expected, n, (z, v, hv) => ClosedForms.LogQuadraticFormHvp(z, a, v, hv), x, random, ClosedFormRelative);
        }
    }

    [Fact]
    public void HessianOfMixedParametersIsSymmetricAndMatchesHvpsAndDifferencedGradient()
    {
        var random = new Random(1605);
        const int nw = 4, nu = 3;
        const int n = 1 + nw + nu + 1;
        const double s = 0.8;
        const int count = 3;
        double F(double[] z) => Hessians.Mixed(z[0], z.Part(1, nw), s, count, z.AsSpan(1 + nw, nu), z[n - 1]);
        double Gradient(double[] z, double[] g) =>
            Hessians.MixedGradient(z[0], z.Part(1, nw), s, count, z.AsSpan(1 + nw, nu), z[n - 1], out g[0], g.AsSpan(1, nw), g.AsSpan(1 + nw, nu), out g[n - 1]);
        double Hvp(double[] z, double[] v, double[] hv) =>
            Hessians.MixedHvp(
                z[0], z.Part(1, nw), s, count, z.AsSpan(1 + nw, nu), z[n - 1],
                v[0], v.AsSpan(1, nw), v.AsSpan(1 + nw, nu), v[n - 1],
                out hv[0], hv.AsSpan(1, nw), hv.AsSpan(1 + nw, nu), out hv[n - 1]);

        for (int p = 0; p < 4; p++)
        {
            var z = random.Uniform(n, -1.0, 1.0);
            double value = F(z);
            var h = Garbage(n * n);
            Assert.Equal(value, Hessians.MixedHessian(z[0], z.Part(1, nw), s, count, z.AsSpan(1 + nw, nu), z[n - 1], h));
            AssertExactlySymmetric(h, n);

            var fromHvp = SymmetrizedHvpMatrix(n, Hvp, z, value);
            AssertClose(fromHvp, h, 1e-13, MaxAbs(fromHvp), "Hessian against the symmetrized matrix of HVPs");

            // Column j against central differences of the gradient along e_j.
            for (int j = 0; j < n; j++)
            {
                var e = new double[n];
                e[j] = 1.0;
                var fd = CentralDifferenceHvp(Gradient, z, e);
                for (int i = 0; i < n; i++)
                {
                    double hij = h[(i * n) + j];
                    double error = Math.Abs(fd[i] - hij);
                    Assert.True(error <= HvpFdRelative * Math.Max(1.0, Math.Abs(hij)), $"H[{i},{j}] = {hij:R}, differenced gradient {fd[i]:R}");
                }
            }

            CheckFunction(
                1606 + p,
                _ => z,
                F,
                Gradient,
                (double[] zz, double[] d, out double t) => Hessians.MixedJvp(zz[0], zz.Part(1, nw), s, count, zz.AsSpan(1 + nw, nu), zz[n - 1], d[0], d.AsSpan(1, nw), d.AsSpan(1 + nw, nu), d[n - 1], out t),
                Hvp,
                points: 1);
        }
    }

    [Fact]
    public void HessianOfRosenbrockIsTheHandDerivedTridiagonalMatrix()
    {
        // f = sum_i (1 - x_i)^2 + 100 (x_{i+1} - x_i^2)^2. Term i contributes 2 + 1200 x_i^2 - 400 x_{i+1}
        // to H[i,i], 200 to H[i+1,i+1] and -400 x_i to H[i,i+1] and H[i+1,i].
        const int n = 7;
        var random = new Random(1608);
        for (int p = 0; p < 3; p++)
        {
            var x = random.Uniform(n, -1.5, 1.5);
            var expected = new double[n * n];
            for (int i = 0; i < n - 1; i++)
            {
                expected[(i * n) + i] += 2 + (1200 * x[i] * x[i]) - (400 * x[i + 1]);
                expected[((i + 1) * n) + i + 1] += 200;
                expected[(i * n) + i + 1] += -400 * x[i];
                expected[((i + 1) * n) + i] += -400 * x[i];
            }

            var h = Garbage(n * n);
            Assert.Equal(Loops.Rosenbrock(x), Loops.RosenbrockHessian(x, h));
            AssertExactlySymmetric(h, n);
            AssertClose(expected, h, ClosedFormRelative, MaxAbs(expected), "Hessian of Rosenbrock");
            AssertHvpMatches(expected, n, (z, v, hv) => Loops.RosenbrockHvp(z, v, hv), x, random, ClosedFormRelative);
        }
    }

    [Fact]
    public void HessianOfTheGmmObjectiveMatchesTheDifferencedGradient()
    {
        const int d = 2, k = 3, nPoints = 4;
        var (alphas, means, icf, x) = AutoDiffGen.Benchmarks.Ad.Gmm.Data(d, k, nPoints, seed: 1609);
        int a = alphas.Length, m = means.Length, q = icf.Length, n = a + m + q;
        var z = new double[n];
        alphas.CopyTo(z, 0);
        means.CopyTo(z, a);
        icf.CopyTo(z, a + m);
        double Gradient(double[] zz, double[] g) => AutoDiffGen.Benchmarks.Ad.Gmm.ObjectiveGradient(
            zz.Part(0, a), zz.Part(a, m), zz.Part(a + m, q), x, 1.0, 0, d, k, g.AsSpan(0, a), g.AsSpan(a, m), g.AsSpan(a + m, q));

        var h = Garbage(n * n);
        double value = AutoDiffGen.Benchmarks.Ad.Gmm.ObjectiveHessian(alphas, means, icf, x, 1.0, 0, d, k, h);
        Assert.Equal(AutoDiffGen.Benchmarks.Ad.Gmm.Objective(alphas, means, icf, x, 1.0, 0, d, k), value);
        AssertExactlySymmetric(h, n);
        for (int j = 0; j < n; j++)
        {
            var e = new double[n];
            e[j] = 1.0;
            var fd = CentralDifferenceHvp(Gradient, z, e);
            for (int i = 0; i < n; i++)
            {
                double hij = h[(i * n) + j];
                Assert.True(
                    Math.Abs(fd[i] - hij) <= HvpFdRelative * Math.Max(1.0, Math.Abs(hij)),
                    $"H[{i},{j}] = {hij:R}, differenced gradient {fd[i]:R}");
            }
        }
    }

    [Fact]
    public void HessianRejectsASpanOfTheWrongLength()
    {
        var x = new double[] { 0.3, -0.2, 0.5, 0.1, 0.7, -0.4 };
        var a = new Random(1607).Uniform(36, -1.0, 1.0);
        var b = new double[6];
        foreach (int length in new[] { 0, 6, 35, 37, 72 })
        {
            var e = Assert.Throws<ArgumentException>(() => ClosedForms.QuadraticObjectiveHessian(x, a, b, 0.0, new double[length]));
            Assert.Equal("hessian", e.ParamName);
        }

        // Mixed parameters: N counts the double, both arrays and the last double.
        var w = new double[4];
        var u = new double[3];
        var wrong = Assert.Throws<ArgumentException>(() => Hessians.MixedHessian(0.1, w, 1.0, 2, u, 0.2, new double[8 * 8]));
        Assert.Equal("hessian", wrong.ParamName);
        Hessians.MixedHessian(0.1, w, 1.0, 2, u, 0.2, new double[9 * 9]);

        var s = Assert.Throws<ArgumentException>(() => Hessians.SumOfSquaresHessian(1.0, 2.0, new double[3]));
        Assert.Equal("hessian", s.ParamName);
    }

    [Fact]
    public void MethodsWithoutOrWithConstantDifferentiableInputs()
    {
        // No differentiable input: no directions, no outputs, an empty Hessian.
        Assert.Equal(7.5, Declarations.NothingToDifferentiateHvp(2.5, 3));
        Assert.Equal(7.5, Declarations.NothingToDifferentiateHessian(2.5, 3, Span<double>.Empty));
        var e = Assert.Throws<ArgumentException>(() => Declarations.NothingToDifferentiateHessian(2.5, 3, new double[1]));
        Assert.Equal("hessian", e.ParamName);

        // A differentiable input the value does not depend on: zero Hessian, outputs overwritten.
        Assert.Equal(6.0, Declarations.ConstantHvp(1.5, 2.0, 0.7, out double hv));
        Assert.Equal(0.0, hv);
        var h = Garbage(1);
        Assert.Equal(6.0, Declarations.ConstantHessian(1.5, 2.0, h));
        Assert.Equal(0.0, h[0]);
    }
}
