using System.Linq;
using System.Text.RegularExpressions;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Where the adjoint transform expands a work array (one slice per loop iteration) and where it
/// must not. The numbers are checked in AutoDiffGen.Tests (ArrayExpansionTests); these tests pin
/// the decision itself, so a change that silently falls back to taping is caught.
/// </summary>
public sealed class ArrayExpansionTests
{
    private const string Prelude = """
        using System;
        using AutoDiffGen;

        namespace Expand;

        public static partial class Fns
        {
        """;

    private static string Generate(string method, string body)
    {
        var run = GeneratorHarness.Run(Prelude + body + "\n}\n");
        run.AssertCompilesCleanly();
        return run.Source("Fns." + method);
    }

    /// <summary>The text of companion <paramref name="companion"/> (from its signature to the next companion's docs).</summary>
    private static string Companion(string source, string companion)
    {
        int start = source.IndexOf(" " + companion + "(", System.StringComparison.Ordinal);
        Assert.True(start >= 0, companion + " not generated");
        int end = source.IndexOf("/// <summary>", start, System.StringComparison.Ordinal);
        return end < 0 ? source[start..] : source[start..end];
    }

    /// <summary>The GMM shape: also the input of the ExpandedWorkArray snapshot.</summary>
    internal const string SumOverPoints = """
            [Differentiable]
            public static double SumOverPoints(double[] centers, [NoDerivative] double[] points, int d, int k)
            {
                int n = points.Length / d;
                double[] diff = new double[d];
                double total = 0;
                for (int p = 0; p < n; p++)
                {
                    double s = 0;
                    for (int c = 0; c < k; c++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            diff[j] = points[p * d + j] - centers[c * d + j];
                        }

                        double sq = 0;
                        for (int j = 0; j < d; j++)
                        {
                            sq += diff[j] * diff[j];
                        }

                        s += Math.Exp(-sq);
                    }

                    total += Math.Log(s);
                }

                return total;
            }
        """;

    [Fact]
    public void InsideAFusedSum_TheWorkArrayGetsASlicePerIteration_AndTheFillTapesNothing()
    {
        var source = Generate("SumOverPoints", SumOverPoints);
        foreach (var companion in new[] { "SumOverPointsGradient", "SumOverPointsPullback", "SumOverPointsHvp" })
        {
            var text = Companion(source, companion);
            Assert.Contains("diff_all = arena.Allocate(global::System.Math.Max(0, k) * d);", text);
            // Bound in the forward sweep and again in the reverse sweep, per iteration over c.
            Assert.Equal(2, Regex.Matches(text, @"diff = diff_all\.Slice\(c \* d, d\);").Count);
            Assert.DoesNotContain("tape.Push(diff[", text);
            Assert.DoesNotContain("diff[j] = tape.PopDouble()", text);
        }

        // The second-order code slices the tangent storage alongside.
        Assert.Contains("diff_dot = diff_all_dot.Slice(c * d, d);", Companion(source, "SumOverPointsHvp"));
    }

    [Fact]
    public void ATopLevelLoopThatIsNotASum_IsExpandedOverItsOwnIterations()
    {
        var source = Generate("Product", """
                [Differentiable]
                public static double Product(double[] x, int d)
                {
                    int m = x.Length / d;
                    double[] w = new double[d];
                    double p = 1;
                    for (int r = 0; r < m; r++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            w[j] = Math.Sin(x[r * d + j]) * p;
                        }

                        double s = 0;
                        for (int j = 0; j < d; j++)
                        {
                            s += w[j] * w[j];
                        }

                        p *= 1 + s;
                    }

                    return p;
                }
            """);
        var gradient = Companion(source, "ProductGradient");
        Assert.Contains("w = w_all.Slice(r * d, d);", gradient);
        Assert.DoesNotContain("tape.Push(w[", gradient);
    }

    [Fact]
    public void ReadAfterTheLoop_OrRunSeveralTimesBeforeItsReverse_TheArrayIsTapedInstead()
    {
        var source = Generate("ReadAfter", """
                [Differentiable]
                public static double ReadAfter(double[] x, int d)
                {
                    int m = x.Length / d;
                    double[] w = new double[d];
                    double p = 1;
                    for (int r = 0; r < m; r++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            w[j] = Math.Sin(x[r * d + j] * p);
                        }

                        double s = 0;
                        for (int j = 0; j < d; j++)
                        {
                            s += w[j] * w[j];
                        }

                        p *= 1 + s;
                    }

                    return p * w[0];
                }
            """);
        var gradient = Companion(source, "ReadAfterGradient");
        Assert.DoesNotContain("w_all", gradient);
        Assert.Contains("tape.Push(w[", gradient);

        var run = GeneratorHarness.Run(Prelude + """
                [Differentiable]
                public static double NestedInProduct(double[] x, [NoDerivative] double[] data, int d, int k)
                {
                    int n = data.Length / d;
                    double[] w = new double[d];
                    double p = 1;
                    for (int i = 0; i < n; i++)
                    {
                        for (int c = 0; c < k; c++)
                        {
                            for (int j = 0; j < d; j++)
                            {
                                w[j] = data[i * d + j] * x[c * d + j];
                            }

                            double s = 0;
                            for (int j = 0; j < d; j++)
                            {
                                s += w[j] * w[j] * p;
                            }

                            p *= 1 + 0.1 * s;
                        }
                    }

                    return p;
                }
            }
            """);
        run.AssertCompilesCleanly();
        var nested = Companion(run.Source("Fns.NestedInProduct"), "NestedInProductGradient");
        Assert.DoesNotContain("w_all", nested);
        Assert.Contains("tape.Push(w[", nested);
    }
}
