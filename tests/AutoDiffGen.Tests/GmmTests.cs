using System;
using AutoDiffGen.Benchmarks.Ad;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>The benchmarked ADBench GMM objective (same source file), at small sizes.</summary>
public class GmmTests
{
    [Theory]
    [InlineData(2, 3, 4)]
    [InlineData(3, 2, 5)]
    public void GradientJvpAndHvpOfTheGmmObjective(int d, int k, int n)
    {
        var (alphas, means, icf, x) = Gmm.Data(d, k, n, seed: 1500 + d);
        int a = alphas.Length, m = means.Length, q = icf.Length;
        const double gamma = 1.0;
        const int wishartM = 0;
        CheckFunction(
            1501 + d,
            r =>
            {
                // Random points around the ADBench data.
                var z = new double[a + m + q];
                alphas.CopyTo(z, 0);
                means.CopyTo(z, a);
                icf.CopyTo(z, a + m);
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] += r.Uniform(-0.3, 0.3);
                }

                return z;
            },
            z => Gmm.Objective(z.Part(0, a), z.Part(a, m), z.Part(a + m, q), x, gamma, wishartM, d, k),
            (z, g) => Gmm.ObjectiveGradient(z.Part(0, a), z.Part(a, m), z.Part(a + m, q), x, gamma, wishartM, d, k, g.AsSpan(0, a), g.AsSpan(a, m), g.AsSpan(a + m, q)),
            (double[] z, double[] dir, out double t) => Gmm.ObjectiveJvp(z.Part(0, a), z.Part(a, m), z.Part(a + m, q), x, gamma, wishartM, d, k, dir.AsSpan(0, a), dir.AsSpan(a, m), dir.AsSpan(a + m, q), out t),
            (z, dir, g) => Gmm.ObjectiveHvp(z.Part(0, a), z.Part(a, m), z.Part(a + m, q), x, gamma, wishartM, d, k, dir.AsSpan(0, a), dir.AsSpan(a, m), dir.AsSpan(a + m, q), g.AsSpan(0, a), g.AsSpan(a, m), g.AsSpan(a + m, q)),
            points: 3);
    }

    [Fact]
    public void GradientWithRespectToAlphasHasAClosedForm()
    {
        // d/d alpha_j = sum_i softmax_j(mainTerm_i) - n softmax_j(alpha): with all means equal and
        // identity precision the main terms differ from alpha only by a shared constant, so the
        // two softmaxes coincide and the alpha gradient vanishes.
        const int d = 2, k = 3, n = 4;
        var random = new Random(1510);
        var alphas = random.Uniform(k, -1.0, 1.0);
        var means = new double[k * d];
        var icf = new double[k * d * (d + 1) / 2];
        var x = random.Uniform(n * d, -1.0, 1.0);
        var ga = new double[k];
        Gmm.ObjectiveGradient(alphas, means, icf, x, 1.0, 0, d, k, ga, new double[means.Length], new double[icf.Length]);
        foreach (var v in ga)
        {
            Assert.True(Math.Abs(v) <= 1e-13, $"alpha gradient {v}");
        }
    }
}
