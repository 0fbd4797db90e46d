using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>Array and span parameters, index expressions, .Length, local arrays read and written.</summary>
public static partial class Arrays
{
    /// <summary>A span parameter read at computed indices.</summary>
    [Differentiable]
    public static double SpanIndexing(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n - 1; i++)
        {
            s += x[i] * x[n - 1 - i] + (x[(i + 1) % n] * x[i / 2]);
        }

        return s + (x[n / 2] * x[n / 2] * x[n / 2]);
    }

    /// <summary>A local array: element assignment, every compound assignment, reads at shifted indices.</summary>
    [Differentiable]
    public static double LocalArray(double[] x)
    {
        int n = x.Length;
        double[] a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = x[i] * x[i];
        }

        for (int i = 1; i < n; i++)
        {
            a[i] += a[i - 1] * 0.5;
        }

        a[0] *= 3;
        a[n - 1] -= x[0];
        a[n / 2] /= 1 + (x[1] * x[1]);
        a[1] = a[1] * a[0];
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * x[(i + 1) % n];
        }

        return s;
    }

    /// <summary>A local array re-created inside a loop; each instance read and written.</summary>
    [Differentiable]
    public static double ArrayRecreatedInLoop(double[] x)
    {
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            double[] buffer = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                buffer[i] = (Math.Sin(x[i] + k) * s) + x[i];
            }

            for (int i = 0; i < buffer.Length; i++)
            {
                s += buffer[i] * buffer[i] * 0.1;
            }
        }

        return s;
    }

    /// <summary>
    /// Matrix-vector product into a local array with a [NoDerivative] row-major matrix, then a
    /// foreach over that local array.
    /// </summary>
    [Differentiable]
    public static double MatrixVector([NoDerivative] double[] a, ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                y[i] += a[(i * n) + j] * x[j];
            }
        }

        double s = 0;
        foreach (double v in y)
        {
            s += Math.Tanh(v);
        }

        return s;
    }

    /// <summary>A local array updated in place many times (a recurrence over time steps).</summary>
    [Differentiable]
    public static double Diffusion(double[] u0, double nu, int steps)
    {
        int n = u0.Length;
        double[] u = new double[n];
        double[] next = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = u0[i];
        }

        for (int t = 0; t < steps; t++)
        {
            for (int i = 1; i < n - 1; i++)
            {
                next[i] = u[i] + (nu * (u[i - 1] - (2 * u[i]) + u[i + 1]));
            }

            for (int i = 1; i < n - 1; i++)
            {
                u[i] = next[i] * (1 - (0.1 * u[i] * u[i]));
            }
        }

        double e = 0;
        for (int i = 0; i < n; i++)
        {
            e += u[i] * u[i] * (i + 1);
        }

        return e;
    }

    /// <summary>A local array created from an initializer list of active values.</summary>
    [Differentiable]
    public static double InitializerList(double x, double y)
    {
        double[] c = new double[] { x, y * 2, x * y, 1.5 };
        double s = 0;
        for (int i = 0; i < c.Length; i++)
        {
            c[i] *= c[(i + 1) % c.Length];
            s += c[i];
        }

        return s;
    }
}

public class ArrayTests
{
    [Fact]
    public void SpanIndexing() => CheckFunction(
        501,
        r => r.Uniform(7, -1.5, 1.5),
        z => Arrays.SpanIndexing(z),
        (z, g) => Arrays.SpanIndexingGradient(z, g),
        (double[] z, double[] d, out double t) => Arrays.SpanIndexingJvp(z, d, out t),
        (z, d, g) => Arrays.SpanIndexingHvp(z, d, g));

    [Fact]
    public void LocalArray() => CheckFunction(
        502,
        r => r.Uniform(6, -1.5, 1.5),
        z => Arrays.LocalArray(z),
        (z, g) => Arrays.LocalArrayGradient(z, g),
        (double[] z, double[] d, out double t) => Arrays.LocalArrayJvp(z, d, out t),
        (z, d, g) => Arrays.LocalArrayHvp(z, d, g));

    [Fact]
    public void ArrayRecreatedInLoop() => CheckFunction(
        503,
        r => r.Uniform(5, -1.5, 1.5),
        z => Arrays.ArrayRecreatedInLoop(z),
        (z, g) => Arrays.ArrayRecreatedInLoopGradient(z, g),
        (double[] z, double[] d, out double t) => Arrays.ArrayRecreatedInLoopJvp(z, d, out t),
        (z, d, g) => Arrays.ArrayRecreatedInLoopHvp(z, d, g));

    [Fact]
    public void MatrixVector()
    {
        const int n = 4;
        var a = new Random(504).Uniform(n * n, -1.0, 1.0);
        CheckFunction(
            505,
            r => r.Uniform(n, -1.0, 1.0),
            z => Arrays.MatrixVector(a, z),
            (z, g) => Arrays.MatrixVectorGradient(a, z, g),
            (double[] z, double[] d, out double t) => Arrays.MatrixVectorJvp(a, z, d, out t),
            (z, d, g) => Arrays.MatrixVectorHvp(a, z, d, g));
    }

    [Fact]
    public void MatrixVectorClosedForm()
    {
        // grad sum_i tanh((Ax)_i) = A^T (1 - tanh^2(Ax)).
        const int n = 5;
        var random = new Random(506);
        var a = random.Uniform(n * n, -1.0, 1.0);
        var x = random.Uniform(n, -1.0, 1.0);
        var expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            double yi = Dot(a.AsSpan(i * n, n), x);
            double w = 1 - (Math.Tanh(yi) * Math.Tanh(yi));
            for (int j = 0; j < n; j++)
            {
                expected[j] += a[(i * n) + j] * w;
            }
        }

        var g = new double[n];
        Arrays.MatrixVectorGradient(a, x, g);
        AssertClose(expected, g, 1e-13, 1.0, "grad sum tanh(Ax)");
    }

    [Fact]
    public void Diffusion() => CheckFunction(
        507,
        r => [.. r.Uniform(6, -1.0, 1.0), r.Uniform(0.05, 0.3)],
        z => Arrays.Diffusion(z.Part(0, 6), z[6], 5),
        (z, g) => Arrays.DiffusionGradient(z.Part(0, 6), z[6], 5, g.AsSpan(0, 6), out g[6]),
        (double[] z, double[] d, out double t) => Arrays.DiffusionJvp(z.Part(0, 6), z[6], 5, d.AsSpan(0, 6), d[6], out t),
        (z, d, g) => Arrays.DiffusionHvp(z.Part(0, 6), z[6], 5, d.AsSpan(0, 6), d[6], g.AsSpan(0, 6), out g[6]));

    [Fact]
    public void InitializerList() => CheckFunction(
        508,
        r => [r.Uniform(-2.0, 2.0), r.Uniform(-2.0, 2.0)],
        z => Arrays.InitializerList(z[0], z[1]),
        (z, g) => Arrays.InitializerListGradient(z[0], z[1], out g[0], out g[1]),
        (double[] z, double[] d, out double t) => Arrays.InitializerListJvp(z[0], z[1], d[0], d[1], out t),
        (z, d, g) => Arrays.InitializerListHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));
}
