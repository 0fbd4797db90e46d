using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Shapes that stress what reverse mode must remember: values overwritten after use, temporaries
/// whose operands change later in the loop, integer state that cannot be inverted, scalars that
/// look loop-invariant but are reassigned inside the loop.
/// </summary>
public static partial class Taping
{
    [Differentiable]
    public static double OperandChangesLater(double[] x, double y)
    {
        double s = 0;
        double w = y;
        for (int i = 0; i < x.Length; i++)
        {
            double a = x[i] * w;
            s += Math.Sin(a) * a;
            w = (w * 0.9) + (s * 0.01);
        }

        return s + w;
    }

    [Differentiable]
    public static double NonInvertibleIntegerState(double[] x)
    {
        int k = 0;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            k = ((k * 3) + 1) % x.Length;
            s += (x[k] * s) + x[i];
            if (x[k] > 0)
            {
                k = k / 2;
            }
            else
            {
                k += i;
                k %= x.Length;
            }
        }

        return s + x[k];
    }

    [Differentiable]
    public static double ReassignedInsideLoop(double[] x, double y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * y;
            if (i == 2)
            {
                y = y * y;
            }
        }

        return s * y;
    }

    [Differentiable]
    public static double ChainOfOverwrites(double[] x)
    {
        double p = 1;
        double q = 0;
        for (int i = 0; i < x.Length; i++)
        {
            p = p * x[i];
            q = q + (p * p);
            p = Math.Sin(p) + q;
            q = q / (1 + (p * p));
        }

        return p + q;
    }

    /// <summary>A local array element overwritten after being used nonlinearly, in nested loops.</summary>
    [Differentiable]
    public static double ArrayElementOverwrites(double[] x)
    {
        int n = x.Length;
        double[] a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = x[i];
        }

        for (int sweep = 0; sweep < 3; sweep++)
        {
            for (int i = 0; i < n; i++)
            {
                double left = a[(i + n - 1) % n];
                a[i] = Math.Tanh(a[i] * left) + x[i];
            }
        }

        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += a[i] * a[i];
        }

        return s;
    }

    /// <summary>A loop counter stepped by a data-dependent amount.</summary>
    [Differentiable]
    public static double DataDependentStride(double[] x)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length)
        {
            s += x[i] * (s + 1);
            i += x[i] > 0 ? 2 : 1;
        }

        return s;
    }

    /// <summary>
    /// A sum loop the generator runs fused with its reverse (so it adds to the gradient during the
    /// forward sweep), followed by a product loop that tapes one value per iteration: on a fresh
    /// thread the second loop fills the tape, and the rerun after growing it must not add the first
    /// loop's contribution twice.
    /// </summary>
    [Differentiable]
    public static double SumThenTapedProduct(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * x[i];
        }

        double p = 1;
        for (int i = 0; i < x.Length; i++)
        {
            p = p * (1 + (0.001 * x[i]));
        }

        return s + p;
    }

    /// <summary>
    /// A sum loop run fused with its reverse whose iterations tape m overwritten elements of a local
    /// array when x[i] &gt; 0: with m above the tape's initial size and a first iteration that tapes
    /// nothing, only the room reserved before the loop keeps the second iteration of a fresh
    /// thread's first call from failing after the first has added to the gradient.
    /// </summary>
    [Differentiable]
    public static double FusedSumWithLargeIterations(double[] x, int m)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double[] buf = new double[m];
            for (int j = 0; j < m; j++)
            {
                buf[j] = x[i] * j;
            }

            if (x[i] > 0)
            {
                for (int j = 0; j < m; j++)
                {
                    buf[j] = Math.Sin(buf[j]);
                }
            }

            for (int j = 0; j < m; j++)
            {
                s += buf[j] * buf[j];
            }
        }

        return s;
    }
}

public class TapingTests
{
    [Fact]
    public void OperandChangesLater() => CheckFunction(
        1401,
        r => [.. r.Uniform(5, -1.0, 1.0), r.Uniform(-1.0, 1.0)],
        z => Taping.OperandChangesLater(z.Part(0, 5), z[5]),
        (z, g) => Taping.OperandChangesLaterGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => Taping.OperandChangesLaterJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => Taping.OperandChangesLaterHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]));

    [Fact]
    public void NonInvertibleIntegerState() => CheckFunction(
        1402,
        r => r.Uniform(7, -1.0, 1.0),
        z => Taping.NonInvertibleIntegerState(z),
        (z, g) => Taping.NonInvertibleIntegerStateGradient(z, g),
        (double[] z, double[] d, out double t) => Taping.NonInvertibleIntegerStateJvp(z, d, out t),
        (z, d, g) => Taping.NonInvertibleIntegerStateHvp(z, d, g),
        points: 10);

    [Fact]
    public void ReassignedInsideLoop() => CheckFunction(
        1403,
        r => [.. r.Uniform(5, -1.0, 1.0), r.Uniform(-1.0, 1.0)],
        z => Taping.ReassignedInsideLoop(z.Part(0, 5), z[5]),
        (z, g) => Taping.ReassignedInsideLoopGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => Taping.ReassignedInsideLoopJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => Taping.ReassignedInsideLoopHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]));

    [Fact]
    public void ChainOfOverwrites() => CheckFunction(
        1404,
        r => r.Uniform(5, -1.0, 1.0),
        z => Taping.ChainOfOverwrites(z),
        (z, g) => Taping.ChainOfOverwritesGradient(z, g),
        (double[] z, double[] d, out double t) => Taping.ChainOfOverwritesJvp(z, d, out t),
        (z, d, g) => Taping.ChainOfOverwritesHvp(z, d, g));

    [Fact]
    public void ArrayElementOverwrites() => CheckFunction(
        1405,
        r => r.Uniform(5, -1.0, 1.0),
        z => Taping.ArrayElementOverwrites(z),
        (z, g) => Taping.ArrayElementOverwritesGradient(z, g),
        (double[] z, double[] d, out double t) => Taping.ArrayElementOverwritesJvp(z, d, out t),
        (z, d, g) => Taping.ArrayElementOverwritesHvp(z, d, g));

    [Fact]
    public void DataDependentStride() => CheckFunction(
        1406,
        r => r.Uniform(8, -1.0, 1.0),
        z => Taping.DataDependentStride(z),
        (z, g) => Taping.DataDependentStrideGradient(z, g),
        (double[] z, double[] d, out double t) => Taping.DataDependentStrideJvp(z, d, out t),
        (z, d, g) => Taping.DataDependentStrideHvp(z, d, g),
        points: 10);

    [Fact]
    public void FusedSumFollowedByATapeThatGrowsOnAFreshThread_GivesTheSameGradientAndHvp()
    {
        const int n = 20_000;
        var random = new Random(77);
        var x = random.Uniform(n, -1.0, 1.0);
        var v = random.Uniform(n, -1.0, 1.0);
        (double[] Gradient, double[] Hv) Run()
        {
            var g = new double[n];
            Taping.SumThenTapedProductGradient(x, g);
            var hv = new double[n];
            Taping.SumThenTapedProductHvp(x, v, hv);
            return (g, hv);
        }

        (double[] Gradient, double[] Hv) fresh = default;
        var thread = new System.Threading.Thread(() => fresh = Run());
        thread.Start();
        thread.Join();

        // Closed form: d/dx_i = 2 x_i + 0.001 p / (1 + 0.001 x_i).
        double p = 1;
        foreach (var xi in x)
        {
            p *= 1 + (0.001 * xi);
        }

        for (int i = 0; i < n; i++)
        {
            double expected = (2 * x[i]) + (0.001 * p / (1 + (0.001 * x[i])));
            Assert.True(Math.Abs(fresh.Gradient[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"component {i}: {fresh.Gradient[i]:R} vs {expected:R}");
        }

        var warm = Run();
        Assert.Equal(warm.Gradient, fresh.Gradient);
        Assert.Equal(warm.Hv, fresh.Hv);
    }

    [Fact]
    public void FusedSumWithIterationsLargerThanTheTape_OnAFreshThread_MatchesTheClosedForm()
    {
        const int m = 10_000;
        var x = new[] { -0.3e-3, 0.7e-3, 0.2e-3 };
        var v = new[] { 0.5, -1.0, 0.25 };
        (double[] Gradient, double[] Hv) Run()
        {
            var g = new double[x.Length];
            Taping.FusedSumWithLargeIterationsGradient(x, m, g);
            var hv = new double[x.Length];
            Taping.FusedSumWithLargeIterationsHvp(x, m, v, hv);
            return (g, hv);
        }

        (double[] Gradient, double[] Hv) fresh = default;
        var thread = new System.Threading.Thread(() => fresh = Run());
        thread.Start();
        thread.Join();

        // x_i > 0: s_i = sum_j sin^2(x_i j), ds/dx_i = sum_j j sin(2 x_i j), d2s/dx_i^2 = sum_j 2 j^2 cos(2 x_i j).
        // x_i <= 0: s_i = sum_j (x_i j)^2, ds/dx_i = sum_j 2 x_i j^2, d2s/dx_i^2 = sum_j 2 j^2.
        for (int i = 0; i < x.Length; i++)
        {
            double gradient = 0, second = 0;
            for (int j = 0; j < m; j++)
            {
                gradient += x[i] > 0 ? j * Math.Sin(2 * x[i] * j) : 2.0 * x[i] * j * j;
                second += x[i] > 0 ? 2.0 * j * j * Math.Cos(2 * x[i] * j) : 2.0 * j * j;
            }

            Assert.True(Math.Abs(fresh.Gradient[i] - gradient) <= 1e-9 * Math.Max(1, Math.Abs(gradient)), $"gradient {i}: {fresh.Gradient[i]:R} vs {gradient:R}");
            Assert.True(Math.Abs(fresh.Hv[i] - (second * v[i])) <= 1e-9 * Math.Max(1, Math.Abs(second * v[i])), $"Hv {i}: {fresh.Hv[i]:R} vs {second * v[i]:R}");
        }

        var warm = Run();
        Assert.Equal(warm.Gradient, fresh.Gradient);
        Assert.Equal(warm.Hv, fresh.Hv);
    }
}

