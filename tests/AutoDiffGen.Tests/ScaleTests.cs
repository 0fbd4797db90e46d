using System;
using System.Threading.Tasks;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Large inputs (tape and arena growth across chunks, many re-bound local arrays) and concurrent
/// calls (the tape and arena are per thread). References: closed forms, the other AD mode and
/// central differences on a few coordinates.
/// </summary>
public class ScaleTests
{
    /// <summary>
    /// Reverse mode against forward mode on two random directions (relative 1e-10 of the terms'
    /// size) and central differences on a few coordinates (relative 1e-6, floor 1).
    /// </summary>
    private static void CheckLarge(int seed, double[] x, PackedFunction f, PackedGradient gradient, PackedJvp jvp)
    {
        var random = new Random(seed);
        var g = new double[x.Length];
        double value = gradient(x, g);
        Assert.Equal(f(x), value);
        for (int k = 0; k < 2; k++)
        {
            var d = Direction(random, x.Length);
            Assert.Equal(value, jvp(x, d, out double tangent));
            double scale = 0;
            for (int i = 0; i < x.Length; i++)
            {
                scale += Math.Abs(g[i] * d[i]);
            }

            Assert.True(Math.Abs(tangent - Dot(g, d)) <= JvpRelative * scale, $"JVP {tangent:R} vs <g, d> {Dot(g, d):R}");
        }

        foreach (int i in new[] { 0, x.Length / 3, x.Length - 1 })
        {
            double xi = x[i];
            double h = Step(xi);
            x[i] = xi + h;
            double up = f(x);
            x[i] = xi - h;
            double down = f(x);
            x[i] = xi;
            double fd = (up - down) / (2 * h);
            AssertClose(fd, g[i], FdRelative, 1.0, "component " + i);
        }
    }

    [Fact]
    public void RosenbrockWithAHundredThousandInputs()
    {
        var x = new Random(1201).Uniform(100_000, -1.5, 1.5);
        var expected = NumericalChecks.HandRosenbrockGradient(x);

        var g = new double[x.Length];
        Loops.RosenbrockGradient(x, g);
        AssertClose(expected, g, 1e-12, 1.0, "grad Rosenbrock");
    }

    [Fact]
    public void LocalArraysLargerThanAnArenaChunk() => CheckLarge(
        1202,
        new Random(1203).Uniform(9000, -1.0, 1.0),
        z => Arrays.LocalArray(z),
        (z, g) => Arrays.LocalArrayGradient(z, g),
        (double[] z, double[] d, out double t) => Arrays.LocalArrayJvp(z, d, out t));

    [Fact]
    public void ArraysRecreatedInALoopAtLargeSize() => CheckLarge(
        1204,
        new Random(1205).Uniform(1500, -0.2, 0.2),
        z => Arrays.ArrayRecreatedInLoop(z),
        (z, g) => Arrays.ArrayRecreatedInLoopGradient(z, g),
        (double[] z, double[] d, out double t) => Arrays.ArrayRecreatedInLoopJvp(z, d, out t));

    [Fact]
    public void ManyArraysOfGrowingLength() => CheckLarge(
        1206,
        new Random(1207).Uniform(300, -0.1, 0.1),
        z => EdgeCases.GrowingArrays(z),
        (z, g) => EdgeCases.GrowingArraysGradient(z, g),
        (double[] z, double[] d, out double t) => EdgeCases.GrowingArraysJvp(z, d, out t));

    [Fact]
    public void LongDiffusion() => CheckLarge(
        1208,
        [.. new Random(1209).Uniform(2000, -1.0, 1.0), 0.2],
        z => Arrays.Diffusion(z.Part(0, 2000), z[2000], 40),
        (z, g) => Arrays.DiffusionGradient(z.Part(0, 2000), z[2000], 40, g.AsSpan(0, 2000), out g[2000]),
        (double[] z, double[] d, out double t) => Arrays.DiffusionJvp(z.Part(0, 2000), z[2000], 40, d.AsSpan(0, 2000), d[2000], out t));

    /// <summary>
    /// HVP at large size against central differences of the gradient along v (every component,
    /// <see cref="NumericalChecks.HvpFdRelative"/>) and the symmetry &lt;H v, w&gt; = &lt;v, H w&gt;
    /// (<see cref="NumericalChecks.HvpSymmetryRelative"/> of the terms' size).
    /// </summary>
    private static void CheckLargeHvp(int seed, double[] x, PackedFunction f, PackedGradient gradient, PackedHvp hvp)
    {
        var random = new Random(seed);
        double value = f(x);
        var v = Direction(random, x.Length);
        var w = Direction(random, x.Length);
        var hv = new double[x.Length];
        var hw = new double[x.Length];
        Array.Fill(hv, 1e6);
        Array.Fill(hw, -1e6);
        Assert.Equal(value, hvp(x, v, hv));
        Assert.Equal(value, hvp(x, w, hw));
        var fd = CentralDifferenceHvp(gradient, x, v);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(
                Math.Abs(fd[i] - hv[i]) <= HvpFdRelative * Math.Max(1.0, Math.Abs(hv[i])),
                $"HVP component {i}: {hv[i]:R}, differenced gradient {fd[i]:R}");
        }

        double left = 0, right = 0, scale = 0;
        for (int i = 0; i < x.Length; i++)
        {
            left += hv[i] * w[i];
            right += v[i] * hw[i];
            scale += Math.Abs(hv[i] * w[i]) + Math.Abs(v[i] * hw[i]);
        }

        Assert.True(Math.Abs(left - right) <= HvpSymmetryRelative * scale, $"<H v, w> = {left:R}, <v, H w> = {right:R}");
    }

    [Fact]
    public void RosenbrockHvpWithAHundredThousandInputs()
    {
        // The hand-derived tridiagonal Hessian times v (the Newton-CG use case); relative 1e-12 with
        // a floor of 1000, the size of the Hessian's entries (1200 x_i^2), since (H v)_i may cancel.
        var random = new Random(1211);
        var x = random.Uniform(100_000, -1.5, 1.5);
        var v = Direction(random, x.Length);
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length - 1; i++)
        {
            double hii = 2 + (1200 * x[i] * x[i]) - (400 * x[i + 1]);
            double off = -400 * x[i];
            expected[i] += (hii * v[i]) + (off * v[i + 1]);
            expected[i + 1] += (off * v[i]) + (200 * v[i + 1]);
        }

        var hv = new double[x.Length];
        Assert.Equal(Loops.Rosenbrock(x), Loops.RosenbrockHvp(x, v, hv));
        AssertClose(expected, hv, 1e-12, 1000.0, "Rosenbrock H v");
    }

    [Fact]
    public void HvpWithLocalArraysLargerThanAnArenaChunk() => CheckLargeHvp(
        1212,
        new Random(1213).Uniform(9000, -1.0, 1.0),
        z => Arrays.LocalArray(z),
        (z, g) => Arrays.LocalArrayGradient(z, g),
        (z, v, h) => Arrays.LocalArrayHvp(z, v, h));

    [Fact]
    public void HvpOfArraysRecreatedInALoopAtLargeSize() => CheckLargeHvp(
        1214,
        new Random(1215).Uniform(1500, -0.2, 0.2),
        z => Arrays.ArrayRecreatedInLoop(z),
        (z, g) => Arrays.ArrayRecreatedInLoopGradient(z, g),
        (z, v, h) => Arrays.ArrayRecreatedInLoopHvp(z, v, h));

    [Fact]
    public void HvpOfLongDiffusion() => CheckLargeHvp(
        1216,
        [.. new Random(1217).Uniform(2000, -1.0, 1.0), 0.2],
        z => Arrays.Diffusion(z.Part(0, 2000), z[2000], 40),
        (z, g) => Arrays.DiffusionGradient(z.Part(0, 2000), z[2000], 40, g.AsSpan(0, 2000), out g[2000]),
        (z, v, h) => Arrays.DiffusionHvp(z.Part(0, 2000), z[2000], 40, v.AsSpan(0, 2000), v[2000], h.AsSpan(0, 2000), out h[2000]));

    [Fact]
    public void ConcurrentHvpsAgreeWithSequentialOnes()
    {
        const int tasks = 8;
        var random = new Random(1218);
        var points = new double[tasks][];
        var directions = new double[tasks][];
        var expected = new double[tasks][];
        for (int k = 0; k < tasks; k++)
        {
            points[k] = random.Uniform(50 + k, -1.0, 1.0);
            directions[k] = Direction(random, 50 + k);
            expected[k] = new double[points[k].Length];
            Arrays.ArrayRecreatedInLoopHvp(points[k], directions[k], expected[k]);
        }

        var actual = new double[tasks][];
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, k =>
        {
            var hv = new double[points[k].Length];
            for (int repeat = 0; repeat < 50; repeat++)
            {
                Arrays.ArrayRecreatedInLoopHvp(points[k], directions[k], hv);
                EdgeCases.GrowingArraysHvp(points[k], directions[k], new double[points[k].Length]);
            }

            actual[k] = hv;
        });

        for (int k = 0; k < tasks; k++)
        {
            Assert.Equal(expected[k], actual[k]);
        }
    }

    [Fact]
    public void ConcurrentGradientsAgreeWithSequentialOnes()
    {
        const int tasks = 8;
        var random = new Random(1210);
        var points = new double[tasks][];
        var expected = new double[tasks][];
        for (int k = 0; k < tasks; k++)
        {
            points[k] = random.Uniform(50 + k, -1.0, 1.0);
            expected[k] = new double[points[k].Length];
            Arrays.ArrayRecreatedInLoopGradient(points[k], expected[k]);
        }

        var actual = new double[tasks][];
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, k =>
        {
            var g = new double[points[k].Length];
            for (int repeat = 0; repeat < 50; repeat++)
            {
                Arrays.ArrayRecreatedInLoopGradient(points[k], g);
                EdgeCases.GrowingArraysGradient(points[k], new double[points[k].Length]);
            }

            actual[k] = g;
        });

        for (int k = 0; k < tasks; k++)
        {
            Assert.Equal(expected[k], actual[k]);
        }
    }
}
