using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Element reads that a loop does not change are read once before the loop in generated code.
/// These shapes check that this never reads an element the method itself would not read.
/// </summary>
public static partial class InvariantReads
{
    /// <summary>
    /// x[i + 1] is invariant in the loop over j, and out of range when i is the last index, where
    /// the loop over j runs no iteration: the read must not happen then.
    /// </summary>
    [Differentiable]
    public static double EmptyInnerLoop(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = i + 1; j < x.Length; j++)
            {
                s += x[j] * x[i + 1] * Math.Sin(x[i]);
            }
        }

        return s;
    }

    /// <summary>x[i - 1] is invariant but only read under a condition that excludes i = 0.</summary>
    [Differentiable]
    public static double ConditionalRead(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                s += x[j] * x[j];
                if (i > 0)
                {
                    s += x[i - 1] * x[j];
                }
            }
        }

        return s;
    }

    /// <summary>A triangular update as in the GMM objective: a[j] += c[l] * b[i] over j &gt; i.</summary>
    [Differentiable]
    public static double Triangular(double[] b, double[] c, int d)
    {
        double[] a = new double[d];
        int l = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                a[j] += c[l] * b[i];
                l++;
            }
        }

        double s = 0;
        for (int j = 0; j < d; j++)
        {
            s += a[j] * a[j] * b[j];
        }

        return s;
    }

    /// <summary>Reads x[k] for the caller's k in every iteration: out of range must still throw.</summary>
    [Differentiable]
    public static double ReadsIndexK(double[] x, int k)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * x[k];
        }

        return s;
    }
}

public sealed class InvariantReadTests
{
    [Fact]
    public void EmptyInnerLoop() => CheckFunction(
        841,
        r => r.Uniform(5, -1.0, 1.0),
        z => InvariantReads.EmptyInnerLoop(z),
        (z, g) => InvariantReads.EmptyInnerLoopGradient(z, g),
        (double[] z, double[] t, out double tangent) => InvariantReads.EmptyInnerLoopJvp(z, t, out tangent),
        (z, t, h) => InvariantReads.EmptyInnerLoopHvp(z, t, h));

    [Fact]
    public void ConditionalRead() => CheckFunction(
        842,
        r => r.Uniform(4, -1.0, 1.0),
        z => InvariantReads.ConditionalRead(z),
        (z, g) => InvariantReads.ConditionalReadGradient(z, g),
        (double[] z, double[] t, out double tangent) => InvariantReads.ConditionalReadJvp(z, t, out tangent),
        (z, t, h) => InvariantReads.ConditionalReadHvp(z, t, h));

    [Fact]
    public void Triangular() => CheckFunction(
        843,
        r => r.Uniform(5 + 10, -1.0, 1.0),
        z => InvariantReads.Triangular(z.Part(0, 5), z.Part(5, 10), 5),
        (z, g) => InvariantReads.TriangularGradient(z.Part(0, 5), z.Part(5, 10), 5, g.AsSpan(0, 5), g.AsSpan(5, 10)),
        (double[] z, double[] t, out double tangent) => InvariantReads.TriangularJvp(z.Part(0, 5), z.Part(5, 10), 5, t.AsSpan(0, 5), t.AsSpan(5, 10), out tangent),
        (z, t, h) => InvariantReads.TriangularHvp(z.Part(0, 5), z.Part(5, 10), 5, t.AsSpan(0, 5), t.AsSpan(5, 10), h.AsSpan(0, 5), h.AsSpan(5, 10)));

    [Fact]
    public void AnIndexOutOfRangeStillThrows_AndAnEmptyLoopReadsNothing()
    {
        var x = new[] { 0.5, -1.0, 2.0 };
        var g = new double[3];
        Assert.Throws<IndexOutOfRangeException>(() => InvariantReads.ReadsIndexK(x, 3));
        Assert.Throws<IndexOutOfRangeException>(() => InvariantReads.ReadsIndexKGradient(x, 3, g));
        Assert.Throws<IndexOutOfRangeException>(() => InvariantReads.ReadsIndexKJvp(x, 3, x, out _));
        Assert.Throws<IndexOutOfRangeException>(() => InvariantReads.ReadsIndexKHvp(x, 3, x, g));

        // No iteration, no read: the same k is fine for an empty array.
        Assert.Equal(0.0, InvariantReads.ReadsIndexKGradient([], 3, []));
        Assert.Equal(0.0, InvariantReads.ReadsIndexKJvp([], 3, [], out double tangent));
        Assert.Equal(0.0, tangent);
        Assert.Equal(0.0, InvariantReads.ReadsIndexKHvp([], 3, [], []));
    }
}
