using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>More loop shapes: continue in while and do loops, for without condition, two counters.</summary>
public static partial class ControlFlow
{
    [Differentiable]
    public static double ContinueInWhileAndDo(double[] x)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length)
        {
            i++;
            if (x[i - 1] < 0)
            {
                continue;
            }

            s += x[i - 1] * s + x[i - 1];
        }

        int k = 0;
        do
        {
            k++;
            if (k % 2 == 0)
            {
                continue;
            }

            s = s * Math.Cos(x[k - 1]);
        }
        while (k < x.Length);

        return s;
    }

    [Differentiable]
    public static double ForWithoutCondition(double[] x)
    {
        double s = 0;
        for (int i = 0; ; i++)
        {
            s += x[i] * x[i];
            if (s > 2 || i == x.Length - 1)
            {
                break;
            }
        }

        return s;
    }

    [Differentiable]
    public static double TwoCounters(double[] x)
    {
        double s = 0;
        for (int i = 0, j = x.Length - 1; i < j; i++, j--)
        {
            s += x[i] * x[j];
        }

        return s;
    }

    /// <summary>An index found by a data-dependent search, used after the loop.</summary>
    [Differentiable]
    public static double IndexOfMaximum(double[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }

        double s = 0;
        foreach (double v in x)
        {
            s += v * x[best];
        }

        return s * x[best];
    }

    /// <summary>An active double counter whose step is itself active, with continue.</summary>
    [Differentiable]
    public static double ActiveStepWithContinue(double x, double y)
    {
        double s = 0;
        for (double u = x; u < 3; u += 0.5 + (y * y))
        {
            if (u < 0)
            {
                continue;
            }

            s += u * u * y;
        }

        return s;
    }

    /// <summary>break inside if inside foreach inside while.</summary>
    [Differentiable]
    public static double BreakDeepInside(double[] x, double y)
    {
        double s = y;
        int rounds = 0;
        while (rounds < 4)
        {
            foreach (double v in x)
            {
                s = (s * 0.9) + (v * y);
                if (s > 3)
                {
                    break;
                }
            }

            rounds++;
        }

        return s;
    }
}

public class ControlFlowTests
{
    [Fact]
    public void ContinueInWhileAndDo() => CheckFunction(
        1301,
        r => r.Uniform(6, -1.0, 1.0),
        z => ControlFlow.ContinueInWhileAndDo(z),
        (z, g) => ControlFlow.ContinueInWhileAndDoGradient(z, g),
        (double[] z, double[] d, out double t) => ControlFlow.ContinueInWhileAndDoJvp(z, d, out t),
        (z, d, g) => ControlFlow.ContinueInWhileAndDoHvp(z, d, g),
        points: 10);

    [Fact]
    public void ForWithoutCondition() => CheckFunction(
        1302,
        r => r.Uniform(5, -1.0, 1.0),
        z => ControlFlow.ForWithoutCondition(z),
        (z, g) => ControlFlow.ForWithoutConditionGradient(z, g),
        (double[] z, double[] d, out double t) => ControlFlow.ForWithoutConditionJvp(z, d, out t),
        (z, d, g) => ControlFlow.ForWithoutConditionHvp(z, d, g),
        points: 10);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    public void TwoCounters(int n) => CheckFunction(
        1303 + n,
        r => r.Uniform(n, -1.0, 1.0),
        z => ControlFlow.TwoCounters(z),
        (z, g) => ControlFlow.TwoCountersGradient(z, g),
        (double[] z, double[] d, out double t) => ControlFlow.TwoCountersJvp(z, d, out t),
        (z, d, g) => ControlFlow.TwoCountersHvp(z, d, g));

    [Fact]
    public void IndexOfMaximum() => CheckFunction(
        1311,
        r => r.Uniform(6, -1.0, 1.0),
        z => ControlFlow.IndexOfMaximum(z),
        (z, g) => ControlFlow.IndexOfMaximumGradient(z, g),
        (double[] z, double[] d, out double t) => ControlFlow.IndexOfMaximumJvp(z, d, out t),
        (z, d, g) => ControlFlow.IndexOfMaximumHvp(z, d, g),
        points: 10);

    [Fact]
    public void ActiveStepWithContinue() => CheckFunction(
        1313,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(0.2, 1.0)],
        z => ControlFlow.ActiveStepWithContinue(z[0], z[1]),
        (z, g) => ControlFlow.ActiveStepWithContinueGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => ControlFlow.ActiveStepWithContinueJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => ControlFlow.ActiveStepWithContinueHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 12);

    [Fact]
    public void BreakDeepInside() => CheckFunction(
        1312,
        r => [.. r.Uniform(4, -1.0, 1.5), r.Uniform(0.2, 1.5)],
        z => ControlFlow.BreakDeepInside(z.Part(0, 4), z[4]),
        (z, g) => ControlFlow.BreakDeepInsideGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
        (double[] z, double[] d, out double t) => ControlFlow.BreakDeepInsideJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t),
        (z, d, g) => ControlFlow.BreakDeepInsideHvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], g.AsSpan(0, 4), out g[4]),
        points: 12);
}
