using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>[Differentiable] methods that the methods of <see cref="Calls"/> call from another partial type.</summary>
public static partial class CallHelpers
{
    /// <summary>weight * v^power: a [NoDerivative] double and an int argument.</summary>
    [Differentiable]
    public static double Scaled(double v, [NoDerivative] double weight, int power)
    {
        double r = weight;
        for (int k = 0; k < power; k++)
        {
            r *= v;
        }

        return r;
    }

    /// <summary>sqrt(sum_{i &lt; count} w_i v_i^2 + 1): an array, a [NoDerivative] array and an int.</summary>
    [Differentiable]
    public static double WeightedNorm(ReadOnlySpan<double> v, [NoDerivative] double[] w, int count)
    {
        double s = 1;
        for (int i = 0; i < count; i++)
        {
            s += w[i] * v[i] * v[i];
        }

        return Math.Sqrt(s);
    }

    [Differentiable]
    public static double SumOfSquares(double[] v)
    {
        double s = 0;
        foreach (double e in v)
        {
            s += e * e;
        }

        return s;
    }

    /// <summary>Span parameters, so that local arrays can be passed too.</summary>
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}

/// <summary>Calls between [Differentiable] methods, in the same and in another partial type.</summary>
public static partial class Calls
{
    [Differentiable]
    public static double Square(double x) => x * x;

    /// <summary>Calls in the same type, one nested in the argument of another.</summary>
    [Differentiable]
    public static double SameType(double x, double y) => Square(x) + Square(Square(y) - x) + (Math.Sin(Square(x * y)) * y);

    /// <summary>Calls in another type with [NoDerivative] and int arguments, inside a loop.</summary>
    [Differentiable]
    public static double OtherType(double[] x, [NoDerivative] double[] w, double s)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            total += CallHelpers.Scaled(x[i], w[i], i + 1);
        }

        total += CallHelpers.WeightedNorm(x, w, x.Length - 1) * s;
        return total + (s * CallHelpers.SumOfSquares(x));
    }

    /// <summary>The same array passed to two differentiable parameters; a local array as argument.</summary>
    [Differentiable]
    public static double Aliasing(double[] x, double y)
    {
        double[] shifted = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            shifted[i] = x[i] + y;
        }

        return CallHelpers.Dot(x, x) + (y * CallHelpers.Dot(shifted, x)) + CallHelpers.Dot(shifted, shifted);
    }

    /// <summary>A chain of three calls deep, and a call whose result overwrites its argument in a loop.</summary>
    [Differentiable]
    public static double Chain(double x, int steps)
    {
        double v = x;
        for (int k = 0; k < steps; k++)
        {
            v = Middle(v) * 0.5;
        }

        return v + Middle(x);
    }

    [Differentiable]
    public static double Middle(double x) => Math.Cos(Square(x)) + Square(x * 0.3);

    /// <summary>A call inside a branch and an early return of a call result.</summary>
    [Differentiable]
    public static double CallInBranch(double x, double y)
    {
        if (x > 0)
        {
            return CallHelpers.Scaled(x + y, 2.0, 3);
        }

        double a = Square(y);
        if (a > 1)
        {
            a = Middle(a);
        }

        return a * x;
    }
}

public class CallTests
{
    [Fact]
    public void SameType() => CheckFunction(
        601,
        r => [r.Uniform(-1.5, 1.5), r.Uniform(-1.5, 1.5)],
        z => Calls.SameType(z[0], z[1]),
        (z, g) => Calls.SameTypeGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Calls.SameTypeJvp(z[0], z[1], d[0], d[1], out t));

    [Fact]
    public void OtherType()
    {
        var w = new double[] { 0.5, 1.5, 2.0, 0.25, 1.0 };
        CheckFunction(
            602,
            r => r.Uniform(6, -1.2, 1.2),
            z => Calls.OtherType(z.Part(0, 5), w, z[5]),
            (z, g) => Calls.OtherTypeGradient(z.Part(0, 5), w, z[5], g.AsSpan(0, 5), out g[5]),
            (double[] z, double[] d, out double t) => Calls.OtherTypeJvp(z.Part(0, 5), w, z[5], d.AsSpan(0, 5), d[5], out t));
    }

    [Fact]
    public void Aliasing() => CheckFunction(
        603,
        r => r.Uniform(5, -1.5, 1.5),
        z => Calls.Aliasing(z.Part(0, 4), z[4]),
        (z, g) => Calls.AliasingGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
        (double[] z, double[] d, out double t) => Calls.AliasingJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Chain(int steps) => CheckFunction(
        604 + steps,
        r => [r.Uniform(-1.5, 1.5)],
        z => Calls.Chain(z[0], steps),
        (z, g) => Calls.ChainGradient(z[0], steps, out g[0]),
        (double[] z, double[] d, out double t) => Calls.ChainJvp(z[0], steps, d[0], out t));

    [Fact]
    public void CallInBranch() => CheckFunction(
        610,
        r => [r.Uniform(-1.5, 1.5), r.Uniform(-2.0, 2.0)],
        z => Calls.CallInBranch(z[0], z[1]),
        (z, g) => Calls.CallInBranchGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Calls.CallInBranchJvp(z[0], z[1], d[0], d[1], out t),
        points: 16);

    [Fact]
    public void HelperCompanionsOfTheOtherType()
    {
        var w = new double[] { 0.5, 1.5, 2.0 };
        CheckFunction(
            611,
            r => r.Uniform(3, -1.5, 1.5),
            z => CallHelpers.WeightedNorm(z, w, 2),
            (z, g) => CallHelpers.WeightedNormGradient(z, w, 2, g),
            (double[] z, double[] d, out double t) => CallHelpers.WeightedNormJvp(z, w, 2, d, out t));
    }
}
