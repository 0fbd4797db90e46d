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
}
