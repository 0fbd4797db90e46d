using System;
using System.Threading;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;
using static AutoDiffGen.Tests.VectorChecks;

namespace AutoDiffGen.Tests;

/// <summary>The companions of vector-valued methods: MJvp, MVjp and MJacobian.</summary>
public class VectorTests
{
    [Fact]
    public void JacobianOfSumAndDifferenceIsExact()
    {
        var result = new double[2];
        var jacobian = Filled(4);
        Vectors.SumDifferenceJacobian(3.0, -5.0, result, jacobian);
        Assert.Equal(new[] { -2.0, 8.0 }, result);
        Assert.Equal(new[] { 1.0, 1.0, 1.0, -1.0 }, jacobian);

        // Both strategies of one method, and the two modes themselves.
        var tangent = Filled(2);
        Vectors.SumDifferenceJvp(3.0, -5.0, result, 0.25, 2.0, tangent);
        Assert.Equal(new[] { 2.25, -1.75 }, tangent);
        Vectors.SumDifferenceVjp(3.0, -5.0, result, [0.5, 3.0], out double gradX, out double gradY);
        Assert.Equal(3.5, gradX);
        Assert.Equal(-2.5, gradY);
    }

    private static VectorCase Polar() => new(
        "Polar",
        4,
        r => [r.Uniform(0.5, 2.0), r.Uniform(-1.2, 1.2)],
        (z, y) => Vectors.Polar(z[0], z[1], y),
        (z, y, d, t) => Vectors.PolarJvp(z[0], z[1], y, d[0], d[1], t),
        (z, y, c, g) => Vectors.PolarVjp(z[0], z[1], y, c, out g[0], out g[1]),
        (z, y, j) => Vectors.PolarJacobian(z[0], z[1], y, j));

    private static VectorCase Softmax() => new(
        "Softmax",
        5,
        r => r.Uniform(5, -2.0, 2.0),
        (z, y) => Vectors.Softmax(z, y),
        (z, y, d, t) => Vectors.SoftmaxJvp(z, y, d, t),
        (z, y, c, g) => Vectors.SoftmaxVjp(z, y, c, g),
        (z, y, j) => Vectors.SoftmaxJacobian(z, y, j));

    private static readonly double[] BranchWeights = [1.0, -0.5, 2.0, 0.75, -1.5, 0.25];

    private static VectorCase Branchy() => new(
        "Branchy",
        3,
        r => r.Uniform(7, -1.5, 1.5),
        (z, y) => Vectors.Branchy(z.Part(0, 6), z[6], BranchWeights, y),
        (z, y, d, t) => Vectors.BranchyJvp(z.Part(0, 6), z[6], BranchWeights, y, d.AsSpan(0, 6), d[6], t),
        (z, y, c, g) => Vectors.BranchyVjp(z.Part(0, 6), z[6], BranchWeights, y, c, g[..6], out g[6]),
        (z, y, j) => Vectors.BranchyJacobian(z.Part(0, 6), z[6], BranchWeights, y, j));

    private static readonly double[] SmoothWeights = [1.0, 0.5, -0.75, 1.25, 0.8, -0.3];

    private static VectorCase Smoothed() => new(
        "Smoothed",
        4,
        r => r.Uniform(6, -1.0, 1.0),
        (z, y) => Vectors.Smoothed(z, SmoothWeights, 3, y),
        (z, y, d, t) => Vectors.SmoothedJvp(z, SmoothWeights, 3, y, d, t),
        (z, y, c, g) => Vectors.SmoothedVjp(z, SmoothWeights, 3, y, c, g),
        (z, y, j) => Vectors.SmoothedJacobian(z, SmoothWeights, 3, y, j));

    private static VectorCase WithCalls() => new(
        "WithCalls",
        4,
        r => r.Uniform(5, -1.0, 1.0),
        (z, y) => Vectors.WithCalls(z.Part(0, 4), z[4], y),
        (z, y, d, t) => Vectors.WithCallsJvp(z.Part(0, 4), z[4], y, d.AsSpan(0, 4), d[4], t),
        (z, y, c, g) => Vectors.WithCallsVjp(z.Part(0, 4), z[4], y, c, g[..4], out g[4]),
        (z, y, j) => Vectors.WithCallsJacobian(z.Part(0, 4), z[4], y, j));

    /// <summary>Points on both sides of the early returns: x[0] &gt; 0 or not, large elements or not.</summary>
    private static VectorCase EarlyExit() => new(
        "EarlyExit",
        6,
        r => r.Uniform(4, -0.9, 0.9),
        (z, y) => Vectors.EarlyExit(z, y),
        (z, y, d, t) => Vectors.EarlyExitJvp(z, y, d, t),
        (z, y, c, g) => Vectors.EarlyExitVjp(z, y, c, g),
        (z, y, j) => Vectors.EarlyExitJacobian(z, y, j));

    private static VectorCase Accumulating() => new(
        "Accumulating",
        4,
        r => r.Uniform(5, -1.0, 1.0),
        (z, y) => Vectors.Accumulating(z[0], z.Part(1, 4), y),
        (z, y, d, t) => Vectors.AccumulatingJvp(z[0], z.Part(1, 4), y, d[0], d.AsSpan(1, 4), t),
        (z, y, c, g) => Vectors.AccumulatingVjp(z[0], z.Part(1, 4), y, c, out g[0], g[1..]),
        (z, y, j) => Vectors.AccumulatingJacobian(z[0], z.Part(1, 4), y, j),
        r => r.Uniform(4, -1.0, 1.0));

    private static VectorCase Euler() => new(
        "Euler",
        4,
        r => [.. r.Uniform(4, 0.2, 1.0), r.Uniform(0.5, 1.5)],
        (z, y) => Vectors.Euler(z.Part(0, 4), z[4], 20, y),
        (z, y, d, t) => Vectors.EulerJvp(z.Part(0, 4), z[4], 20, y, d.AsSpan(0, 4), d[4], t),
        (z, y, c, g) => Vectors.EulerVjp(z.Part(0, 4), z[4], 20, y, c, g[..4], out g[4]),
        (z, y, j) => Vectors.EulerJacobian(z.Part(0, 4), z[4], 20, y, j));

    /// <summary>3 outputs from 12 + 3 + 4 = 19 inputs: the Jacobian is built row by row.</summary>
    private static VectorCase Layer() => new(
        "Layer",
        3,
        r => r.Uniform(19, -1.0, 1.0),
        (z, y) => Vectors.Layer(z.Part(0, 12), z.Part(12, 3), z.AsSpan(15, 4), y),
        (z, y, d, t) => Vectors.LayerJvp(z.Part(0, 12), z.Part(12, 3), z.AsSpan(15, 4), y, d.AsSpan(0, 12), d.AsSpan(12, 3), d.AsSpan(15, 4), t),
        (z, y, c, g) => Vectors.LayerVjp(z.Part(0, 12), z.Part(12, 3), z.AsSpan(15, 4), y, c, g[..12], g[12..15], g[15..]),
        (z, y, j) => Vectors.LayerJacobian(z.Part(0, 12), z.Part(12, 3), z.AsSpan(15, 4), y, j));

    private static VectorCase RosenbrockResiduals() => new(
        "RosenbrockResiduals",
        6,
        r => r.Uniform(6, -1.5, 1.5),
        (z, y) => Vectors.RosenbrockResiduals(z, y),
        (z, y, d, t) => Vectors.RosenbrockResidualsJvp(z, y, d, t),
        (z, y, c, g) => Vectors.RosenbrockResidualsVjp(z, y, c, g),
        (z, y, j) => Vectors.RosenbrockResidualsJacobian(z, y, j));

    private static VectorCase Recurrence(int inputs, int outputs) => new(
        "Recurrence",
        outputs,
        r => r.Uniform(inputs, -1.0, 1.0),
        (z, y) => Vectors.Recurrence(z, y),
        (z, y, d, t) => Vectors.RecurrenceJvp(z, y, d, t),
        (z, y, c, g) => Vectors.RecurrenceVjp(z, y, c, g),
        (z, y, j) => Vectors.RecurrenceJacobian(z, y, j));

    private static VectorCase RepeatedDots() => new(
        "RepeatedDots",
        4,
        r => r.Uniform(5, -1.0, 1.0),
        (z, y) => Vectors.RepeatedDots(z.Part(0, 4), z[4], y),
        (z, y, d, t) => Vectors.RepeatedDotsJvp(z.Part(0, 4), z[4], y, d.AsSpan(0, 4), d[4], t),
        (z, y, c, g) => Vectors.RepeatedDotsVjp(z.Part(0, 4), z[4], y, c, g[..4], out g[4]),
        (z, y, j) => Vectors.RepeatedDotsJacobian(z.Part(0, 4), z[4], y, j));

    private static VectorCase EvenOnly() => new(
        "EvenOnly",
        5,
        r => [r.Uniform(0.5, 1.5), r.Uniform(-1.0, 1.0)],
        (z, y) => Vectors.EvenOnly(z[0], z[1], y),
        (z, y, d, t) => Vectors.EvenOnlyJvp(z[0], z[1], y, d[0], d[1], t),
        (z, y, c, g) => Vectors.EvenOnlyVjp(z[0], z[1], y, c, out g[0], out g[1]),
        (z, y, j) => Vectors.EvenOnlyJacobian(z[0], z[1], y, j),
        r => r.Uniform(5, -1.0, 1.0));

    [Fact]
    public void PolarScalarsFewerInputsThanOutputs() => Check(Polar(), 901);

    [Fact]
    public void SoftmaxResultReadAfterWrite() => Check(Softmax(), 902);

    [Fact]
    public void BranchesAndWhileLoopMoreInputsThanOutputs() => Check(Branchy(), 903);

    [Fact]
    public void LocalArraysRecreatedInLoops() => Check(Smoothed(), 904);

    [Fact]
    public void CallsOfScalarMethodsIncludingTheResultSpan() => Check(WithCalls(), 905);

    [Fact]
    public void EarlyReturns()
    {
        // The points must take the three exits of EarlyExit, or the check proves little.
        bool first = false, inLoop = false, end = false;
        Check(EarlyExit(), 906, points: 8, onPoint: x =>
        {
            var y = new double[6];
            Vectors.EarlyExit(x, y);
            first |= x[0] > 0.0;
            inLoop |= x[0] <= 0.0 && y[0] > 0.3;
            end |= x[0] <= 0.0 && y[0] <= 0.3;
        });
        Assert.True(first && inLoop && end, $"paths taken: first {first}, in loop {inLoop}, end {end}");
    }

    [Fact]
    public void InitialContentsOfTheResultAreRead() => Check(Accumulating(), 907);

    [Fact]
    public void EulerStepsOfAnOde() => Check(Euler(), 908);

    [Fact]
    public void DenseLayerManyMoreInputsThanOutputs() => Check(Layer(), 909);

    [Fact]
    public void ExtendedRosenbrockResiduals() => Check(RosenbrockResiduals(), 910);

    [Fact]
    public void NonlinearReadModifyWriteOfElementsInNestedLoops()
    {
        Check(Recurrence(3, 5), 914);
        Check(Recurrence(6, 2), 915);
    }

    [Fact]
    public void ResultPassedToACallInALoopThatOverwritesIt() => Check(RepeatedDots(), 916);

    [Fact]
    public void ElementsNeverWrittenKeepTheirContentsAndHaveNoDerivative()
    {
        Check(EvenOnly(), 911);

        double[] initial = [7.0, 8.0, 9.0, 10.0, 11.0];
        var result = (double[])initial.Clone();
        var tangent = Filled(5);
        Vectors.EvenOnlyJvp(1.5, -0.5, result, 1.0, 1.0, tangent);
        Assert.Equal(8.0, result[1]);
        Assert.Equal(10.0, result[3]);
        Assert.Equal(0.0, tangent[1]);
        Assert.Equal(0.0, tangent[3]);

        // A cotangent on an element never written contributes nothing.
        result = (double[])initial.Clone();
        Vectors.EvenOnlyVjp(1.5, -0.5, result, [0.0, 1.0, 0.0, 1.0, 0.0], out double gradX, out double gradY);
        Assert.Equal(0.0, gradX);
        Assert.Equal(0.0, gradY);
        Assert.Equal(initial[1], result[1]);
    }

    [Fact]
    public void OutputsAreOverwrittenNotAccumulated()
    {
        var x = new double[] { 0.3, -0.2, 0.9, 0.1 };
        var w = new double[] { 0.5, -0.4, 0.2, 0.7 };
        var once = Filled(4);
        var twice = Filled(4);
        Vectors.WithCallsVjp(x, 0.4, new double[4], w, once, out double gradA1);
        Vectors.WithCallsVjp(x, 0.4, new double[4], w, twice, out _);
        Vectors.WithCallsVjp(x, 0.4, new double[4], w, twice, out double gradA2);
        Assert.Equal(once, twice);
        Assert.Equal(gradA1, gradA2);

        var j1 = new double[4 * 5];
        var j2 = Filled(4 * 5);
        Vectors.WithCallsJacobian(x, 0.4, new double[4], j1);
        Vectors.WithCallsJacobian(x, 0.4, new double[4], j2);
        Vectors.WithCallsJacobian(x, 0.4, new double[4], j2);
        Assert.Equal(j1, j2);
    }

    [Fact]
    public void TapeGrowthRunsTheForwardSweepAgainFromTheInitialContents()
    {
        // On a fresh thread the tape starts small: long runs fill it, the VJP grows the tape and
        // runs the forward sweep again. Accumulating reads the result's initial contents, which
        // the retry must see unchanged. Compare with calls on this thread after a warm-up.
        const int m = 6000;
        var random = new Random(913);
        var p = random.Uniform(m, -1.0, 1.0);
        var initial = random.Uniform(m, -1.0, 1.0);
        var cotangent = Direction(random, m);
        var y0 = new double[] { 0.4, 0.8, 0.6, 0.3 };
        var c4 = new double[] { 1.0, -2.0, 0.5, 0.25 };

        (double[] Result, double[] Grad, double[] EulerGrad) Run()
        {
            var result = (double[])initial.Clone();
            var grad = Filled(m + 1);
            Vectors.AccumulatingVjp(0.7, p, result, cotangent, out grad[0], grad.AsSpan(1));
            var eulerGrad = Filled(5);
            Vectors.EulerVjp(y0, 1.2, 3000, new double[4], c4, eulerGrad.AsSpan(0, 4), out eulerGrad[4]);
            return (result, grad, eulerGrad);
        }

        (double[] Result, double[] Grad, double[] EulerGrad) fresh = default;
        var thread = new Thread(() => fresh = Run());
        thread.Start();
        thread.Join();
        Run();
        var warm = Run();
        Assert.Equal(warm.Result, fresh.Result);
        Assert.Equal(warm.Grad, fresh.Grad);
        Assert.Equal(warm.EulerGrad, fresh.EulerGrad);

        // And the values are those of the method itself.
        var expected = (double[])initial.Clone();
        Vectors.Accumulating(0.7, p, expected);
        Assert.Equal(expected, fresh.Result);
    }

    [Fact]
    public void WrongLengthsThrowNamingTheArgument()
    {
        var x = new double[4];
        var e = Assert.Throws<ArgumentException>(() => Vectors.SoftmaxJvp(x, new double[4], new double[4], new double[3]));
        Assert.Equal("resultTangent", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Vectors.SoftmaxJvp(x, new double[4], new double[5], new double[4]));
        Assert.Equal("dx", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Vectors.SoftmaxVjp(x, new double[4], new double[3], new double[4]));
        Assert.Equal("cotangent", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Vectors.SoftmaxVjp(x, new double[4], new double[4], new double[2]));
        Assert.Equal("gradX", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Vectors.SoftmaxJacobian(x, new double[4], new double[15]));
        Assert.Equal("jacobian", e.ParamName);
        Assert.Contains("4 x 4", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Vectors.PolarJacobian(1.0, 2.0, new double[4], new double[9]));
        Assert.Equal("jacobian", e.ParamName);
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var random = new Random(912);
        var x = random.Uniform(5, -1.0, 1.0);
        var dx = Direction(random, 5);
        var y = new double[5];
        var t = new double[5];
        var c = Direction(random, 5);
        var g = new double[5];
        var j = new double[25];
        var s6 = random.Uniform(6, -1.0, 1.0);
        var d6 = Direction(random, 6);
        var g6 = new double[6];
        var y4 = new double[4];
        var t4 = new double[4];
        var c4 = Direction(random, 4);
        var j24 = new double[24];
        var x4 = random.Uniform(4, -1.0, 1.0);
        var d4 = Direction(random, 4);
        var g4 = new double[4];
        var j20 = new double[20];
        var j16 = new double[16];
        var p4 = random.Uniform(4, -1.0, 1.0);
        var y0 = random.Uniform(4, 0.2, 1.0);

        void Run()
        {
            // Local arrays, tape, calls, early returns, the saved initial contents, both Jacobian strategies.
            Vectors.SoftmaxJvp(x, y, dx, t);
            Vectors.SoftmaxVjp(x, y, c, g);
            Vectors.SoftmaxJacobian(x, y, j);
            Vectors.SmoothedJvp(s6, SmoothWeights, 3, y4, d6, t4);
            Vectors.SmoothedVjp(s6, SmoothWeights, 3, y4, c4, g6);
            Vectors.SmoothedJacobian(s6, SmoothWeights, 3, y4, j24);
            Vectors.WithCallsJvp(x4, 0.3, y4, d4, 0.5, t4);
            Vectors.WithCallsVjp(x4, 0.3, y4, c4, g4, out _);
            Vectors.WithCallsJacobian(x4, 0.3, y4, j20);
            Vectors.EarlyExitJvp(x4, y, d4, t);
            Vectors.EarlyExitVjp(x4, y, c, g4);
            Vectors.AccumulatingVjp(0.4, p4, y4, c4, out _, g4);
            Vectors.AccumulatingJacobian(0.4, p4, y4, j20);
            Vectors.EulerJacobian(y0, 1.1, 10, y4, j20);
            Vectors.RosenbrockResidualsJacobian(x4, y4, j16);
        }

        for (int i = 0; i < 5; i++)
        {
            Run();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
