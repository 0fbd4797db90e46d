using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Functions whose gradients have known closed forms (matrix calculus, classic examples).</summary>
public static partial class ClosedForms
{
    /// <summary>ln &lt;x, Ax&gt; with A row-major n x n.</summary>
    [Differentiable]
    public static double LogQuadraticForm(double[] x, [NoDerivative] double[] a)
    {
        int n = x.Length;
        double q = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                q += x[i] * a[(i * n) + j] * x[j];
            }
        }

        return Math.Log(q);
    }

    /// <summary>1/2 &lt;Ax, x&gt; - &lt;b, x&gt; + c, with A not necessarily symmetric.</summary>
    [Differentiable]
    public static double QuadraticObjective(ReadOnlySpan<double> x, [NoDerivative] double[] a, [NoDerivative] double[] b, [NoDerivative] double c)
    {
        int n = x.Length;
        double[] ax = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ax[i] += a[(i * n) + j] * x[j];
            }
        }

        double s = c;
        for (int i = 0; i < n; i++)
        {
            s += (0.5 * ax[i] * x[i]) - (b[i] * x[i]);
        }

        return s;
    }

    /// <summary>ln(1 + exp &lt;a, x&gt;), written naively.</summary>
    [Differentiable]
    public static double LogOnePlusExp(double[] x, [NoDerivative] double[] a)
    {
        double z = 0;
        for (int i = 0; i < x.Length; i++)
        {
            z += a[i] * x[i];
        }

        return Math.Log(1 + Math.Exp(z));
    }

    [Differentiable]
    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>
    /// Univariate logistic least squares with L2 regularisation, averaged over a data set:
    /// z = w x + b, y = sigma(z), L = 1/2 (y - t)^2, R = 1/2 w^2, loss = mean L + lambda R.
    /// </summary>
    [Differentiable]
    public static double LogisticLeastSquares(double w, double b, [NoDerivative] double[] xs, [NoDerivative] double[] ts, [NoDerivative] double lambda)
    {
        double total = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double z = (w * xs[i]) + b;
            double y = Sigmoid(z);
            double diff = y - ts[i];
            total += 0.5 * diff * diff;
        }

        double regulariser = 0.5 * w * w;
        return (total / xs.Length) + (lambda * regulariser);
    }

    /// <summary>Horner's rule: p(x) = sum_i c_i x^i, one variable overwritten at each step.</summary>
    [Differentiable]
    public static double Horner(double[] c, double x)
    {
        double r = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            r = (r * x) + c[i];
        }

        return r;
    }

    /// <summary>Newton's iteration for sqrt(a): the trip count depends on a.</summary>
    [Differentiable]
    public static double NewtonSqrt(double a)
    {
        // The first Newton step from 1; never below sqrt(a), and active (depends on a).
        double x = 0.5 * (1 + a);
        int iterations = 0;
        while (Math.Abs((x * x) - a) > 1e-14 * a && iterations < 200)
        {
            x = 0.5 * (x + (a / x));
            iterations++;
        }

        return x;
    }

    /// <summary>Stable log-sum-exp: max + ln sum exp(x_i - max).</summary>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > m)
            {
                m = x[i];
            }
        }

        double s = 0;
        foreach (double v in x)
        {
            s += Math.Exp(v - m);
        }

        return m + Math.Log(s);
    }
}

public class ClosedFormTests
{
    /// <summary>Tolerance against closed forms: only rounding separates them (relative 1e-12, floor 1).</summary>
    private const double ClosedFormRelative = 1e-12;

    private static double[] SymmetricPositiveDefinite(Random random, int n)
    {
        var m = random.Uniform(n * n, -1.0, 1.0);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? n : 0.0;
                for (int k = 0; k < n; k++)
                {
                    s += m[(k * n) + i] * m[(k * n) + j];
                }

                a[(i * n) + j] = s;
            }
        }

        return a;
    }

    private static double[] MatVec(double[] a, double[] x)
    {
        int n = x.Length;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = Dot(a.AsSpan(i * n, n), x);
        }

        return y;
    }

    [Fact]
    public void GradientOfLogQuadraticFormIsTwoAxOverXAx()
    {
        var random = new Random(701);
        for (int trial = 0; trial < 5; trial++)
        {
            int n = 2 + trial;
            var a = SymmetricPositiveDefinite(random, n);
            var x = random.Uniform(n, -2.0, 2.0);
            var ax = MatVec(a, x);
            double q = Dot(x, ax);
            var expected = Array.ConvertAll(ax, v => 2 * v / q);
            var g = new double[n];
            double value = ClosedForms.LogQuadraticFormGradient(x, a, g);
            AssertClose(Math.Log(q), value, ClosedFormRelative, 1.0, "ln <x, Ax>");
            AssertClose(expected, g, ClosedFormRelative, 1.0, "grad ln <x, Ax>");
        }

        var a4 = SymmetricPositiveDefinite(random, 4);
        CheckFunction(
            702,
            r => r.Uniform(4, -2.0, 2.0),
            z => ClosedForms.LogQuadraticForm(z, a4),
            (z, g) => ClosedForms.LogQuadraticFormGradient(z, a4, g),
            (double[] z, double[] d, out double t) => ClosedForms.LogQuadraticFormJvp(z, a4, d, out t),
            (z, d, g) => ClosedForms.LogQuadraticFormHvp(z, a4, d, g));
    }

    [Fact]
    public void GradientOfQuadraticObjectiveIsSymmetricPartMinusB()
    {
        var random = new Random(703);
        for (int trial = 0; trial < 5; trial++)
        {
            int n = 1 + trial;
            var a = random.Uniform(n * n, -2.0, 2.0);
            var b = random.Uniform(n, -1.0, 1.0);
            double c = random.Uniform(-3.0, 3.0);
            var x = random.Uniform(n, -2.0, 2.0);

            // 1/2 (A + A^T) x - b
            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += (a[(i * n) + j] + a[(j * n) + i]) * x[j];
                }

                expected[i] = (0.5 * s) - b[i];
            }

            var g = new double[n];
            ClosedForms.QuadraticObjectiveGradient(x, a, b, c, g);
            AssertClose(expected, g, ClosedFormRelative, 1.0, "grad quadratic objective");

            var d = Direction(random, n);
            ClosedForms.QuadraticObjectiveJvp(x, a, b, c, d, out double tangent);
            AssertClose(Dot(expected, d), tangent, ClosedFormRelative, 1.0, "JVP quadratic objective");
        }

        var a3 = random.Uniform(9, -2.0, 2.0);
        var b3 = random.Uniform(3, -1.0, 1.0);
        CheckFunction(
            704,
            r => r.Uniform(3, -2.0, 2.0),
            z => ClosedForms.QuadraticObjective(z, a3, b3, 0.25),
            (z, g) => ClosedForms.QuadraticObjectiveGradient(z, a3, b3, 0.25, g),
            (double[] z, double[] d, out double t) => ClosedForms.QuadraticObjectiveJvp(z, a3, b3, 0.25, d, out t),
            (z, d, g) => ClosedForms.QuadraticObjectiveHvp(z, a3, b3, 0.25, d, g));
    }

    [Fact]
    public void GradientOfLogOnePlusExpIsSigmoidTimesA()
    {
        var random = new Random(705);
        for (int trial = 0; trial < 6; trial++)
        {
            var a = random.Uniform(5, -1.5, 1.5);
            var x = random.Uniform(5, -2.0, 2.0);
            double z = Dot(a, x);
            double sigma = 1 / (1 + Math.Exp(-z));
            var g = new double[5];
            ClosedForms.LogOnePlusExpGradient(x, a, g);
            AssertClose(Array.ConvertAll(a, ai => sigma * ai), g, ClosedFormRelative, 1.0, "grad ln(1 + exp <a, x>)");
        }

        var a5 = random.Uniform(5, -1.5, 1.5);
        CheckFunction(
            706,
            r => r.Uniform(5, -2.0, 2.0),
            z => ClosedForms.LogOnePlusExp(z, a5),
            (z, g) => ClosedForms.LogOnePlusExpGradient(z, a5, g),
            (double[] z, double[] d, out double t) => ClosedForms.LogOnePlusExpJvp(z, a5, d, out t),
            (z, d, g) => ClosedForms.LogOnePlusExpHvp(z, a5, d, g));
    }

    [Fact]
    public void LogisticLeastSquaresMatchesHandDerivedBackprop()
    {
        double[] xs = [-2.0, -0.5, 0.3, 1.1, 2.4, 3.0];
        double[] ts = [0.0, 0.2, 0.5, 0.7, 1.0, 0.9];
        const double lambda = 0.1;
        var random = new Random(707);
        for (int trial = 0; trial < 6; trial++)
        {
            double w = random.Uniform(-2.0, 2.0);
            double b = random.Uniform(-1.0, 1.0);

            // Backprop by hand, per example: y_bar = y - t; z_bar = y_bar * y (1 - y);
            // w_bar = z_bar * x, b_bar = z_bar; mean over the data; plus the regulariser's lambda * w.
            double wBar = 0, bBar = 0, loss = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double y = 1 / (1 + Math.Exp(-((w * xs[i]) + b)));
                loss += 0.5 * (y - ts[i]) * (y - ts[i]);
                double zBar = (y - ts[i]) * y * (1 - y);
                wBar += zBar * xs[i];
                bBar += zBar;
            }

            wBar = (wBar / xs.Length) + (lambda * w);
            bBar /= xs.Length;
            loss = (loss / xs.Length) + (lambda * 0.5 * w * w);

            double value = ClosedForms.LogisticLeastSquaresGradient(w, b, xs, ts, lambda, out double gw, out double gb);
            AssertClose(loss, value, ClosedFormRelative, 1.0, "loss");
            AssertClose(wBar, gw, ClosedFormRelative, 1.0, "dLoss/dw");
            AssertClose(bBar, gb, ClosedFormRelative, 1.0, "dLoss/db");
        }

        CheckFunction(
            708,
            r => [r.Uniform(-2.0, 2.0), r.Uniform(-1.0, 1.0)],
            z => ClosedForms.LogisticLeastSquares(z[0], z[1], xs, ts, lambda),
            (z, g) => ClosedForms.LogisticLeastSquaresGradient(z[0], z[1], xs, ts, lambda, out g[0], out g[1]),
            (double[] z, double[] d, out double t) => ClosedForms.LogisticLeastSquaresJvp(z[0], z[1], xs, ts, lambda, d[0], d[1], out t),
            (z, d, g) => ClosedForms.LogisticLeastSquaresHvp(z[0], z[1], xs, ts, lambda, d[0], d[1], out g[0], out g[1]));
    }

    [Fact]
    public void HornerMatchesTheDerivativePolynomial()
    {
        var random = new Random(709);
        for (int degree = 0; degree < 8; degree++)
        {
            var c = random.Uniform(degree + 1, -2.0, 2.0);
            double x = random.Uniform(-1.5, 1.5);

            // p'(x) = sum_{i >= 1} i c_i x^(i - 1), evaluated term by term; d p / d c_i = x^i.
            double dpdx = 0;
            for (int i = 1; i <= degree; i++)
            {
                dpdx += i * c[i] * Math.Pow(x, i - 1);
            }

            var gc = new double[c.Length];
            ClosedForms.HornerGradient(c, x, gc, out double gx);
            AssertClose(dpdx, gx, 1e-12, 1.0, "p'(x)");
            for (int i = 0; i <= degree; i++)
            {
                AssertClose(Math.Pow(x, i), gc[i], 1e-12, 1.0, "dp/dc_i");
            }

            ClosedForms.HornerJvp(c, x, new double[c.Length], 1.0, out double tangent);
            AssertClose(dpdx, tangent, 1e-12, 1.0, "JVP along x");
        }

        CheckFunction(
            710,
            r => r.Uniform(7, -1.5, 1.5),
            z => ClosedForms.Horner(z.Part(0, 6), z[6]),
            (z, g) => ClosedForms.HornerGradient(z.Part(0, 6), z[6], g.AsSpan(0, 6), out g[6]),
            (double[] z, double[] d, out double t) => ClosedForms.HornerJvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], out t),
            (z, d, g) => ClosedForms.HornerHvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], g.AsSpan(0, 6), out g[6]));
    }

    [Theory]
    [InlineData(1e-4)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(1e6)]
    public void NewtonSqrtHasDerivativeOneOverTwoSqrtA(double a)
    {
        double value = ClosedForms.NewtonSqrtGradient(a, out double g);
        AssertClose(Math.Sqrt(a), value, 1e-14, 0.0, "sqrt(a)");
        AssertClose(1 / (2 * Math.Sqrt(a)), g, 1e-10, 0.0, "d sqrt(a) / da (reverse)");
        ClosedForms.NewtonSqrtJvp(a, 1.0, out double t);
        AssertClose(1 / (2 * Math.Sqrt(a)), t, 1e-10, 0.0, "d sqrt(a) / da (forward)");
    }

    [Fact]
    public void NewtonSqrtAgainstFiniteDifferences() => CheckFunction(
        711,
        r => [r.Uniform(0.1, 20.0)],
        z => ClosedForms.NewtonSqrt(z[0]),
        (z, g) => ClosedForms.NewtonSqrtGradient(z[0], out g[0]),
        (double[] z, double[] d, out double t) => ClosedForms.NewtonSqrtJvp(z[0], d[0], out t),
        (z, d, g) => ClosedForms.NewtonSqrtHvp(z[0], d[0], out g[0]),
        points: 10);

    private static double[] Softmax(double[] x)
    {
        double m = double.NegativeInfinity;
        foreach (var v in x)
        {
            m = Math.Max(m, v);
        }

        var e = Array.ConvertAll(x, v => Math.Exp(v - m));
        double s = 0;
        foreach (var v in e)
        {
            s += v;
        }

        return Array.ConvertAll(e, v => v / s);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(700.0)]
    [InlineData(-700.0)]
    public void GradientOfLogSumExpIsSoftmax(double offset)
    {
        var random = new Random(712);
        for (int trial = 0; trial < 6; trial++)
        {
            var x = random.Uniform(6, offset - 3.0, offset + 12.0);
            if (offset > 0)
            {
                // The naive formula overflows here: exp of the largest input is +infinity.
                double largest = double.NegativeInfinity;
                foreach (var v in x)
                {
                    largest = Math.Max(largest, v);
                }

                Assert.True(largest < 710 || double.IsPositiveInfinity(Math.Exp(largest)));
            }

            var softmax = Softmax(x);
            var g = new double[x.Length];
            double value = ClosedForms.LogSumExpGradient(x, g);
            Assert.True(double.IsFinite(value));
            AssertClose(softmax, g, ClosedFormRelative, 1e-3, "grad log-sum-exp = softmax");

            var d = Direction(random, x.Length);
            ClosedForms.LogSumExpJvp(x, d, out double tangent);
            AssertClose(Dot(softmax, d), tangent, 1e-12, 1.0, "JVP log-sum-exp = <softmax, d>");
        }

        CheckFunction(
            713,
            r => r.Uniform(5, offset - 3.0, offset + 12.0),
            z => ClosedForms.LogSumExp(z),
            (z, g) => ClosedForms.LogSumExpGradient(z, g),
            (double[] z, double[] d, out double t) => ClosedForms.LogSumExpJvp(z, d, out t),
            (z, d, g) => ClosedForms.LogSumExpHvp(z, d, g));
    }

    [Fact]
    public void LogSumExpNearSevenHundredWhereNaiveExpOverflows()
    {
        double[] x = [700.0, 705.5, 711.0, 709.25];
        Assert.True(double.IsPositiveInfinity(Math.Exp(711.0)));
        var g = new double[x.Length];
        double value = ClosedForms.LogSumExpGradient(x, g);
        Assert.True(double.IsFinite(value));
        foreach (var gi in g)
        {
            Assert.True(double.IsFinite(gi));
        }

        AssertClose(Softmax(x), g, ClosedFormRelative, 1e-3, "softmax near 700");
        double sum = 0;
        foreach (var gi in g)
        {
            sum += gi;
        }

        AssertClose(1.0, sum, 1e-14, 1.0, "softmax sums to 1");
    }
}
