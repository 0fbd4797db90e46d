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

    /// <summary>Data arrays passed to differentiable parameters of a callee (their derivative is zero), in a loop.</summary>
    [Differentiable]
    public static double InactiveArrayArguments(double[] x, [NoDerivative] double[] a, int repeats)
    {
        double s = 0;
        for (int k = 0; k < repeats; k++)
        {
            s += (CallHelpers.Dot(x, a) * CallHelpers.Dot(a, a)) + CallHelpers.SumOfSquares(a) + (s * 0.1 * CallHelpers.Dot(a, x));
        }

        return s;
    }

    [Differentiable]
    public static double Gate(double v, bool on, int shift) => on ? v * (v + shift) : -v;

    /// <summary>Calls taking array elements (parameter and local), calls in ?: arms and in loop conditions, bool arguments.</summary>
    [Differentiable]
    public static double CallShapes(double[] x, double y)
    {
        double[] a = new double[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            a[i] = Square(x[i]) + Gate(x[i] * y + 1, i % 2 == 0, i);
            s += x[i] > 0 ? Square(a[i]) : Middle(a[i] - y);
            a[i] = Square(a[i]) * y;
        }

        double t = y;
        int guard = 0;
        while (Square(t) < 4 && guard < 50)
        {
            t = (t * 1.3) + (0.1 * Square(a[guard % a.Length]));
            guard++;
        }

        return s + t + Square(a[0] * a[x.Length - 1]);
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
        (double[] z, double[] d, out double t) => Calls.SameTypeJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Calls.SameTypeHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void OtherType()
    {
        var w = new double[] { 0.5, 1.5, 2.0, 0.25, 1.0 };
        CheckFunction(
            602,
            r => r.Uniform(6, -1.2, 1.2),
            z => Calls.OtherType(z.Part(0, 5), w, z[5]),
            (z, g) => Calls.OtherTypeGradient(z.Part(0, 5), w, z[5], g.AsSpan(0, 5), out g[5]),
            (double[] z, double[] d, out double t) => Calls.OtherTypeJvp(z.Part(0, 5), w, z[5], d.AsSpan(0, 5), d[5], out t),
            (z, d, g) => Calls.OtherTypeHvp(z.Part(0, 5), w, z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]));
    }

    [Fact]
    public void Aliasing() => CheckFunction(
        603,
        r => r.Uniform(5, -1.5, 1.5),
        z => Calls.Aliasing(z.Part(0, 4), z[4]),
        (z, g) => Calls.AliasingGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
        (double[] z, double[] d, out double t) => Calls.AliasingJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t),
        (z, d, g) => Calls.AliasingHvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], g.AsSpan(0, 4), out g[4]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Chain(int steps) => CheckFunction(
        604 + steps,
        r => [r.Uniform(-1.5, 1.5)],
        z => Calls.Chain(z[0], steps),
        (z, g) => Calls.ChainGradient(z[0], steps, out g[0]),
        (double[] z, double[] d, out double t) => Calls.ChainJvp(z[0], steps, d[0], out t),
        (z, d, g) => Calls.ChainHvp(z[0], steps, d[0], out g[0]));

    [Fact]
    public void CallInBranch() => CheckFunction(
        610,
        r => [r.Uniform(-1.5, 1.5), r.Uniform(-2.0, 2.0)],
        z => Calls.CallInBranch(z[0], z[1]),
        (z, g) => Calls.CallInBranchGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Calls.CallInBranchJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Calls.CallInBranchHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 16);

    [Fact]
    public void InactiveArrayArguments()
    {
        var a = new double[] { 0.5, -1.0, 1.5, 0.25 };
        CheckFunction(
            612,
            r => r.Uniform(4, -1.0, 1.0),
            z => Calls.InactiveArrayArguments(z, a, 3),
            (z, g) => Calls.InactiveArrayArgumentsGradient(z, a, 3, g),
            (double[] z, double[] d, out double t) => Calls.InactiveArrayArgumentsJvp(z, a, 3, d, out t),
            (z, d, g) => Calls.InactiveArrayArgumentsHvp(z, a, 3, d, g));

        // grad (<x, a> <a, a> + <a, a>) for one repeat = <a, a> a (the s term starts at zero).
        var x = new double[] { 0.1, 0.2, 0.3, 0.4 };
        var g = new double[4];
        Calls.InactiveArrayArgumentsGradient(x, a, 1, g);
        double aa = Dot(a, a);
        AssertClose(Array.ConvertAll(a, ai => aa * ai), g, 1e-14, 1.0, "grad");
    }

    [Fact]
    public void CallShapes() => CheckFunction(
        613,
        r => [.. r.Uniform(4, -1.0, 1.0), r.Uniform(0.2, 1.0)],
        z => Calls.CallShapes(z.Part(0, 4), z[4]),
        (z, g) => Calls.CallShapesGradient(z.Part(0, 4), z[4], g.AsSpan(0, 4), out g[4]),
        (double[] z, double[] d, out double t) => Calls.CallShapesJvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], out t),
        (z, d, g) => Calls.CallShapesHvp(z.Part(0, 4), z[4], d.AsSpan(0, 4), d[4], g.AsSpan(0, 4), out g[4]),
        points: 10);

    [Fact]
    public void PullbackAccumulatesSeedTimesGradient()
    {
        // The building block generated code calls: adds seed * gradient to what the slots hold.
        var random = new Random(614);
        var x = random.Uniform(5, -1.0, 1.0);
        double y = 0.7;
        var g = new double[5];
        double value = Calls.AliasingGradient(x, y, g, out double gy);

        var slots = random.Uniform(5, -1.0, 1.0);
        var initial = (double[])slots.Clone();
        double ySlot = 0.25;
        const double seed = -1.75;
        Assert.Equal(value, Calls.AliasingPullback(x, y, seed, slots, ref ySlot));
        for (int i = 0; i < 5; i++)
        {
            AssertClose(initial[i] + (seed * g[i]), slots[i], 1e-14, 1.0, "slot");
        }

        AssertClose(0.25 + (seed * gy), ySlot, 1e-14, 1.0, "y slot");
    }

    [Fact]
    public void HelperCompanionsOfTheOtherType()
    {
        var w = new double[] { 0.5, 1.5, 2.0 };
        CheckFunction(
            611,
            r => r.Uniform(3, -1.5, 1.5),
            z => CallHelpers.WeightedNorm(z, w, 2),
            (z, g) => CallHelpers.WeightedNormGradient(z, w, 2, g),
            (double[] z, double[] d, out double t) => CallHelpers.WeightedNormJvp(z, w, 2, d, out t),
            (z, d, g) => CallHelpers.WeightedNormHvp(z, w, 2, d, g));
    }
}
