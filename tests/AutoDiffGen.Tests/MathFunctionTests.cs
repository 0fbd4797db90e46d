using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Every System.Math function with a derivative rule, in families.</summary>
public static partial class MathFunctions
{
    [Differentiable]
    public static double Trigonometric(double x, double y) => (Math.Sin(x) * Math.Cos(y)) + Math.Tan(x * y * 0.3) - Math.Cos(x * x);

    [Differentiable]
    public static double InverseTrigonometric(double x, double y) =>
        Math.Asin(x) + (Math.Acos(y * 0.8) * x) + Math.Atan(x * y) + Math.Atan2(y, x) + Math.Atan2(x - 2, y + 3);

    [Differentiable]
    public static double Hyperbolic(double x, double y) => (Math.Sinh(x) * Math.Cosh(y)) + Math.Tanh(x - y);

    [Differentiable]
    public static double InverseHyperbolic(double x, double y) => Math.Asinh(x * y) + (Math.Acosh(x) * y) + Math.Atanh(y);

    [Differentiable]
    public static double ExponentialAndLogarithms(double x, double y) =>
        (Math.Exp(x * 0.5) * Math.Log(y)) + Math.Log(y, x) + Math.Log10(x * y) + Math.Log2(x + y) + Math.Log(x * x, 10.0);

    [Differentiable]
    public static double RootsAndPowers(double x, double y) =>
        Math.Sqrt(x) + Math.Cbrt(y) + Math.Pow(x, y) + Math.Pow(x, 2.0) + Math.Pow(y, 3.0) + Math.Pow(x, 0.5)
        + Math.Pow(2.0, x) + Math.Pow(x, 1.0) + Math.Pow(y, 0.0) + Math.Pow(x, -1.5);

    [Differentiable]
    public static double AbsMaxMin(double x, double y) =>
        Math.Abs(x - y) + (Math.Max(x, y * y) * Math.Min(x, 1 - y)) + (Math.Abs(x) * Math.Max(x, 0.0)) + Math.Min(y, -x);

    [Differentiable]
    public static double FusedMultiplyAddAndHypot(double x, double y, double z) =>
        Math.FusedMultiplyAdd(x, y, z) + (double.Hypot(x, y) * z) + Math.FusedMultiplyAdd(x, x, -y * z);

    /// <summary>Floor, Ceiling, Round, Truncate and Sign: values used, derivative zero.</summary>
    [Differentiable]
    public static double PiecewiseConstant(double x, double y)
    {
        double a = (x * Math.Floor(y)) + (Math.Ceiling(x) * y) + Math.Round(x * y) + (Math.Truncate(y) * x);
        int s = Math.Sign(x - y);
        return a + (s * y) + (Math.Sign(y) * x * x) + Math.Round(x, 1);
    }

    /// <summary>The conventions at non-differentiable points.</summary>
    [Differentiable]
    public static double Kinks(double x, double y) => Math.Max(x, y) + (2 * Math.Min(x, y)) + (4 * Math.Abs(x));

    /// <summary>A long composition, so errors in one rule propagate through others.</summary>
    [Differentiable]
    public static double Composition(double x) =>
        Math.Log(1 + Math.Exp(Math.Sin(x) * Math.Sqrt(1 + (x * x)))) / Math.Cosh(Math.Atan(x));
}

public class MathFunctionTests
{
    private static double AwayFromZero(Random r, double lo, double hi) => (r.Next(2) == 0 ? -1 : 1) * r.Uniform(lo, hi);

    [Fact]
    public void Trigonometric() => CheckFunction(
        201,
        r => [r.Uniform(-1.5, 1.5), r.Uniform(-1.5, 1.5)],
        z => MathFunctions.Trigonometric(z[0], z[1]),
        (z, g) => MathFunctions.TrigonometricGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.TrigonometricJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.TrigonometricHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void InverseTrigonometric() => CheckFunction(
        202,
        r => [r.Uniform(0.1, 0.9), r.Uniform(-0.9, 0.9)],
        z => MathFunctions.InverseTrigonometric(z[0], z[1]),
        (z, g) => MathFunctions.InverseTrigonometricGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.InverseTrigonometricJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.InverseTrigonometricHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void Hyperbolic() => CheckFunction(
        203,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => MathFunctions.Hyperbolic(z[0], z[1]),
        (z, g) => MathFunctions.HyperbolicGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.HyperbolicJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.HyperbolicHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void InverseHyperbolic() => CheckFunction(
        204,
        r => [r.Uniform(1.2, 3.0), r.Uniform(-0.9, 0.9)],
        z => MathFunctions.InverseHyperbolic(z[0], z[1]),
        (z, g) => MathFunctions.InverseHyperbolicGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.InverseHyperbolicJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.InverseHyperbolicHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void ExponentialAndLogarithms() => CheckFunction(
        205,
        r => [r.Uniform(1.5, 3.0), r.Uniform(0.5, 4.0)],
        z => MathFunctions.ExponentialAndLogarithms(z[0], z[1]),
        (z, g) => MathFunctions.ExponentialAndLogarithmsGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.ExponentialAndLogarithmsJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.ExponentialAndLogarithmsHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));

    [Fact]
    public void RootsAndPowers() => CheckFunction(
        206,
        r => [r.Uniform(0.3, 3.0), AwayFromZero(r, 0.3, 2.0)],
        z => MathFunctions.RootsAndPowers(z[0], z[1]),
        (z, g) => MathFunctions.RootsAndPowersGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.RootsAndPowersJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.RootsAndPowersHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 8);

    [Fact]
    public void AbsMaxMin() => CheckFunction(
        207,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => MathFunctions.AbsMaxMin(z[0], z[1]),
        (z, g) => MathFunctions.AbsMaxMinGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.AbsMaxMinJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.AbsMaxMinHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 12);

    [Fact]
    public void FusedMultiplyAddAndHypot() => CheckFunction(
        208,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => MathFunctions.FusedMultiplyAddAndHypot(z[0], z[1], z[2]),
        (z, g) => MathFunctions.FusedMultiplyAddAndHypotGradient(z[0], z[1], z[2], out g[0], out g[1], out g[2]),
        (double[] z, double[] d, out double t) => MathFunctions.FusedMultiplyAddAndHypotJvp(z[0], z[1], z[2], d[0], d[1], d[2], out t),
        (z, d, g) => MathFunctions.FusedMultiplyAddAndHypotHvp(z[0], z[1], z[2], d[0], d[1], d[2], out g[0], out g[1], out g[2]));

    [Fact]
    public void PiecewiseConstant() => CheckFunction(
        209,
        r => [r.Uniform(-3.0, 3.0), r.Uniform(-3.0, 3.0)],
        z => MathFunctions.PiecewiseConstant(z[0], z[1]),
        (z, g) => MathFunctions.PiecewiseConstantGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.PiecewiseConstantJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.PiecewiseConstantHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 10);

    [Fact]
    public void PiecewiseConstantFunctionsHaveZeroDerivative()
    {
        // Closed form away from the jumps: d/dx = floor(y) + trunc(y) + 2 sign(y) x, d/dy = x + sign(x - y) + ceil(x).
        double x = 1.3, y = -0.6;
        double v = MathFunctions.PiecewiseConstantGradient(x, y, out double gx, out double gy);
        Assert.Equal(MathFunctions.PiecewiseConstant(x, y), v);
        AssertClose(Math.Floor(y) + Math.Truncate(y) + (2 * Math.Sign(y) * x), gx, 1e-15, 1.0, "d/dx");
        AssertClose(Math.Ceiling(x) + Math.Sign(x - y), gy, 1e-15, 1.0, "d/dy");
    }

    [Fact]
    public void Kinks() => CheckFunction(
        210,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => MathFunctions.Kinks(z[0], z[1]),
        (z, g) => MathFunctions.KinksGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => MathFunctions.KinksJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => MathFunctions.KinksHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 10);

    [Fact]
    public void ConventionsAtNonDifferentiablePoints()
    {
        // Documented conventions: Abs'(0) = 0; at a tie Max and Min split the derivative 1/2 : 1/2.
        // Kinks = Max(x, y) + 2 Min(x, y) + 4 |x| at x = y = 0: d/dx = d/dy = 1/2 + 2 * 1/2 + 0.
        double v = MathFunctions.KinksGradient(0.0, 0.0, out double gx, out double gy);
        Assert.Equal(0.0, v);
        Assert.Equal(1.5, gx);
        Assert.Equal(1.5, gy);
        MathFunctions.KinksJvp(0.0, 0.0, 1.0, 0.0, out double tx);
        Assert.Equal(1.5, tx);

        // A tie away from zero: Abs is differentiable there (sign of x), Max/Min still split.
        MathFunctions.KinksGradient(-1.0, -1.0, out gx, out gy);
        Assert.Equal(1.5 - 4.0, gx);
        Assert.Equal(1.5, gy);
    }

    [Fact]
    public void HypotAtTheOriginHasZeroDerivative()
    {
        // f = x y + z + hypot(x, y) z + x^2 - y z; at x = y = 0 with hypot'(0, 0) = 0 by convention:
        // df/dx = 0, df/dy = -z, df/dz = 1.
        const double z = 1.25;
        double v = MathFunctions.FusedMultiplyAddAndHypotGradient(0.0, 0.0, z, out double gx, out double gy, out double gz);
        Assert.Equal(z, v);
        Assert.Equal(0.0, gx);
        Assert.Equal(-z, gy);
        Assert.Equal(1.0, gz);
        MathFunctions.FusedMultiplyAddAndHypotJvp(0.0, 0.0, z, 1.0, 1.0, 1.0, out double t);
        Assert.Equal(1.0 - z, t);
    }

    [Fact]
    public void Composition() => CheckFunction(
        211,
        r => [r.Uniform(-2.0, 2.0)],
        z => MathFunctions.Composition(z[0]),
        (z, g) => MathFunctions.CompositionGradient(z[0], out g[0]),
        (double[] z, double[] d, out double t) => MathFunctions.CompositionJvp(z[0], d[0], out t),
        (z, d, g) => MathFunctions.CompositionHvp(z[0], d[0], out g[0]));
}
