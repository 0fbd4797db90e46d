using System;
using System.Collections.Generic;
using Xunit;
using Xunit.Sdk;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

public class AllocationTests
{
    private const int Warmup = 5;
    private const int Repetitions = 100;

    [Fact]
    public void SteadyStateGradientAndJvpCallsAllocateNothing()
    {
        var random = new Random(801);
        var x = random.Uniform(8, -1.0, 1.0);
        var d = Direction(random, 8);
        var g = new double[8];
        var u0 = random.Uniform(12, -1.0, 1.0);
        var du0 = Direction(random, 12);
        var gu0 = new double[12];
        var w = random.Uniform(8, 0.5, 1.5);

        void Run()
        {
            // Loops with local arrays, arrays re-created inside a loop, nested loops, calls.
            Arrays.LocalArrayGradient(x, g);
            Arrays.LocalArrayJvp(x, d, out _);
            Arrays.ArrayRecreatedInLoopGradient(x, g);
            Arrays.ArrayRecreatedInLoopJvp(x, d, out _);
            Arrays.DiffusionGradient(u0, 0.2, 20, gu0, out _);
            Arrays.DiffusionJvp(u0, 0.2, 20, du0, 1.0, out _);
            Loops.NestedBreakContinueGradient(x, g);
            Loops.NestedBreakContinueJvp(x, d, out _);
            Calls.AliasingGradient(x, 0.5, g, out _);
            Calls.AliasingJvp(x, 0.5, d, 1.0, out _);
            Calls.OtherTypeGradient(x, w, 1.5, g, out _);
            ClosedForms.LogSumExpGradient(x, g);
            ClosedForms.NewtonSqrtGradient(7.0, out _);
            Calls.InactiveArrayArgumentsGradient(x, w, 3, g);
            Calls.InactiveArrayArgumentsJvp(x, w, 3, d, out _);
        }

        for (int i = 0; i < Warmup; i++)
        {
            Run();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Repetitions; i++)
        {
            Run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SteadyStateHvpAndHessianCallsAllocateNothing()
    {
        var random = new Random(804);
        var x = random.Uniform(8, -1.0, 1.0);
        var v = Direction(random, 8);
        var hv = new double[8];
        var x4 = random.Uniform(4, -0.8, 0.8);
        var v4 = Direction(random, 4);
        var hv4 = new double[4];
        var u0 = random.Uniform(12, -1.0, 1.0);
        var du0 = Direction(random, 12);
        var hu0 = new double[12];
        var w = random.Uniform(8, 0.5, 1.5);
        var hessian5 = new double[25];
        var hessian8 = new double[64];
        var hessian9 = new double[81];
        var (alphas, means, icf, points) = AutoDiffGen.Benchmarks.Ad.Gmm.Data(3, 4, 10, seed: 806);
        var va = Direction(random, alphas.Length);
        var vm = Direction(random, means.Length);
        var vq = Direction(random, icf.Length);
        var ha = new double[alphas.Length];
        var hm = new double[means.Length];
        var hq = new double[icf.Length];

        // Loops with local arrays, arrays re-created inside loops, nested loops, calls (chains of
        // calls, local arrays as arguments, inactive array arguments), data-dependent trips. Each
        // call is measured on its own, so that a failure names the companions that allocate.
        var calls = new (string Name, Action Call)[]
        {
            ("Arrays.LocalArrayHvp", () => Arrays.LocalArrayHvp(x, v, hv)),
            ("Arrays.ArrayRecreatedInLoopHvp", () => Arrays.ArrayRecreatedInLoopHvp(x, v, hv)),
            ("Arrays.DiffusionHvp", () => Arrays.DiffusionHvp(u0, 0.2, 20, du0, 1.0, hu0, out _)),
            ("Loops.NestedBreakContinueHvp", () => Loops.NestedBreakContinueHvp(x, v, hv)),
            ("Calls.AliasingHvp", () => Calls.AliasingHvp(x, 0.5, v, 1.0, hv, out _)),
            ("Calls.OtherTypeHvp", () => Calls.OtherTypeHvp(x, w, 1.5, v, 1.0, hv, out _)),
            ("Calls.InactiveArrayArgumentsHvp", () => Calls.InactiveArrayArgumentsHvp(x, w, 3, v, hv)),
            ("ClosedForms.LogSumExpHvp", () => ClosedForms.LogSumExpHvp(x, v, hv)),
            ("ClosedForms.NewtonSqrtHvp", () => ClosedForms.NewtonSqrtHvp(7.0, 1.0, out _)),
            ("SecondOrderConstructs.LevelAHvp", () => SecondOrderConstructs.LevelAHvp(x4, 0.3, v4, 1.0, hv4, out _)),
            ("SecondOrderConstructs.AllLoopsHvp", () => SecondOrderConstructs.AllLoopsHvp(x, 0.7, v, 1.0, hv, out _)),
            ("Gmm.ObjectiveHvp", () => AutoDiffGen.Benchmarks.Ad.Gmm.ObjectiveHvp(alphas, means, icf, points, 1.0, 0, 3, 4, va, vm, vq, ha, hm, hq)),
            ("SecondOrderConstructs.LevelAHessian", () => SecondOrderConstructs.LevelAHessian(x4, 0.3, hessian5)),
            ("Arrays.ArrayRecreatedInLoopHessian", () => Arrays.ArrayRecreatedInLoopHessian(x, hessian8)),
            ("Calls.OtherTypeHessian", () => Calls.OtherTypeHessian(x, w, 1.5, hessian9)),
        };

        var failures = new List<string>();
        foreach (var (name, call) in calls)
        {
            for (int i = 0; i < Warmup; i++)
            {
                call();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Repetitions; i++)
            {
                call();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated != 0)
            {
                failures.Add($"{name}: {allocated / Repetitions} bytes per call");
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}

public class TripCountMemoryTests
{
    [Fact]
    public void InactiveArrayArgumentsInALoopNeedNoMemoryPerIteration()
    {
        // A data array passed to a differentiable parameter of a callee gets a zero tangent
        // (forward) and a discarded adjoint (reverse). After a warm-up call with one iteration, a
        // call with thousands of iterations must not need any new memory for them.
        var random = new Random(803);
        var x = random.Uniform(500, -1.0, 1.0);
        var a = random.Uniform(500, -1.0, 1.0);
        var d = Direction(random, 500);
        var g = new double[500];
        Calls.InactiveArrayArgumentsJvp(x, a, 1, d, out _);
        Calls.InactiveArrayArgumentsGradient(x, a, 1, g);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Calls.InactiveArrayArgumentsJvp(x, a, 2000, d, out _);
        long afterJvp = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, afterJvp - before);

        // The reverse sweep tapes a few doubles per iteration: allow the tape to grow to hold
        // them (far less than one array of 500 doubles per iteration would need).
        Calls.InactiveArrayArgumentsGradient(x, a, 2000, g);
        long afterGradient = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(afterGradient - afterJvp < 2000L * 500 * sizeof(double) / 10, $"reverse sweep allocated {afterGradient - afterJvp} bytes");

        // Forward over reverse tapes each taped value's tangent too: the same bound.
        var hv = new double[500];
        Calls.InactiveArrayArgumentsHvp(x, a, 1, d, hv);
        long beforeHvp = GC.GetAllocatedBytesForCurrentThread();
        Calls.InactiveArrayArgumentsHvp(x, a, 2000, d, hv);
        long afterHvp = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(afterHvp - beforeHvp < 2000L * 500 * sizeof(double) / 10, $"HVP allocated {afterHvp - beforeHvp} bytes");
    }
}

public class ArgumentErrorTests
{
    [Fact]
    public void GradientSpanOfWrongLengthThrowsNamingTheParameter()
    {
        var x = new double[5];
        var e = Assert.Throws<ArgumentException>(() => Loops.RosenbrockGradient(x, new double[4]));
        Assert.Equal("gradX", e.ParamName);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);

        var w = new double[3];
        var a = new double[3];
        e = Assert.Throws<ArgumentException>(() => StraightLine.NoDerivativeDataGradient(1.0, 1.0, a, w, out _, new double[4]));
        Assert.Equal("gradW", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Calls.AliasingGradient(x, 1.0, new double[6], out _));
        Assert.Equal("gradX", e.ParamName);
    }

    [Fact]
    public void TangentSpanOfWrongLengthThrowsNamingTheParameter()
    {
        var x = new double[5];
        var e = Assert.Throws<ArgumentException>(() => Loops.RosenbrockJvp(x, new double[6], out _));
        Assert.Equal("dx", e.ParamName);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => Loops.ForeachSpanJvp(x, new double[0], out _));
        Assert.Equal("dx", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Arrays.DiffusionJvp(x, 0.1, 2, new double[2], 1.0, out _));
        Assert.Equal("du0", e.ParamName);
    }

    [Fact]
    public void HvpSpansOfWrongLengthThrowNamingTheParameter()
    {
        var x = new double[5];
        var e = Assert.Throws<ArgumentException>(() => Loops.RosenbrockHvp(x, new double[4], new double[5]));
        Assert.Equal("vX", e.ParamName);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Loops.RosenbrockHvp(x, new double[5], new double[6]));
        Assert.Equal("hvX", e.ParamName);

        var w = new double[3];
        var a = new double[3];
        e = Assert.Throws<ArgumentException>(() => StraightLine.NoDerivativeDataHvp(1.0, 1.0, a, w, 1.0, new double[2], out _, new double[3]));
        Assert.Equal("vW", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => StraightLine.NoDerivativeDataHvp(1.0, 1.0, a, w, 1.0, new double[3], out _, new double[0]));
        Assert.Equal("hvW", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Arrays.DiffusionHvp(x, 0.1, 2, new double[5], 1.0, new double[2], out _));
        Assert.Equal("hvU0", e.ParamName);
    }

    [Fact]
    public void AfterASecondOrderErrorTheNextCallIsCorrect()
    {
        var random = new Random(805);
        var x = random.Uniform(5, -1.0, 1.0);
        var v = Direction(random, 5);
        var expected = new double[5];
        var expectedHessian = new double[25];
        Arrays.LocalArrayHvp(x, v, expected);
        Arrays.LocalArrayHessian(x, expectedHessian);
        var tape = CompilerServices.AdTape.Current;
        var arena = CompilerServices.AdArena.Current;
        int doubles = tape.DoubleCount, ints = tape.IntCount, mark = arena.Mark;

        Assert.Throws<ArgumentException>(() => Arrays.LocalArrayHvp(x, v, new double[3]));
        Assert.Throws<ArgumentException>(() => Arrays.LocalArrayHessian(x, new double[24]));
        Assert.Equal(doubles, tape.DoubleCount);
        Assert.Equal(ints, tape.IntCount);
        Assert.Equal(mark, arena.Mark);

        var hv = new double[5];
        Arrays.LocalArrayHvp(x, v, hv);
        Assert.Equal(expected, hv);
        var h = new double[25];
        Arrays.LocalArrayHessian(x, h);
        Assert.Equal(expectedHessian, h);
    }

    [Fact]
    public void AfterAnArgumentErrorTheNextCallIsCorrect()
    {
        // A failed call must leave no state behind (tape and arena are per thread and reused).
        var x = new Random(802).Uniform(5, -1.0, 1.0);
        var expected = new double[5];
        Arrays.LocalArrayGradient(x, expected);
        Assert.Throws<ArgumentException>(() => Arrays.LocalArrayGradient(x, new double[3]));
        var g = new double[5];
        Arrays.LocalArrayGradient(x, g);
        Assert.Equal(expected, g);
    }
}

/// <summary>The checker itself must be able to fail.</summary>
public class NumericalChecksTests
{
    private static double Cube(double[] z) => z[0] * z[0] * z[0];

    [Fact]
    public void AcceptsAnExactGradient() => CheckFunction(
        901,
        r => [r.Uniform(-2.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0]; return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0]; return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0]; return Cube(z); });

    [Fact]
    public void RejectsAGradientOffByTenToTheMinusFive() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        902,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0] * (1 + 1e-5); return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * (1 + 1e-5) * d[0]; return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0]; return Cube(z); }));

    [Fact]
    public void RejectsAJvpOffByTenToTheMinusNine() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        903,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0]; return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0] * (1 + 1e-9); return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0]; return Cube(z); }));

    [Fact]
    public void RejectsAWrongValue() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        904,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0]; return Cube(z) + 1e-12; },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0]; return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0]; return Cube(z); }));

    [Fact]
    public void RejectsAccumulatingIntoTheGradientBuffer() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        905,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] += 3 * z[0] * z[0]; return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0]; return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0]; return Cube(z); }));

    [Fact]
    public void RejectsAnHvpOffByTenToTheMinusFour() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        906,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0]; return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0]; return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0] * (1 + 1e-4); return Cube(z); }));

    [Fact]
    public void RejectsAWrongHvpValue() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        907,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0]; return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0]; return Cube(z); },
        (z, v, h) => { h[0] = 6 * z[0] * v[0]; return Cube(z) * (1 + 1e-15); }));

    [Fact]
    public void RejectsAccumulatingIntoTheHvpBuffer() => Assert.ThrowsAny<XunitException>(() => CheckFunction(
        908,
        r => [r.Uniform(1.0, 2.0)],
        Cube,
        (z, g) => { g[0] = 3 * z[0] * z[0]; return Cube(z); },
        (double[] z, double[] d, out double t) => { t = 3 * z[0] * z[0] * d[0]; return Cube(z); },
        (z, v, h) => { h[0] += 6 * z[0] * v[0]; return Cube(z); }));

    /// <summary>
    /// f = x^2 y: H = [[2y, 2x], [2x, 0]]. The HVP below uses the nonsymmetric [[2y, 2x(1 + 1e-8)], [2x, 0]]:
    /// too small an error for the differenced gradient (1e-5) to see, but the symmetry check (1e-9) must.
    /// </summary>
    [Fact]
    public void RejectsAnAsymmetricHvp()
    {
        static double F(double[] z) => z[0] * z[0] * z[1];
        Assert.ThrowsAny<XunitException>(() => CheckFunction(
            909,
            r => [r.Uniform(1.0, 2.0), r.Uniform(1.0, 2.0)],
            F,
            (z, g) => { g[0] = 2 * z[0] * z[1]; g[1] = z[0] * z[0]; return F(z); },
            (double[] z, double[] d, out double t) => { t = (2 * z[0] * z[1] * d[0]) + (z[0] * z[0] * d[1]); return F(z); },
            (z, v, h) => { h[0] = (2 * z[1] * v[0]) + (2 * z[0] * (1 + 1e-8) * v[1]); h[1] = 2 * z[0] * v[0]; return F(z); }));
    }

    [Fact]
    public void CentralDifferencesOfAQuadraticAreExactUpToRounding()
    {
        var z = new double[] { 1.5, -0.25 };
        var fd = CentralDifferenceGradient(v => (v[0] * v[0]) + (3 * v[0] * v[1]), z);
        AssertClose(2 * 1.5 + (3 * -0.25), fd[0], 1e-9, 1.0, "fd x");
        AssertClose(3 * 1.5, fd[1], 1e-9, 1.0, "fd y");
        Assert.Equal(new[] { 1.5, -0.25 }, z);
    }
}
