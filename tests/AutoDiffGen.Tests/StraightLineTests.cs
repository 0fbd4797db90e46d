using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Straight-line code: expression and block bodies, locals, assignments, operators.</summary>
public static partial class StraightLine
{
    /// <summary>Expression body; + - * /, unary minus, int literal promoted to double.</summary>
    [Differentiable]
    public static double ExpressionBody(double x, double y) => (x * x * y) - (3 * y / x) + -x + (-(x - y) * 0.5);

    /// <summary>Block body with double, int and bool locals, all compound assignments, ++ and --.</summary>
    [Differentiable]
    public static double CompoundAssignments(double x, double y)
    {
        double a = x;
        a += y * 2;
        a -= x / 3;
        a *= y;
        a /= 1 + (x * x);
        int k = 2;
        k++;
        k--;
        k++;
        ++k;
        --k;
        k += 2;
        k -= 1;
        k *= 2;
        bool positive = a > 0;
        double b;
        b = positive ? a * k : -a * k;
        b += k;
        return b + (a * y);
    }

    /// <summary>Comparisons, &amp;&amp;, || and ! in conditions and in ?: chains.</summary>
    [Differentiable]
    public static double Logic(double x, double y)
    {
        bool inside = x > -1 && x < 1;
        bool far = !(y <= 0.5) || y >= 2.0;
        bool same = x == y;
        bool different = x != y;
        double r = inside && !far ? x * y : (far || same ? (x * x) + (y * y * y) : x - y);
        return r + (different ? x : 0.0);
    }

    /// <summary>int and bool parameters pass through and steer the computation.</summary>
    [Differentiable]
    public static double IntAndBool(double x, int n, bool flip, double y)
    {
        double s = n * x;
        s = s + (y / n);
        return flip ? -s * y : s * y;
    }

    /// <summary>[NoDerivative] double and double[] parameters are data: no slot, value still used.</summary>
    [Differentiable]
    public static double NoDerivativeData(double x, [NoDerivative] double scale, [NoDerivative] double[] a, double[] w)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += a[i] * w[i] * x;
        }

        return scale * s * s;
    }

    /// <summary>Math.PI and Math.E as constants.</summary>
    [Differentiable]
    public static double Constants(double x, double y) => (Math.PI * x * x) + (Math.E * y) - (x * y / Math.PI);

    /// <summary>A local reassigned many times (each write overwrites the previous value).</summary>
    [Differentiable]
    public static double Overwrites(double x, double y)
    {
        double t = x * y;
        t = t * t + x;
        t = t / (1 + y * y);
        t = -t + (y * t);
        double u = t;
        t = u * x;
        return t + u;
    }
}

public class StraightLineTests
{
    [Fact]
    public void ExpressionBody() => CheckFunction(
        101,
        r => [r.Uniform(0.5, 2.0), r.Uniform(-2.0, 2.0)],
        z => StraightLine.ExpressionBody(z[0], z[1]),
        (z, g) => StraightLine.ExpressionBodyGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => StraightLine.ExpressionBodyJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => StraightLine.ExpressionBodyHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void CompoundAssignments() => CheckFunction(
        102,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => StraightLine.CompoundAssignments(z[0], z[1]),
        (z, g) => StraightLine.CompoundAssignmentsGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => StraightLine.CompoundAssignmentsJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => StraightLine.CompoundAssignmentsHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 8);

    [Fact]
    public void Logic() => CheckFunction(
        103,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-1.0, 3.0)],
        z => StraightLine.Logic(z[0], z[1]),
        (z, g) => StraightLine.LogicGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => StraightLine.LogicJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => StraightLine.LogicHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 12);

    [Fact]
    public void LogicAtEqualArguments()
    {
        // x == y selects the branch guarded by 'same' and zeroes the 'different' term.
        double v = StraightLine.LogicGradient(2.5, 2.5, out double gx, out double gy);
        Assert.Equal(StraightLine.Logic(2.5, 2.5), v);
        Assert.Equal(2 * 2.5, gx);
        Assert.Equal(3 * 2.5 * 2.5, gy);
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(-2, true)]
    public void IntAndBool(int n, bool flip) => CheckFunction(
        104 + n,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => StraightLine.IntAndBool(z[0], n, flip, z[1]),
        (z, g) => StraightLine.IntAndBoolGradient(z[0], n, flip, z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => StraightLine.IntAndBoolJvp(z[0], n, flip, z[1], d[0], d[1], out t),
        (z, d, g) => StraightLine.IntAndBoolHvp(z[0], n, flip, z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void NoDerivativeData()
    {
        var a = new double[] { 0.5, -1.25, 2.0, 0.75 };
        const double scale = 1.7;
        CheckFunction(
            105,
            r => r.Uniform(1 + a.Length, -1.5, 1.5),
            z => StraightLine.NoDerivativeData(z[0], scale, a, z.Part(1, a.Length)),
            (z, g) => StraightLine.NoDerivativeDataGradient(z[0], scale, a, z.Part(1, a.Length), out g[0], g.AsSpan(1, a.Length)),
            (double[] z, double[] d, out double t) => StraightLine.NoDerivativeDataJvp(z[0], scale, a, z.Part(1, a.Length), d[0], d.AsSpan(1, a.Length), out t),
            (z, d, g) => StraightLine.NoDerivativeDataHvp(z[0], scale, a, z.Part(1, a.Length), d[0], d.AsSpan(1, a.Length), out g[0], g.AsSpan(1, a.Length)));
    }

    [Fact]
    public void Constants() => CheckFunction(
        106,
        r => [r.Uniform(-3.0, 3.0), r.Uniform(-3.0, 3.0)],
        z => StraightLine.Constants(z[0], z[1]),
        (z, g) => StraightLine.ConstantsGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => StraightLine.ConstantsJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => StraightLine.ConstantsHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void Overwrites() => CheckFunction(
        107,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => StraightLine.Overwrites(z[0], z[1]),
        (z, g) => StraightLine.OverwritesGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => StraightLine.OverwritesJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => StraightLine.OverwritesHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));
}
