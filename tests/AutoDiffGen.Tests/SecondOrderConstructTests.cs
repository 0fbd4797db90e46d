using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Functions built so that their Hessians have cross terms through every construct: values that
/// are overwritten, taped and used nonlinearly afterwards, arrays created inside loops, data-dependent
/// trip counts, and chains of calls whose results are multiplied together.
/// </summary>
public static partial class SecondOrderConstructs
{
    /// <summary>End of the chain: nonlinear in a span and a scalar, with [NoDerivative] and int arguments.</summary>
    [Differentiable]
    public static double LevelC(ReadOnlySpan<double> a, double t, [NoDerivative] double weight, int power)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double p = 1;
            for (int k = 0; k < power; k++)
            {
                p *= a[i] * t;
            }

            s += (weight * Math.Sin(p)) + (a[i] * a[i] * t);
        }

        return s;
    }

    /// <summary>Middle of the chain: a local array passed on, the product of two calls.</summary>
    [Differentiable]
    public static double LevelB(ReadOnlySpan<double> a, double t, int power)
    {
        double[] local = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            local[i] = a[i] * Math.Exp(0.3 * t);
        }

        return LevelC(local, t * t, 0.7, power) * LevelC(a, t, 1.3, 1);
    }

    /// <summary>Start of the chain A -> B -> C: an array created in each iteration, an element overwritten, then passed on.</summary>
    [Differentiable]
    public static double LevelA(double[] x, double y)
    {
        double total = 0;
        for (int r = 0; r < 3; r++)
        {
            double[] row = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                row[i] = (x[i] * (r + 1) * 0.5) + (y * 0.3);
            }

            row[0] = row[0] * row[x.Length - 1];
            total += LevelB(row, y + (0.1 * r), r + 1) * (1 + (0.1 * total));
        }

        return total;
    }

    /// <summary>Every loop kind in one function over one local array, whose elements are overwritten in place.</summary>
    [Differentiable]
    public static double AllLoops(double[] x, double y)
    {
        int n = x.Length;
        double[] buf = new double[n];
        for (int i = 0; i < n; i++)
        {
            buf[i] = x[i] * y;
        }

        // while with a data-dependent trip count.
        double t = 0.1 + (y * y);
        int trips = 0;
        while (t < 3.0 && trips < 20)
        {
            t = (t * 1.5) + (0.05 * buf[trips % n] * buf[trips % n]);
            trips++;
        }

        // do-while, overwriting elements with a function of their old value.
        double u = x[0];
        int k = 0;
        do
        {
            u = (Math.Sin(u) * y) + x[k % n];
            buf[k % n] *= 1 + (0.1 * u);
            k++;
        }
        while (k < n + 1);

        // foreach with break and continue.
        double s = 0;
        foreach (double e in buf)
        {
            if (e > 1.2)
            {
                break;
            }

            if (e < -0.5)
            {
                s -= e * e * 0.1;
                continue;
            }

            s += e * Math.Exp(0.2 * e) * t;
        }

        // Nested loops with continue and break.
        for (int i = 0; i < n; i++)
        {
            if (i == 1)
            {
                continue;
            }

            for (int j = i; j < n; j++)
            {
                if (j > i + 2)
                {
                    break;
                }

                s += buf[i] * buf[j] * u;
            }
        }

        // Early return.
        if (s > 8)
        {
            return Math.Log(s) * u;
        }

        return (s * u) + (t * y);
    }

    /// <summary>Branches and early returns in a loop, each arm with a different nonlinearity.</summary>
    [Differentiable]
    public static double BranchyLoop(double[] x, double y)
    {
        double acc = y;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0.5)
            {
                acc = (acc * x[i]) + Math.Sqrt(x[i]);
            }
            else if (x[i] < -0.5)
            {
                acc -= Math.Exp(x[i] * acc * 0.2);
            }
            else
            {
                acc = Math.Cos(acc) * x[i] * y;
            }

            if (acc * acc > 6)
            {
                return acc * y;
            }
        }

        return acc * acc;
    }

    /// <summary>A local array rewritten from its old values, passed to calls, then overwritten after them; call results feed later calls.</summary>
    [Differentiable]
    public static double CallThenOverwrite(double[] x, double y)
    {
        double[] buf = new double[x.Length];
        double total = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                buf[i] = (buf[i] * y) + (x[i] * x[i]);
            }

            total += (LevelC(buf, y, 0.5, 2) * total * 0.1) + LevelC(buf, (total * 0.1) + y, 0.2, 1);
            buf[r % x.Length] = Math.Sin(total);
        }

        return total;
    }

    /// <summary>Callees with their own data-dependent loops and early returns, called in a loop that may return early.</summary>
    [Differentiable]
    public static double CallsWithInnerControlFlow(double[] x, double y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = ClosedForms.NewtonSqrt(1 + (x[i] * x[i]) + (y * y));
            s += r * BranchyLoop(x, y * r * 0.3);
            if (s > 12)
            {
                return s * y;
            }
        }

        return s * s * 0.1;
    }
}

public class SecondOrderConstructTests
{
    [Fact]
    public void CallChainWithArraysCreatedInLoops() => CheckFunction(
        1701,
        r => [.. r.Uniform(4, -0.8, 0.8), r.Uniform(-0.8, 0.8)],
        z => SecondOrderConstructs.LevelA(z.Part(0, 4), z[4]),
        (z, g) => SecondOrderConstructs.LevelAGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.LevelAJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t),
        (z, d, g) => SecondOrderConstructs.LevelAHvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], g.AsSpan(0, 4), out g[4]),
        points: 8);

    [Fact]
    public void MiddleOfTheChain() => CheckFunction(
        1702,
        r => [.. r.Uniform(3, -1.0, 1.0), r.Uniform(-1.0, 1.0)],
        z => SecondOrderConstructs.LevelB(z.Part(0, 3), z[3], 3),
        (z, g) => SecondOrderConstructs.LevelBGradient(z.Part(0, 3), z[3], 3, g.AsSpan(0, 3), out g[3]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.LevelBJvp(z.Part(0, 3), z[3], 3, d.AsSpan(0, 3), d[3], out t),
        (z, d, g) => SecondOrderConstructs.LevelBHvp(z.Part(0, 3), z[3], 3, d.AsSpan(0, 3), d[3], g.AsSpan(0, 3), out g[3]));

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void EndOfTheChain(int power) => CheckFunction(
        1703 + power,
        r => [.. r.Uniform(3, -1.0, 1.0), r.Uniform(-1.0, 1.0)],
        z => SecondOrderConstructs.LevelC(z.AsSpan(0, 3), z[3], 0.9, power),
        (z, g) => SecondOrderConstructs.LevelCGradient(z.AsSpan(0, 3), z[3], 0.9, power, g.AsSpan(0, 3), out g[3]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.LevelCJvp(z.AsSpan(0, 3), z[3], 0.9, power, d.AsSpan(0, 3), d[3], out t),
        (z, d, g) => SecondOrderConstructs.LevelCHvp(z.AsSpan(0, 3), z[3], 0.9, power, d.AsSpan(0, 3), d[3], g.AsSpan(0, 3), out g[3]));

    [Fact]
    public void EveryLoopKindWithOverwrittenElements() => CheckFunction(
        1710,
        r => [.. r.Uniform(6, -1.5, 1.5), r.Uniform(-1.5, 1.5)],
        z => SecondOrderConstructs.AllLoops(z.Part(0, 6), z[6]),
        (z, g) => SecondOrderConstructs.AllLoopsGradient(z.Part(0, 6), z[6], g.AsSpan(0, 6), out g[6]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.AllLoopsJvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], out t),
        (z, d, g) => SecondOrderConstructs.AllLoopsHvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], g.AsSpan(0, 6), out g[6]),
        points: 24);

    [Fact]
    public void BranchesAndEarlyReturnsInALoop() => CheckFunction(
        1711,
        r => [.. r.Uniform(6, -1.5, 1.5), r.Uniform(-2.0, 2.0)],
        z => SecondOrderConstructs.BranchyLoop(z.Part(0, 6), z[6]),
        (z, g) => SecondOrderConstructs.BranchyLoopGradient(z.Part(0, 6), z[6], g.AsSpan(0, 6), out g[6]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.BranchyLoopJvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], out t),
        (z, d, g) => SecondOrderConstructs.BranchyLoopHvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], g.AsSpan(0, 6), out g[6]),
        points: 24);

    [Fact]
    public void LocalArrayOverwrittenAfterCalls() => CheckFunction(
        1713,
        r => [.. r.Uniform(4, -0.9, 0.9), r.Uniform(-0.9, 0.9)],
        z => SecondOrderConstructs.CallThenOverwrite(z.Part(0, 4), z[4]),
        (z, g) => SecondOrderConstructs.CallThenOverwriteGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.CallThenOverwriteJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t),
        (z, d, g) => SecondOrderConstructs.CallThenOverwriteHvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], g.AsSpan(0, 4), out g[4]),
        points: 10);

    [Fact]
    public void CalleesWithDataDependentLoopsAndEarlyReturns() => CheckFunction(
        1714,
        r => [.. r.Uniform(5, -1.5, 1.5), r.Uniform(-1.5, 1.5)],
        z => SecondOrderConstructs.CallsWithInnerControlFlow(z.Part(0, 5), z[5]),
        (z, g) => SecondOrderConstructs.CallsWithInnerControlFlowGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => SecondOrderConstructs.CallsWithInnerControlFlowJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => SecondOrderConstructs.CallsWithInnerControlFlowHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]),
        points: 16);

    [Fact]
    public void HessianThroughTheCallChainMatchesHvps()
    {
        // The dense Hessian of LevelA (calls, loops, local arrays) against H e_j from the HVP.
        var random = new Random(1712);
        var x = random.Uniform(4, -0.8, 0.8);
        double y = random.Uniform(-0.8, 0.8);
        const int n = 5;
        var h = new double[n * n];
        Array.Fill(h, 3.0);
        double value = SecondOrderConstructs.LevelAHessian(x, y, h);
        Assert.Equal(SecondOrderConstructs.LevelA(x, y), value);
        double scale = 0;
        foreach (double e in h)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int j = 0; j < n; j++)
        {
            var v = new double[n];
            v[j] = 1.0;
            var hv = new double[n];
            SecondOrderConstructs.LevelAHvp(x, y, v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), out hv[4]);
            for (int i = 0; i < n; i++)
            {
                // Symmetrized entry against one HVP column: equal up to the Hessian's asymmetry in rounding.
                AssertClose(hv[i], h[(i * n) + j], 1e-12, scale, $"H[{i},{j}]");
                Assert.True(h[(i * n) + j].Equals(h[(j * n) + i]), "symmetric to the last bit");
            }
        }
    }
}
