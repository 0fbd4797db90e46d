using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Work arrays that a counted loop refills at the start of every iteration. Where each iteration's
/// values can be kept (array expansion: one slice per iteration) the reverse sweep reads them from
/// there; elsewhere the overwritten elements are taped. Either way every derivative must be exact.
/// </summary>
public static partial class Expansion
{
    /// <summary>
    /// The GMM shape: a sum over points (fused with its reverse) of a log-sum-exp over components,
    /// each component refilling the work array <c>diff</c> and then updating it in place from its
    /// previous element (so some of its writes are still taped, inside the slice).
    /// </summary>
    [Differentiable]
    public static double MixtureLike(double[] centers, double[] scales, [NoDerivative] double[] points, int d, int k)
    {
        int n = points.Length / d;
        double[] diff = new double[d];
        double[] terms = new double[k];
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    diff[j] = points[(p * d) + j] - centers[(c * d) + j];
                }

                for (int j = 1; j < d; j++)
                {
                    diff[j] += scales[c] * diff[j - 1];
                }

                double sq = 0;
                for (int j = 0; j < d; j++)
                {
                    sq += diff[j] * diff[j];
                }

                terms[c] = scales[c] - (0.5 * sq * Math.Exp(scales[c]));
            }

            double m = terms[0];
            for (int c = 1; c < k; c++)
            {
                m = Math.Max(m, terms[c]);
            }

            double s = 0;
            for (int c = 0; c < k; c++)
            {
                s += Math.Exp(terms[c] - m);
            }

            total += m + Math.Log(s);
        }

        return total;
    }

    /// <summary>A top-level loop that is not a sum (a running product): its work array is expanded over its iterations.</summary>
    [Differentiable]
    public static double ProductOfRows(double[] x, int d)
    {
        int m = x.Length / d;
        double[] w = new double[d];
        double product = 1;
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < d; j++)
            {
                w[j] = Math.Sin(x[(r * d) + j]) + (0.1 * product);
            }

            double s = 0;
            for (int j = 0; j < d; j++)
            {
                s += w[j] * w[(j + 1) % d];
            }

            product *= 1 + (s * s);
        }

        return Math.Log(product);
    }

    /// <summary>Counters that start elsewhere than 0 and step by 2 or count down: each iteration still finds its own slice.</summary>
    [Differentiable]
    public static double OddCounters(double[] x, int d)
    {
        int m = x.Length / d;
        double[] w = new double[d];
        double[] v = new double[d];
        double product = 1;
        for (int r = 3; r < 3 + (2 * m); r += 2)
        {
            int row = (r - 3) / 2;
            for (int j = 0; j < d; j++)
            {
                w[j] = Math.Cos(x[(row * d) + j] * product);
            }

            double s = 0;
            for (int j = 0; j < d; j++)
            {
                s += w[j] * w[j] * x[(row * d) + ((j + 1) % d)];
            }

            product *= 1.1 + Math.Tanh(s);
        }

        for (int r = m - 1; r >= 0; r--)
        {
            for (int j = 0; j < d; j++)
            {
                v[j] = x[(r * d) + j] + (0.05 * product);
            }

            double s = 0;
            for (int j = 0; j < d; j++)
            {
                s += Math.Exp(v[j]) * v[(j + d - 1) % d];
            }

            product *= 1.2 + (0.1 * Math.Sin(s));
        }

        return product;
    }

    /// <summary>The work array is read after its loop: not expanded, its overwrites are taped.</summary>
    [Differentiable]
    public static double ReadAfterLoop(double[] x, int d)
    {
        int m = x.Length / d;
        double[] w = new double[d];
        double product = 1;
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < d; j++)
            {
                w[j] = Math.Sin(x[(r * d) + j] * product);
            }

            double s = 0;
            for (int j = 0; j < d; j++)
            {
                s += w[j] * w[j];
            }

            product *= 1 + s;
        }

        return product * (w[0] + w[d - 1]);
    }

    /// <summary>
    /// The inner loop's work array sits in an outer loop that is not a sum: the inner loop runs
    /// several times before any reverse pass, so it is not expanded.
    /// </summary>
    [Differentiable]
    public static double InsideAProduct(double[] x, [NoDerivative] double[] data, int d, int k)
    {
        int n = data.Length / d;
        double[] w = new double[d];
        double product = 1;
        for (int p = 0; p < n; p++)
        {
            double best = 0;
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    w[j] = data[(p * d) + j] * x[(c * d) + j];
                }

                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    s += w[j] * w[j] * product;
                }

                best += Math.Sqrt(1 + s);
            }

            product *= 0.5 + (0.1 * best);
        }

        return product;
    }

    /// <summary>A loop with a data-dependent trip count has no slice count in advance: not expanded.</summary>
    [Differentiable]
    public static double DataDependentTrips(double[] x, int d)
    {
        double[] w = new double[d];
        double product = 1;
        int r = 0;
        while (product < 50 && r < 20)
        {
            for (int j = 0; j < d; j++)
            {
                w[j] = Math.Exp(x[j] * (r + 1) * 0.1);
            }

            double s = 0;
            for (int j = 0; j < d; j++)
            {
                s += w[j];
            }

            product *= s;
            r++;
        }

        return product;
    }
}

public sealed class ArrayExpansionTests
{
    private const int D = 3;
    private const int K = 4;

    private static readonly double[] Points = new Random(830).Uniform(6 * D, -1.5, 1.5);

    [Fact]
    public void MixtureLike() => CheckFunction(
        831,
        r => r.Uniform((K * D) + K, -0.8, 0.8),
        z => Expansion.MixtureLike(z.Part(0, K * D), z.Part(K * D, K), Points, D, K),
        (z, g) => Expansion.MixtureLikeGradient(z.Part(0, K * D), z.Part(K * D, K), Points, D, K, g.AsSpan(0, K * D), g.AsSpan(K * D, K)),
        (double[] z, double[] t, out double tangent) => Expansion.MixtureLikeJvp(z.Part(0, K * D), z.Part(K * D, K), Points, D, K, t.AsSpan(0, K * D), t.AsSpan(K * D, K), out tangent),
        (z, t, h) => Expansion.MixtureLikeHvp(z.Part(0, K * D), z.Part(K * D, K), Points, D, K, t.AsSpan(0, K * D), t.AsSpan(K * D, K), h.AsSpan(0, K * D), h.AsSpan(K * D, K)));

    [Fact]
    public void ProductOfRows() => CheckFunction(
        832,
        r => r.Uniform(4 * D, -0.9, 0.9),
        z => Expansion.ProductOfRows(z, D),
        (z, g) => Expansion.ProductOfRowsGradient(z, D, g),
        (double[] z, double[] t, out double tangent) => Expansion.ProductOfRowsJvp(z, D, t, out tangent),
        (z, t, h) => Expansion.ProductOfRowsHvp(z, D, t, h));

    [Fact]
    public void OddCounters() => CheckFunction(
        833,
        r => r.Uniform(3 * D, -0.9, 0.9),
        z => Expansion.OddCounters(z, D),
        (z, g) => Expansion.OddCountersGradient(z, D, g),
        (double[] z, double[] t, out double tangent) => Expansion.OddCountersJvp(z, D, t, out tangent),
        (z, t, h) => Expansion.OddCountersHvp(z, D, t, h));

    [Fact]
    public void ReadAfterLoop() => CheckFunction(
        834,
        r => r.Uniform(3 * D, -0.9, 0.9),
        z => Expansion.ReadAfterLoop(z, D),
        (z, g) => Expansion.ReadAfterLoopGradient(z, D, g),
        (double[] z, double[] t, out double tangent) => Expansion.ReadAfterLoopJvp(z, D, t, out tangent),
        (z, t, h) => Expansion.ReadAfterLoopHvp(z, D, t, h));

    [Fact]
    public void InsideAProduct() => CheckFunction(
        835,
        r => r.Uniform(K * D, -0.9, 0.9),
        z => Expansion.InsideAProduct(z, Points, D, K),
        (z, g) => Expansion.InsideAProductGradient(z, Points, D, K, g),
        (double[] z, double[] t, out double tangent) => Expansion.InsideAProductJvp(z, Points, D, K, t, out tangent),
        (z, t, h) => Expansion.InsideAProductHvp(z, Points, D, K, t, h));

    [Fact]
    public void DataDependentTrips() => CheckFunction(
        836,
        r => r.Uniform(D, 0.1, 0.9),
        z => Expansion.DataDependentTrips(z, D),
        (z, g) => Expansion.DataDependentTripsGradient(z, D, g),
        (double[] z, double[] t, out double tangent) => Expansion.DataDependentTripsJvp(z, D, t, out tangent),
        (z, t, h) => Expansion.DataDependentTripsHvp(z, D, t, h));

    /// <summary>
    /// Many points and components on a fresh thread, whose tape starts small: the fused loop's
    /// reserve must still hold what one iteration pushes once the expanded arrays push nothing, and
    /// the result must equal a warm thread's bit for bit and the central differences.
    /// </summary>
    [Fact]
    public void MixtureLikeOnAFreshThread_MatchesAWarmThreadAndFiniteDifferences()
    {
        const int d = 6, k = 40, n = 300;
        var random = new Random(837);
        var centers = random.Uniform(k * d, -1.0, 1.0);
        var scales = random.Uniform(k, -0.5, 0.5);
        var points = random.Uniform(n * d, -1.5, 1.5);
        var v = random.Uniform(k * d, -1.0, 1.0);
        (double[] Gradient, double[] Hv) Run()
        {
            var g = new double[k * d];
            Expansion.MixtureLikeGradient(centers, scales, points, d, k, g, new double[k]);
            var hv = new double[k * d];
            Expansion.MixtureLikeHvp(centers, scales, points, d, k, v, new double[k], hv, new double[k]);
            return (g, hv);
        }

        (double[] Gradient, double[] Hv) fresh = default;
        var thread = new System.Threading.Thread(() => fresh = Run());
        thread.Start();
        thread.Join();

        var warm = Run();
        Assert.Equal(warm.Gradient, fresh.Gradient);
        Assert.Equal(warm.Hv, fresh.Hv);
        foreach (int i in new[] { 0, 7, (k * d) - 1 })
        {
            double h = 1e-5;
            var plus = (double[])centers.Clone();
            var minus = (double[])centers.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (Expansion.MixtureLike(plus, scales, points, d, k) - Expansion.MixtureLike(minus, scales, points, d, k)) / (2 * h);
            Assert.True(Math.Abs(fresh.Gradient[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"component {i}: {fresh.Gradient[i]:R} vs {fd:R}");
        }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var random = new Random(838);
        var centers = random.Uniform(K * D, -1.0, 1.0);
        var scales = random.Uniform(K, -0.5, 0.5);
        var x = random.Uniform(4 * D, -0.9, 0.9);
        var g = new double[K * D];
        var gs = new double[K];
        var gx = new double[4 * D];
        void Run()
        {
            Expansion.MixtureLikeGradient(centers, scales, Points, D, K, g, gs);
            Expansion.MixtureLikeHvp(centers, scales, Points, D, K, centers, scales, g, gs);
            Expansion.ProductOfRowsGradient(x, D, gx);
            Expansion.ProductOfRowsHvp(x, D, x, gx);
        }

        for (int i = 0; i < 5; i++)
        {
            Run();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
