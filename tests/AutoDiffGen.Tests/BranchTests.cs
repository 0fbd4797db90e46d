using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>if / else if / else, early returns, ?: chains, locals declared inside branches.</summary>
public static partial class Branches
{
    [Differentiable]
    public static double IfElseChain(double x, double y)
    {
        double r;
        if (x < -1)
        {
            r = x * y;
        }
        else if (x < 0)
        {
            r = Math.Sin(x) + y;
            r *= 2;
        }
        else if (x < 1 && y > 0)
        {
            r = x * x * y;
        }
        else
        {
            r = Math.Exp(-x) * y;
        }

        return r + x;
    }

    [Differentiable]
    public static double EarlyReturns(double x, double y)
    {
        if (x > 1.5)
        {
            return x * y;
        }

        double a = x * x;
        if (y < 0)
        {
            if (a > 1)
            {
                return a - y;
            }

            a += y;
        }

        double b = a * y;
        if (b > 0.5)
        {
            return Math.Sqrt(b);
        }

        return b - a;
    }

    /// <summary>Branches that overwrite variables, and same-named locals in sibling scopes.</summary>
    [Differentiable]
    public static double BranchOverwrites(double x, double y)
    {
        double a = x;
        double b = y;
        if (a * b > 0)
        {
            double t = a * b;
            a = t;
            b = a + b;
        }
        else
        {
            double t = b * b;
            b = t - a;
        }

        if (!(a > b))
        {
            double t = a;
            a = b;
            b = t * 2;
        }

        return (a * 3) + b;
    }

    [Differentiable]
    public static double NestedConditionals(double x, double y) =>
        x > 0 ? (y > 0 ? x * y : x - y) : (y > 0 ? -x * y * y : x + (y * y));

    /// <summary>A branch whose condition is an int computed from the inputs; else-less ifs.</summary>
    [Differentiable]
    public static double IntDecision(double x, double y)
    {
        int bucket = 0;
        if (x > 0)
        {
            bucket++;
        }

        if (y > 0)
        {
            bucket += 2;
        }

        double r = x + y;
        if (bucket == 3)
        {
            r = r * r;
        }
        else if (bucket == 1 || bucket == 2)
        {
            r = Math.Cos(r);
        }

        return r * (bucket + 1);
    }
}

public class BranchTests
{
    [Fact]
    public void IfElseChain() => CheckFunction(
        301,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-1.0, 1.0)],
        z => Branches.IfElseChain(z[0], z[1]),
        (z, g) => Branches.IfElseChainGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Branches.IfElseChainJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Branches.IfElseChainHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 16);

    [Fact]
    public void EarlyReturns() => CheckFunction(
        302,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-1.5, 1.5)],
        z => Branches.EarlyReturns(z[0], z[1]),
        (z, g) => Branches.EarlyReturnsGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Branches.EarlyReturnsJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Branches.EarlyReturnsHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 20);

    [Fact]
    public void BranchOverwrites() => CheckFunction(
        303,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => Branches.BranchOverwrites(z[0], z[1]),
        (z, g) => Branches.BranchOverwritesGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Branches.BranchOverwritesJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Branches.BranchOverwritesHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 16);

    [Fact]
    public void NestedConditionals() => CheckFunction(
        304,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => Branches.NestedConditionals(z[0], z[1]),
        (z, g) => Branches.NestedConditionalsGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Branches.NestedConditionalsJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Branches.NestedConditionalsHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 16);

    [Fact]
    public void IntDecision() => CheckFunction(
        305,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => Branches.IntDecision(z[0], z[1]),
        (z, g) => Branches.IntDecisionGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Branches.IntDecisionJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Branches.IntDecisionHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 16);
}
