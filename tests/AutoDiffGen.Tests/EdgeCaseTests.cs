using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Corner cases: names the generator also uses, parameter reassignment, aliasing array elements.</summary>
public static partial class EdgeCases
{
    /// <summary>Parameters and locals named like the generator's own variables.</summary>
    [Differentiable]
    public static double GeneratorNames(double seed, double dx, double x, double tangent)
    {
        double tape = seed * x;
        double value = tape + dx;
        double result = value * tangent;
        double adj = result - seed;
        double t = adj * adj;
        double t2 = t + x;
        int count = 0;
        int index = 1;
        int iteration = 2;
        int start = 3;
        bool broke = false;
        double x_bar = t2 * 0.5;
        double x_dot = x_bar + dx;
        double gradX = x_dot * seed;
        double arena = gradX;
        for (int i = 0; i < 3; i++)
        {
            count += index + iteration + start;
            if (broke)
            {
                break;
            }

            arena = (arena * 0.5) + t;
            broke = arena > 10;
        }

        return arena + count + gradX;
    }

    /// <summary>A scalar parameter reassigned in a while (true) loop left by break.</summary>
    [Differentiable]
    public static double ParameterReassigned(double x, double y)
    {
        int k = 0;
        while (true)
        {
            x = (x * 0.7) + (y * 0.1);
            k++;
            if (Math.Abs(x) < 0.05 || k >= 30)
            {
                break;
            }
        }

        y = y * y;
        return x + y + k;
    }

    /// <summary>A for loop with an inactive double counter whose trip count depends on x.</summary>
    [Differentiable]
    public static double DoubleCounter(double x, double y)
    {
        double acc = 0;
        for (double s = 0; s < x; s += 0.25)
        {
            acc += Math.Sin(s * y) + (s * x);
        }

        return acc;
    }

    /// <summary>Array elements that read themselves or other elements that may be the same one.</summary>
    [Differentiable]
    public static double SelfReferentialElements(double[] x)
    {
        int n = x.Length;
        double[] a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = x[i];
            a[i] = (a[i] * a[i]) + x[(i + 1) % n];
        }

        for (int k = 0; k < n; k++)
        {
            a[k] = a[n - 1 - k] * a[k];
            a[(k * 2) % n] += a[k];
            a[k] -= a[(k + 1) % n] * 0.5;
        }

        double s = 0;
        foreach (double v in a)
        {
            s += v;
        }

        return s;
    }

    /// <summary>Local arrays of a different length at each iteration.</summary>
    [Differentiable]
    public static double GrowingArrays(double[] x)
    {
        double s = 1;
        for (int k = 1; k <= x.Length; k++)
        {
            double[] b = new double[k];
            for (int i = 0; i < k; i++)
            {
                b[i] = x[i] * s;
            }

            double m = 0;
            for (int i = 0; i < b.Length; i++)
            {
                m += b[i] * b[b.Length - 1 - i];
            }

            s = Math.Sqrt(1 + (m * m));
        }

        return s;
    }

    /// <summary>Active ?: inside a loop, bool flags updated in the loop, int to double conversions.</summary>
    [Differentiable]
    public static double LoopWithConditionalsAndFlags(double[] x, int n)
    {
        double s = 0.5;
        bool sawNegative = false;
        for (int i = 0; i < x.Length; i++)
        {
            s = s > 1 ? s * x[i] : s + x[i];
            sawNegative = sawNegative || x[i] < 0;
            s += i;
            s *= n;
            s /= n + i;
            s = -s * (-i - 1) / (i + 1);
        }

        return sawNegative ? s : s * s;
    }

    /// <summary>A return from inside nested loops inside a branch; an int parameter reassigned.</summary>
    [Differentiable]
    public static double ReturnFromNestedLoop(double[] x, int limit)
    {
        double s = 0;
        if (x[0] > -0.5)
        {
            for (int i = 0; i < x.Length; i++)
            {
                int j = 0;
                while (j < i)
                {
                    s += x[i] * x[j];
                    if (s > limit)
                    {
                        return s * x[j];
                    }

                    j++;
                }
            }
        }
        else
        {
            limit = limit * 2;
            foreach (double v in x)
            {
                s -= v * limit;
            }
        }

        return s;
    }

    /// <summary>Reads past the end of a local array when x[0] > 0.5 (an exception in the middle of a sweep).</summary>
    [Differentiable]
    public static double ThrowsMidway(double[] x)
    {
        double[] a = new double[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            a[i] = x[i] * s + 1;
            s += a[i] * a[i];
        }

        int last = x[0] > 0.5 ? x.Length : x.Length - 1;
        return s + a[last];
    }

    /// <summary>Calls <see cref="ThrowsMidway"/> from a loop that has its own local array.</summary>
    [Differentiable]
    public static double CallsThrowing(double[] x)
    {
        double[] b = new double[3];
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            b[k] = ThrowsMidway(x) * k;
            s += b[k] * b[k];
        }

        return s;
    }

    [Differentiable]
    public static double Outer(double[] x) => Inner(x, x.Length) + Inner(x, 1);

    [Differentiable]
    public static double Inner(double[] x, int m) => x[0] * Innermost(x, m);

    [Differentiable]
    public static double Innermost(double[] x, int m)
    {
        double s = 0;
        for (int i = 0; i < m; i++)
        {
            s += Math.Exp(x[i] * 0.5);
        }

        return s;
    }
}

public class EdgeCaseTests
{
    [Fact]
    public void GeneratorNames() => CheckFunction(
        1001,
        r => r.Uniform(4, -1.5, 1.5),
        z => EdgeCases.GeneratorNames(z[0], z[1], z[2], z[3]),
        (z, g) => EdgeCases.GeneratorNamesGradient(z[0], z[1], z[2], z[3], out g[0], out g[1], out g[2], out g[3]),
        (double[] z, double[] d, out double t) => EdgeCases.GeneratorNamesJvp(z[0], z[1], z[2], z[3], d[0], d[1], d[2], d[3], out t),
        (z, d, g) => EdgeCases.GeneratorNamesHvp(z[0], z[1], z[2], z[3], d[0], d[1], d[2], d[3], out g[0], out g[1], out g[2], out g[3]),
        points: 10);

    [Fact]
    public void ParameterReassigned() => CheckFunction(
        1002,
        r => [r.Uniform(-3.0, 3.0), r.Uniform(-1.0, 1.0)],
        z => EdgeCases.ParameterReassigned(z[0], z[1]),
        (z, g) => EdgeCases.ParameterReassignedGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => EdgeCases.ParameterReassignedJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => EdgeCases.ParameterReassignedHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 10);

    [Fact]
    public void DoubleCounter() => CheckFunction(
        1003,
        r => [r.Uniform(-0.5, 3.0), r.Uniform(-1.0, 1.0)],
        z => EdgeCases.DoubleCounter(z[0], z[1]),
        (z, g) => EdgeCases.DoubleCounterGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => EdgeCases.DoubleCounterJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => EdgeCases.DoubleCounterHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 10);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void SelfReferentialElements(int n) => CheckFunction(
        1004 + n,
        r => r.Uniform(n, -1.0, 1.0),
        z => EdgeCases.SelfReferentialElements(z),
        (z, g) => EdgeCases.SelfReferentialElementsGradient(z, g),
        (double[] z, double[] d, out double t) => EdgeCases.SelfReferentialElementsJvp(z, d, out t),
        (z, d, g) => EdgeCases.SelfReferentialElementsHvp(z, d, g));

    [Fact]
    public void GrowingArrays() => CheckFunction(
        1010,
        r => r.Uniform(5, -1.0, 1.0),
        z => EdgeCases.GrowingArrays(z),
        (z, g) => EdgeCases.GrowingArraysGradient(z, g),
        (double[] z, double[] d, out double t) => EdgeCases.GrowingArraysJvp(z, d, out t),
        (z, d, g) => EdgeCases.GrowingArraysHvp(z, d, g));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LoopWithConditionalsAndFlags(int n) => CheckFunction(
        1011 + n,
        r => r.Uniform(5, -1.0, 2.0),
        z => EdgeCases.LoopWithConditionalsAndFlags(z, n),
        (z, g) => EdgeCases.LoopWithConditionalsAndFlagsGradient(z, n, g),
        (double[] z, double[] d, out double t) => EdgeCases.LoopWithConditionalsAndFlagsJvp(z, n, d, out t),
        (z, d, g) => EdgeCases.LoopWithConditionalsAndFlagsHvp(z, n, d, g),
        points: 10);

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void ReturnFromNestedLoop(int limit) => CheckFunction(
        1020 + limit,
        r => r.Uniform(5, -1.5, 1.5),
        z => EdgeCases.ReturnFromNestedLoop(z, limit),
        (z, g) => EdgeCases.ReturnFromNestedLoopGradient(z, limit, g),
        (double[] z, double[] d, out double t) => EdgeCases.ReturnFromNestedLoopJvp(z, limit, d, out t),
        (z, d, g) => EdgeCases.ReturnFromNestedLoopHvp(z, limit, d, g),
        points: 12);

    [Fact]
    public void AnExceptionInTheMiddleLeavesNoStateBehind()
    {
        var ok = new double[] { 0.1, 0.2, 0.3 };
        var bad = new double[] { 0.9, 0.2, 0.3 };
        var g = new double[3];
        var expected = new double[3];
        EdgeCases.CallsThrowingGradient(ok, expected);
        var tape = CompilerServices.AdTape.Current;
        var arena = CompilerServices.AdArena.Current;
        int doubles = tape.DoubleCount, ints = tape.IntCount, mark = arena.Mark;

        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.ThrowsMidway(bad));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.ThrowsMidwayGradient(bad, g));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.ThrowsMidwayJvp(bad, g, out _));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.CallsThrowingGradient(bad, g));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.CallsThrowingJvp(bad, g, out _));
        Assert.Equal(doubles, tape.DoubleCount);
        Assert.Equal(ints, tape.IntCount);
        Assert.Equal(mark, arena.Mark);

        EdgeCases.CallsThrowingGradient(ok, g);
        Assert.Equal(expected, g);
        CheckFunction(
            1040,
            r => r.Uniform(3, -1.0, 0.5),
            z => EdgeCases.CallsThrowing(z),
            (z, g) => EdgeCases.CallsThrowingGradient(z, g),
            (double[] z, double[] d, out double t) => EdgeCases.CallsThrowingJvp(z, d, out t),
            (z, d, g) => EdgeCases.CallsThrowingHvp(z, d, g));
    }

    [Fact]
    public void AnExceptionInTheMiddleOfSecondOrderLeavesNoStateBehind()
    {
        var ok = new double[] { 0.1, 0.2, 0.3 };
        var bad = new double[] { 0.9, 0.2, 0.3 };
        var v = new double[] { 0.5, -0.25, 1.0 };
        var hv = new double[3];
        var expected = new double[3];
        var expectedHessian = new double[9];
        EdgeCases.CallsThrowingHvp(ok, v, expected);
        EdgeCases.CallsThrowingHessian(ok, expectedHessian);
        var tape = CompilerServices.AdTape.Current;
        var arena = CompilerServices.AdArena.Current;
        int doubles = tape.DoubleCount, ints = tape.IntCount, mark = arena.Mark;

        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.ThrowsMidwayHvp(bad, v, hv));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.ThrowsMidwayHessian(bad, new double[9]));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.CallsThrowingHvp(bad, v, hv));
        Assert.Throws<IndexOutOfRangeException>(() => EdgeCases.CallsThrowingHessian(bad, new double[9]));
        Assert.Equal(doubles, tape.DoubleCount);
        Assert.Equal(ints, tape.IntCount);
        Assert.Equal(mark, arena.Mark);

        EdgeCases.CallsThrowingHvp(ok, v, hv);
        Assert.Equal(expected, hv);
        var h = new double[9];
        EdgeCases.CallsThrowingHessian(ok, h);
        Assert.Equal(expectedHessian, h);
    }

    [Fact]
    public void ThreeLevelsOfCalls() => CheckFunction(
        1030,
        r => r.Uniform(4, -1.0, 1.0),
        z => EdgeCases.Outer(z),
        (z, g) => EdgeCases.OuterGradient(z, g),
        (double[] z, double[] d, out double t) => EdgeCases.OuterJvp(z, d, out t),
        (z, d, g) => EdgeCases.OuterHvp(z, d, g));
}

/// <summary>Integer arithmetic written checked keeps its overflow check in every companion.</summary>
public static partial class OverflowChecks
{
    [Differentiable]
    public static double CheckedScale(double x, int n, int k)
    {
        int m = checked(n * k);
        int total = 0;
        for (int i = 0; i < 3; i++)
        {
            checked
            {
                total += m;
            }
        }

        return x * x * total;
    }
}

public sealed class OverflowCheckTests
{
    [Fact]
    public void CheckedArithmetic_ThrowsInTheCompanionsWhereTheMethodThrows()
    {
        // 70,000 * 70,000 overflows int.
        Assert.Throws<OverflowException>(() => OverflowChecks.CheckedScale(1.5, 70_000, 70_000));
        Assert.Throws<OverflowException>(() => OverflowChecks.CheckedScaleGradient(1.5, 70_000, 70_000, out _));
        Assert.Throws<OverflowException>(() => OverflowChecks.CheckedScaleJvp(1.5, 70_000, 70_000, 1.0, out _));
        Assert.Throws<OverflowException>(() => OverflowChecks.CheckedScaleHvp(1.5, 70_000, 70_000, 1.0, out _));

        // 3 * (1,000 * 1,000,000) overflows only in the checked compound additions.
        Assert.Throws<OverflowException>(() => OverflowChecks.CheckedScale(1.5, 1_000, 1_000_000));
        Assert.Throws<OverflowException>(() => OverflowChecks.CheckedScaleGradient(1.5, 1_000, 1_000_000, out _));

        // Without overflow the derivatives are the closed form: d/dx x^2 * 3nk = 6nkx.
        double value = OverflowChecks.CheckedScaleGradient(1.5, 7, 11, out double gradient);
        Assert.Equal(1.5 * 1.5 * 3 * 77, value);
        Assert.Equal(6 * 77 * 1.5, gradient);
    }
}
