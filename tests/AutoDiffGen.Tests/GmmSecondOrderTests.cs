using System;
using AutoDiffGen.Benchmarks.Ad;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Second order on the benchmarked ADBench GMM objective (same source file as the benchmarks), at
/// small sizes: the generated HVP against central differences of the generated gradient and the
/// symmetry of H, and the generated dense Hessian against HVPs with unit vectors.
/// </summary>
public class GmmSecondOrderTests
{
    private const int D = 3;
    private const int K = 2;
    private const int Points = 5;

    [Fact]
    public void HvpMatchesCentralDifferencesOfTheGradientAndIsSymmetric()
    {
        var (alphas, means, icf, x) = Gmm.Data(D, K, Points, seed: 4410);
        int n = alphas.Length + means.Length + icf.Length;
        var random = new Random(4411);
        var z = Pack(alphas, means, icf);
        var v = Direction(random, n);
        var w = Direction(random, n);

        var hv = Hvp(z, x, v, out double value);
        Assert.Equal(Gmm.Objective(alphas, means, icf, x, 1.0, 0, D, K), value);

        // (g(z + h v) - g(z - h v)) / 2h.
        const double h = 1e-5;
        var up = new double[n];
        var down = new double[n];
        for (int i = 0; i < n; i++)
        {
            up[i] = z[i] + (h * v[i]);
            down[i] = z[i] - (h * v[i]);
        }

        var gUp = Gradient(up, x);
        var gDown = Gradient(down, x);
        var fd = new double[n];
        for (int i = 0; i < n; i++)
        {
            fd[i] = (gUp[i] - gDown[i]) / (2 * h);
        }

        AssertClose(fd, hv, 1e-5, 1e-5, "GMM H v against central differences of the gradient");

        // <H v, w> = <v, H w>.
        var hw = Hvp(z, x, w, out _);
        double left = Dot(hv, w), right = Dot(v, hw);
        Assert.True(Math.Abs(left - right) <= 1e-9 * Math.Max(Math.Abs(left), 1.0), $"<Hv, w> = {left}, <v, Hw> = {right}");
    }

    [Fact]
    public void HessianRowsAreHvpsWithUnitVectors()
    {
        var (alphas, means, icf, x) = Gmm.Data(D, K, Points, seed: 4412);
        int n = alphas.Length + means.Length + icf.Length;
        var z = Pack(alphas, means, icf);
        var hessian = new double[n * n];
        double value = Gmm.ObjectiveHessian(alphas, means, icf, x, 1.0, 0, D, K, hessian);
        Assert.Equal(Gmm.Objective(alphas, means, icf, x, 1.0, 0, D, K), value);
        var unit = new double[n];
        for (int i = 0; i < n; i++)
        {
            unit[i] = 1;
            var row = Hvp(z, x, unit, out _);
            unit[i] = 0;
            AssertClose(row, hessian.AsSpan(i * n, n), 1e-12, 1e-12, $"Hessian row {i}");
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(hessian[(i * n) + j], hessian[(j * n) + i]);
            }
        }
    }

    private static double[] Pack(double[] alphas, double[] means, double[] icf)
    {
        var z = new double[alphas.Length + means.Length + icf.Length];
        alphas.CopyTo(z, 0);
        means.CopyTo(z, alphas.Length);
        icf.CopyTo(z, alphas.Length + means.Length);
        return z;
    }

    private static double[] Gradient(double[] z, double[] x)
    {
        int a = K, m = K * D, q = z.Length - a - m;
        var g = new double[z.Length];
        Gmm.ObjectiveGradient(z.Part(0, a), z.Part(a, m), z.Part(a + m, q), x, 1.0, 0, D, K, g.AsSpan(0, a), g.AsSpan(a, m), g.AsSpan(a + m, q));
        return g;
    }

    private static double[] Hvp(double[] z, double[] x, double[] v, out double value)
    {
        int a = K, m = K * D, q = z.Length - a - m;
        var hv = new double[z.Length];
        value = Gmm.ObjectiveHvp(
            z.Part(0, a), z.Part(a, m), z.Part(a + m, q), x, 1.0, 0, D, K,
            v.AsSpan(0, a), v.AsSpan(a, m), v.AsSpan(a + m, q),
            hv.AsSpan(0, a), hv.AsSpan(a, m), hv.AsSpan(a + m, q));
        return hv;
    }
}
