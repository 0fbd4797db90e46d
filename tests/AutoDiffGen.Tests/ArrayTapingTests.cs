using System;
using Xunit;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests;

/// <summary>
/// Local arrays reused across loop iterations: the reverse sweep must see each element's value as
/// it was when read, whether the generator tapes an overwrite or proves it needless (a fill loop
/// over the whole array, then accumulations, as in the GMM objective).
/// </summary>
public static partial class ArrayReuse
{
    /// <summary>Fill loop, accumulations, a nonlinear read; the array reused in every outer iteration.</summary>
    [Differentiable]
    public static double FillThenAccumulate(double[] x, int n)
    {
        double[] a = new double[n];
        double total = 0;
        for (int k = 0; k < 3; k++)
        {
            for (int j = 0; j < n; j++)
            {
                a[j] = x[j] * (k + 1);
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    a[j] += x[i] * x[j];
                }
            }

            for (int j = 0; j < n; j++)
            {
                total += a[j] * a[j] * x[(j + k) % n];
            }
        }

        return total;
    }

    /// <summary>A partial overwrite after a nonlinear read: no fill loop, so every write is taped.</summary>
    [Differentiable]
    public static double PartialOverwrite(double[] x)
    {
        int n = x.Length;
        double[] a = new double[n];
        for (int j = 0; j < n; j++)
        {
            a[j] = Math.Sin(x[j]);
        }

        double s = 0;
        for (int j = 0; j < n; j++)
        {
            s += a[j] * a[j];
        }

        a[0] += x[1];
        a[n - 1] = a[0] * x[0];
        for (int j = 0; j < n; j++)
        {
            s += a[j] * a[(j + 1) % n];
        }

        return s;
    }

    /// <summary>The loop covers only part of the array, so it is not a fill: later writes stay taped.</summary>
    [Differentiable]
    public static double ShortLoopIsNotAFill(double[] x, int m)
    {
        int n = x.Length;
        double[] a = new double[n];
        double s = 0;
        for (int k = 0; k < 2; k++)
        {
            for (int j = 0; j < m; j++)
            {
                a[j] = x[j] + k;
            }

            a[n - 1] += x[0];
            for (int j = 0; j < n; j++)
            {
                s += a[j] * a[j] * x[j];
            }
        }

        return s;
    }

    /// <summary>A conditional store inside the loop is not a fill either.</summary>
    [Differentiable]
    public static double ConditionalStoreIsNotAFill(double[] x)
    {
        int n = x.Length;
        double[] a = new double[n];
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            for (int j = 0; j < n; j++)
            {
                if ((j + k) % 2 == 0)
                {
                    a[j] = x[j] * x[j];
                }
            }

            for (int j = 0; j < n; j++)
            {
                a[j] += x[(j + 1) % n];
                s += a[j] * a[j];
            }
        }

        return s;
    }
}

public sealed class ArrayTapingTests
{
    [Fact]
    public void FillThenAccumulate() => CheckFunction(
        801,
        r => r.Uniform(5, -1.2, 1.2),
        z => ArrayReuse.FillThenAccumulate(z, 5),
        (z, g) => ArrayReuse.FillThenAccumulateGradient(z, 5, g),
        (double[] z, double[] d, out double t) => ArrayReuse.FillThenAccumulateJvp(z, 5, d, out t),
        (z, d, g) => ArrayReuse.FillThenAccumulateHvp(z, 5, d, g));

    [Fact]
    public void PartialOverwrite() => CheckFunction(
        802,
        r => r.Uniform(6, -1.2, 1.2),
        z => ArrayReuse.PartialOverwrite(z),
        (z, g) => ArrayReuse.PartialOverwriteGradient(z, g),
        (double[] z, double[] d, out double t) => ArrayReuse.PartialOverwriteJvp(z, d, out t),
        (z, d, g) => ArrayReuse.PartialOverwriteHvp(z, d, g));

    [Fact]
    public void ShortLoopIsNotAFill() => CheckFunction(
        803,
        r => r.Uniform(6, -1.2, 1.2),
        z => ArrayReuse.ShortLoopIsNotAFill(z, 4),
        (z, g) => ArrayReuse.ShortLoopIsNotAFillGradient(z, 4, g),
        (double[] z, double[] d, out double t) => ArrayReuse.ShortLoopIsNotAFillJvp(z, 4, d, out t),
        (z, d, g) => ArrayReuse.ShortLoopIsNotAFillHvp(z, 4, d, g));

    [Fact]
    public void ConditionalStoreIsNotAFill() => CheckFunction(
        804,
        r => r.Uniform(5, -1.2, 1.2),
        z => ArrayReuse.ConditionalStoreIsNotAFill(z),
        (z, g) => ArrayReuse.ConditionalStoreIsNotAFillGradient(z, g),
        (double[] z, double[] d, out double t) => ArrayReuse.ConditionalStoreIsNotAFillJvp(z, d, out t),
        (z, d, g) => ArrayReuse.ConditionalStoreIsNotAFillHvp(z, d, g));
}
