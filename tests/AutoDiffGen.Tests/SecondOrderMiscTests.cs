using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Smaller second-order cases: powers and kinks, locals assigned in branches, prefix recurrences with compound element updates, calls under short-circuit conditions, an unused input.</summary>
public static partial class SecondOrderMisc
{
    [Differentiable]
    public static double Powers(double x, double y) => Math.Pow(x, 3.0) + Math.Pow(y, 2) + (Math.Abs(x) * x) + Math.Max(x * x, y) + Math.Sqrt(Math.Pow(x, 2) + Math.Pow(y, 2));

    [Differentiable]
    public static double ConditionalLocal(double[] x, double y)
    {
        double s = y;
        for (int i = 0; i < x.Length; i++)
        {
            double t;
            if (x[i] > 0)
            {
                t = x[i] * x[i];
            }
            else
            {
                t = Math.Exp(x[i]);
            }

            s = (s * t * 0.5) + (t * y);
        }

        return s;
    }

    [Differentiable]
    public static double PrefixAndCompound(double[] x, int n)
    {
        double[] p = new double[n];
        p[0] = x[0];
        for (int i = 1; i < n; i++)
        {
            p[i] = (p[i - 1] * x[i % x.Length]) + Math.Sin(p[i - 1]);
        }

        for (int i = 0; i < n; i++)
        {
            int j = (i * 3) % n;
            p[i] /= 1 + (p[j] * p[j]);
            p[j] -= 0.1 * p[i] * x[0];
        }

        double s = 0;
        foreach (double v in p)
        {
            s += v * v;
        }

        return s;
    }

    [Differentiable]
    public static double ShortCircuitCalls(double x, double y)
    {
        double r = 0;
        if (x > 0 && Calls.Square(x) < 2)
        {
            r = Calls.Square(x * y) + Math.Atan2(Calls.Square(y) + 0.1, x);
        }
        else
        {
            r = Calls.Gate(x * y, y > 0, 2) * x;
        }

        return r + (Calls.Square(r) * 0.1);
    }

    /// <summary>
    /// Objective-shaped sums (the shape the reverse sweep fuses with the forward): an active value
    /// computed before the loops and read in them, two sum loops with constant factors and a
    /// negation, a subtracting update, a scalar accumulated by a nested loop, a local array refilled
    /// in each iteration, extra terms after the loops.
    /// </summary>
    [Differentiable]
    public static double SumLoops(double[] x, double y)
    {
        int n = x.Length;
        double m = (x[0] * x[0]) + y;
        double[] work = new double[3];
        double s1 = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                work[j] = x[(i + j) % n] * m;
            }

            double t = 0;
            for (int j = 0; j < 3; j++)
            {
                t += work[j] * work[j] * y;
            }

            s1 += Math.Log(1 + (t * t));
            s1 -= 0.1 * (x[i] - m) * (x[i] - m);
        }

        double s2 = 0.5;
        foreach (double e in x)
        {
            s2 += Math.Exp(0.3 * e * y);
        }

        double total = (2.0 * s1) - s2;
        double negated = -total + (y * y);
        return negated * 0.25;
    }

    /// <summary>A sum loop with continue, branches adding different terms, and a call whose own loop is a sum.</summary>
    [Differentiable]
    public static double SumWithContinue(double[] x, double y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] < -0.8)
            {
                continue;
            }

            if (x[i] > 0)
            {
                s += x[i] * x[i] * y;
            }
            else
            {
                s -= Math.Exp(x[i] * y) * CallHelpers.Scaled(x[i], 0.5, 3);
            }

            s += CallHelpers.SumOfSquares(x) * x[i] * 0.01;
        }

        return 3.0 * s;
    }

    /// <summary>A sum loop whose sum reaches the result through a non-constant factor (not the fused shape).</summary>
    [Differentiable]
    public static double ScaledSum(double[] x, [NoDerivative] double c, double y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Sin(x[i] * y);
        }

        return (c * s) + (s * y);
    }

    /// <summary>The sum-loop objectives above, called with seeds that depend on the input.</summary>
    [Differentiable]
    public static double CallsSumLoops(double[] x, double y)
    {
        double a = SumLoops(x, y);
        double b = ScaledSum(x, 0.3, a);
        return (a * b) + Math.Sin(a * y);
    }

    /// <summary>Max and Min of nonlinear arguments, for the second-order conventions at ties.</summary>
    [Differentiable]
    public static double TieOfSquares(double x, double y) => Math.Max(x * x, y) + Math.Min(y * y, x);

    /// <summary>y is differentiable but unused: its row and column of the Hessian are zero.</summary>
    [Differentiable]
    public static double Unused(double x, double y) => x * x * x;
}

public class SecondOrderMiscTests
{
    [Fact]
    public void Powers() => CheckFunction(
        1801,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => SecondOrderMisc.Powers(z[0], z[1]),
        (z, g) => SecondOrderMisc.PowersGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => SecondOrderMisc.PowersJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => SecondOrderMisc.PowersHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 20);

    [Fact]
    public void ConditionalLocal() => CheckFunction(
        1802,
        r => [.. r.Uniform(5, -1.5, 1.5), r.Uniform(-1.0, 1.0)],
        z => SecondOrderMisc.ConditionalLocal(z.Part(0, 5), z[5]),
        (z, g) => SecondOrderMisc.ConditionalLocalGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => SecondOrderMisc.ConditionalLocalJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => SecondOrderMisc.ConditionalLocalHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]),
        points: 10);

    [Fact]
    public void PrefixAndCompound() => CheckFunction(
        1803,
        r => r.Uniform(4, -1.0, 1.0),
        z => SecondOrderMisc.PrefixAndCompound(z, 7),
        (z, g) => SecondOrderMisc.PrefixAndCompoundGradient(z, 7, g),
        (double[] z, double[] d, out double t) => SecondOrderMisc.PrefixAndCompoundJvp(z, 7, d, out t),
        (z, d, g) => SecondOrderMisc.PrefixAndCompoundHvp(z, 7, d, g),
        points: 10);

    [Fact]
    public void ShortCircuitCalls() => CheckFunction(
        1804,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => SecondOrderMisc.ShortCircuitCalls(z[0], z[1]),
        (z, g) => SecondOrderMisc.ShortCircuitCallsGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => SecondOrderMisc.ShortCircuitCallsJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => SecondOrderMisc.ShortCircuitCallsHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 20);

    [Fact]
    public void SumLoops() => CheckFunction(
        1805,
        r => [.. r.Uniform(5, -1.0, 1.0), r.Uniform(-1.0, 1.0)],
        z => SecondOrderMisc.SumLoops(z.Part(0, 5), z[5]),
        (z, g) => SecondOrderMisc.SumLoopsGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => SecondOrderMisc.SumLoopsJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => SecondOrderMisc.SumLoopsHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]),
        points: 8);

    [Fact]
    public void SumWithContinue() => CheckFunction(
        1808,
        r => [.. r.Uniform(6, -1.5, 1.5), r.Uniform(-1.5, 1.5)],
        z => SecondOrderMisc.SumWithContinue(z.Part(0, 6), z[6]),
        (z, g) => SecondOrderMisc.SumWithContinueGradient(z.Part(0, 6), z[6], g.AsSpan(0, 6), out g[6]),
        (double[] z, double[] d, out double t) => SecondOrderMisc.SumWithContinueJvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], out t),
        (z, d, g) => SecondOrderMisc.SumWithContinueHvp(z.Part(0, 6), z[6], d.AsSpan(0, 6), d[6], g.AsSpan(0, 6), out g[6]),
        points: 10);

    [Fact]
    public void ScaledSum() => CheckFunction(
        1806,
        r => [.. r.Uniform(5, -1.5, 1.5), r.Uniform(-1.5, 1.5)],
        z => SecondOrderMisc.ScaledSum(z.Part(0, 5), 0.7, z[5]),
        (z, g) => SecondOrderMisc.ScaledSumGradient(z.Part(0, 5), 0.7, z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => SecondOrderMisc.ScaledSumJvp(z.Part(0, 5), 0.7, z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => SecondOrderMisc.ScaledSumHvp(z.Part(0, 5), 0.7, z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]));

    [Fact]
    public void SumLoopsAsCallees()
    {
        // Called from another method, a sum loop's seed and its tangent vary with the input.
        CheckFunction(
            1807,
            r => [.. r.Uniform(4, -1.0, 1.0), r.Uniform(-1.0, 1.0)],
            z => SecondOrderMisc.CallsSumLoops(z.Part(0, 4), z[4]),
            (z, g) => SecondOrderMisc.CallsSumLoopsGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
            (double[] z, double[] d, out double t) => SecondOrderMisc.CallsSumLoopsJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t),
            (z, d, g) => SecondOrderMisc.CallsSumLoopsHvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], g.AsSpan(0, 4), out g[4]),
            points: 8);
    }

    [Fact]
    public void SecondOrderConventionsAtNonDifferentiablePoints()
    {
        // Piecewise linear: zero Hessian everywhere, at the tie x = y = 0 too (exactly, not NaN).
        var h = new double[] { 5.0, 5.0, 5.0, 5.0 };
        MathFunctions.KinksHessian(0.0, 0.0, h);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, h);

        // At a tie Max and Min split the gradient 1/2 : 1/2, so the Hessian (the derivative of that
        // gradient with the split held) is the mean of the two sides' Hessians: at x = y = 1,
        // 1/2 d2(x^2) + 1/2 d2(y^2) = [[1, 0], [0, 1]]; away from ties the usual one-sided values.
        SecondOrderMisc.TieOfSquaresHessian(1.0, 1.0, h);
        Assert.Equal(new[] { 1.0, 0.0, 0.0, 1.0 }, h);
        SecondOrderMisc.TieOfSquaresHessian(2.0, 1.0, h); // x^2 > y, y^2 < x
        Assert.Equal(new[] { 2.0, 0.0, 0.0, 2.0 }, h);
        SecondOrderMisc.TieOfSquaresHessian(0.5, 1.0, h); // x^2 < y, y^2 > x
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, h);
    }

    [Fact]
    public void Unused()
    {
        // d2/dx2 x^3 = 6x = 9 at x = 1.5; every other entry zero, the garbage overwritten.
        var h = new double[] { 5.0, 5.0, 5.0, 5.0 };
        Assert.Equal(3.375, SecondOrderMisc.UnusedHessian(1.5, 2.0, h));
        Assert.Equal(new[] { 9.0, 0.0, 0.0, 0.0 }, h);
        Assert.Equal(3.375, SecondOrderMisc.UnusedHvp(1.5, 2.0, 1.0, 1.0, out double hx, out double hy));
        Assert.Equal(9.0, hx);
        Assert.Equal(0.0, hy);
    }
}
