using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>for, while, do, foreach, nested loops, break, continue, return inside loops.</summary>
public static partial class Loops
{
    /// <summary>Rosenbrock: a for loop over an array parameter with .Length and x[i + 1].</summary>
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - (x[i] * x[i]);
            sum += (a * a) + (100 * b * b);
        }

        return sum;
    }

    /// <summary>A while loop whose trip count depends on x; the accumulator is overwritten each pass.</summary>
    [Differentiable]
    public static double WhileDataDependent(double x)
    {
        double acc = 1;
        double t = 0;
        int steps = 0;
        while (t < x)
        {
            acc = (acc * (1 + (0.1 * x))) + Math.Sin(t * x);
            t += 0.37;
            steps++;
        }

        return acc + (steps * x);
    }

    /// <summary>A do loop that runs until an active value is small.</summary>
    [Differentiable]
    public static double DoUntilSmall(double x, double y)
    {
        double v = x;
        int k = 0;
        do
        {
            v = (v * 0.5) + (y * 0.01 * v);
            k++;
        }
        while (Math.Abs(v) > 0.01 && k < 100);

        return (v * k) + y;
    }

    /// <summary>Counting down by two, with a product that overwrites its variable.</summary>
    [Differentiable]
    public static double StridedProduct(double[] x)
    {
        double p = 1;
        for (int i = x.Length - 1; i >= 0; i -= 2)
        {
            p *= x[i] + 1.5;
        }

        return p;
    }

    [Differentiable]
    public static double ForeachArray(double[] x, double y)
    {
        double s = 0;
        foreach (double v in x)
        {
            s += Math.Sin(v * y) * v;
        }

        return s;
    }

    [Differentiable]
    public static double ForeachSpan(ReadOnlySpan<double> x)
    {
        double p = 1;
        foreach (var v in x)
        {
            if (v < 0)
            {
                continue;
            }

            p *= 1 + v;
            if (p > 50)
            {
                break;
            }
        }

        return p;
    }

    [Differentiable]
    public static double NestedBreakContinue(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] < -1.5)
            {
                continue;
            }

            double row = 0;
            for (int j = 0; j < x.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }

                row += x[i] * x[j] / (1 + j);
                if (row > 3)
                {
                    break;
                }
            }

            s += row * row;
            if (s > 20)
            {
                break;
            }
        }

        return s;
    }

    /// <summary>Early returns inside a for loop, a while loop and a nested do loop.</summary>
    [Differentiable]
    public static double ReturnInsideLoops(double[] x, double limit)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * x[i];
            if (s > limit)
            {
                return s * x[i];
            }
        }

        int k = 0;
        while (k < x.Length)
        {
            s = (s * 0.9) + x[k];
            if (s < -limit)
            {
                return -s * limit;
            }

            int m = 0;
            do
            {
                s += 0.1 * x[m] * s;
                if (s > 2 * limit)
                {
                    return s + k;
                }

                m++;
            }
            while (m <= k);
            k++;
        }

        return s / limit;
    }

    /// <summary>A loop nest whose inner trip count depends on the outer index (triangular).</summary>
    [Differentiable]
    public static double Triangular(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double inner = 0;
            for (int j = 0; j <= i; j++)
            {
                inner = (inner * x[j]) + Math.Cos(x[i] - x[j]);
            }

            s += inner / (i + 1);
        }

        return s;
    }
}

public class LoopTests
{
    [Fact]
    public void Rosenbrock() => CheckFunction(
        401,
        r => r.Uniform(6, -1.5, 1.5),
        z => Loops.Rosenbrock(z),
        (z, g) => Loops.RosenbrockGradient(z, g),
        (double[] z, double[] d, out double t) => Loops.RosenbrockJvp(z, d, out t),
        (z, d, g) => Loops.RosenbrockHvp(z, d, g));

    [Fact]
    public void RosenbrockClosedForm()
    {
        // Hand-written gradient of the Rosenbrock function.
        var x = new Random(402).Uniform(7, -2.0, 2.0);
        var expected = NumericalChecks.HandRosenbrockGradient(x);

        var g = new double[x.Length];
        Loops.RosenbrockGradient(x, g);
        AssertClose(expected, g, 1e-13, 1.0, "grad Rosenbrock");
    }

    [Fact]
    public void WhileDataDependent() => CheckFunction(
        403,
        r => [r.Uniform(-0.5, 3.0)],
        z => Loops.WhileDataDependent(z[0]),
        (z, g) => Loops.WhileDataDependentGradient(z[0], out g[0]),
        (double[] z, double[] d, out double t) => Loops.WhileDataDependentJvp(z[0], d[0], out t),
        (z, d, g) => Loops.WhileDataDependentHvp(z[0], d[0], out g[0]),
        points: 12);

    [Fact]
    public void DoUntilSmall() => CheckFunction(
        404,
        r => [r.Uniform(-5.0, 5.0), r.Uniform(-2.0, 2.0)],
        z => Loops.DoUntilSmall(z[0], z[1]),
        (z, g) => Loops.DoUntilSmallGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Loops.DoUntilSmallJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Loops.DoUntilSmallHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
        points: 12);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    public void StridedProduct(int n) => CheckFunction(
        405 + n,
        r => r.Uniform(n, -1.0, 1.0),
        z => Loops.StridedProduct(z),
        (z, g) => Loops.StridedProductGradient(z, g),
        (double[] z, double[] d, out double t) => Loops.StridedProductJvp(z, d, out t),
        (z, d, g) => Loops.StridedProductHvp(z, d, g));

    [Fact]
    public void ForeachArray() => CheckFunction(
        420,
        r => r.Uniform(6, -2.0, 2.0),
        z => Loops.ForeachArray(z.Part(0, 5), z[5]),
        (z, g) => Loops.ForeachArrayGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => Loops.ForeachArrayJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => Loops.ForeachArrayHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]));

    [Fact]
    public void ForeachSpan() => CheckFunction(
        421,
        r => r.Uniform(8, -1.0, 2.0),
        z => Loops.ForeachSpan(z),
        (z, g) => Loops.ForeachSpanGradient(z, g),
        (double[] z, double[] d, out double t) => Loops.ForeachSpanJvp(z, d, out t),
        (z, d, g) => Loops.ForeachSpanHvp(z, d, g),
        points: 10);

    [Fact]
    public void ForeachSpanOverSlice()
    {
        // A span that is a slice of a larger buffer: only the slice is read and differentiated.
        var buffer = new Random(422).Uniform(10, 0.0, 1.0);
        var slice = new ReadOnlySpan<double>(buffer, 3, 4);
        var g = new double[4];
        double v = Loops.ForeachSpanGradient(slice, g);
        Assert.Equal(Loops.ForeachSpan(slice), v);
        for (int i = 0; i < 4; i++)
        {
            AssertClose(v / (1 + slice[i]), g[i], 1e-14, 1.0, "d/dx_i of prod(1 + x_j)");
        }
    }

    [Fact]
    public void NestedBreakContinue() => CheckFunction(
        423,
        r => r.Uniform(6, -2.0, 2.0),
        z => Loops.NestedBreakContinue(z),
        (z, g) => Loops.NestedBreakContinueGradient(z, g),
        (double[] z, double[] d, out double t) => Loops.NestedBreakContinueJvp(z, d, out t),
        (z, d, g) => Loops.NestedBreakContinueHvp(z, d, g),
        points: 16);

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(6.0)]
    [InlineData(40.0)]
    public void ReturnInsideLoops(double limit) => CheckFunction(
        424 + (int)limit,
        r => r.Uniform(5, -1.5, 1.5),
        z => Loops.ReturnInsideLoops(z, limit),
        (z, g) => Loops.ReturnInsideLoopsGradient(z, limit, g, out _),
        (double[] z, double[] d, out double t) => Loops.ReturnInsideLoopsJvp(z, limit, d, 0.0, out t),
        (z, d, g) => Loops.ReturnInsideLoopsHvp(z, limit, d, 0.0, g, out _),
        points: 10);

    [Fact]
    public void ReturnInsideLoopsWithRespectToLimit() => CheckFunction(
        470,
        r => [.. r.Uniform(5, -1.5, 1.5), r.Uniform(0.3, 8.0)],
        z => Loops.ReturnInsideLoops(z.Part(0, 5), z[5]),
        (z, g) => Loops.ReturnInsideLoopsGradient(z.Part(0, 5), z[5], g.AsSpan(0, 5), out g[5]),
        (double[] z, double[] d, out double t) => Loops.ReturnInsideLoopsJvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], out t),
        (z, d, g) => Loops.ReturnInsideLoopsHvp(z.Part(0, 5), z[5], d.AsSpan(0, 5), d[5], g.AsSpan(0, 5), out g[5]),
        points: 16);

    [Fact]
    public void Triangular() => CheckFunction(
        471,
        r => r.Uniform(5, -1.0, 1.0),
        z => Loops.Triangular(z),
        (z, g) => Loops.TriangularGradient(z, g),
        (double[] z, double[] d, out double t) => Loops.TriangularJvp(z, d, out t),
        (z, d, g) => Loops.TriangularHvp(z, d, g));
}
