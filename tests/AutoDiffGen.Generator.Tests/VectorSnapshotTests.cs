using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Snapshot tests of the companions of vector-valued methods (MJvp, MVjp, MJacobian), as
/// <see cref="SnapshotTests"/> does for methods returning double: the generated code compiles
/// without errors or warnings and equals Snapshots/&lt;TestName&gt;.verified.cs.
/// </summary>
public sealed class VectorSnapshotTests
{
    private const string Prelude = """
        using System;
        using AutoDiffGen;

        namespace Snap;

        """;

    /// <summary>Wraps members in <c>public static partial class Vec</c>, generates, returns the file of Vec.<paramref name="method"/>.</summary>
    private static string Generate(string members, string method)
    {
        var run = GeneratorHarness.Run(Prelude + "public static partial class Vec\n{\n" + members + "\n}\n");
        run.AssertCompilesCleanly();
        return run.Source("Vec." + method);
    }

    [Fact]
    public void VectorScalars() => Snapshot.Verify(Generate("""
        /// <summary>Polar to Cartesian coordinates, and the squared radius.</summary>
        [Differentiable]
        public static void VectorScalars(double r, double t, Span<double> result)
        {
            result[0] = r * Math.Cos(t);
            result[1] = r * Math.Sin(t);
            result[2] = r * r;
        }
        """, "VectorScalars"));

    [Fact]
    public void VectorLoops() => Snapshot.Verify(Generate("""
        /// <summary>
        /// Scaled exponentials normalised in place: array, [NoDerivative] and int parameters, a
        /// local array, loops bounded by result.Length, the result read after it is written.
        /// </summary>
        [Differentiable]
        public static void VectorLoops(double[] x, [NoDerivative] double[] w, int shift, Span<double> result)
        {
            double[] e = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                e[i] = Math.Exp(w[i] * x[i]);
            }

            double sum = 0.0;
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = e[(i + shift) % e.Length];
                sum += result[i];
            }

            for (int i = 0; i < result.Length; i++)
            {
                result[i] /= sum;
            }
        }
        """, "VectorLoops"));

    [Fact]
    public void VectorEarlyReturnAndCall() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double Norm2(ReadOnlySpan<double> v)
        {
            double s = 0.0;
            foreach (double e in v)
            {
                s += e * e;
            }

            return s;
        }

        /// <summary>
        /// Adds to the initial contents of the result, an early return, and a call of a scalar
        /// [Differentiable] method with the result span as its argument.
        /// </summary>
        [Differentiable]
        public static void VectorEarlyReturnAndCall(double a, ReadOnlySpan<double> x, Span<double> result)
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] += a * x[i];
            }

            if (a < 0.0)
            {
                return;
            }

            double n = Norm2(result);
            result[0] = n;
        }
        """, "VectorEarlyReturnAndCall"));
}
