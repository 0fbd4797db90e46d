using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// A value the primal overwrites is taped only when the reverse sweep reads it once restored: a
/// running sum's old values are never read (the adjoint of a sum does not depend on it), a running
/// product's are. The numbers of both shapes are checked in AutoDiffGen.Tests.
/// </summary>
public sealed class DeadRestoreTests
{
    private const string Source = """
        using System;
        using AutoDiffGen;

        namespace Restores;

        public static partial class Fns
        {
            [Differentiable]
            public static double SumOfExp(double[] v, double m)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    s += Math.Exp(v[i] - m);
                }

                return Math.Log(s) * s;
            }

            [Differentiable]
            public static double Product(double[] v)
            {
                double p = 1;
                for (int i = 0; i < v.Length; i++)
                {
                    p *= v[i];
                }

                return p;
            }
        }
        """;

    [Fact]
    public void ARunningSumIsNotTaped_ARunningProductIs()
    {
        var run = GeneratorHarness.Run(Source);
        run.AssertCompilesCleanly();
        var sum = run.Source("Fns.SumOfExp");
        Assert.DoesNotContain("tape.Push(s)", sum);
        Assert.DoesNotContain("s = tape.PopDouble()", sum);
        // Nothing else needs the tape either: the reverse sweep recomputes each exponential.
        Assert.DoesNotContain("AdTape", sum);

        var product = run.Source("Fns.Product");
        Assert.Contains("tape.Push(p)", product);
        Assert.Contains("p = tape.PopDouble()", product);
    }
}
