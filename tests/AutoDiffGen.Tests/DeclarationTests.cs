using System;
using Xunit;
using static System.Math;
using static AutoDiffGen.Tests.NumericalChecks;

namespace AutoDiffGen.Tests
{
    /// <summary>Where a [Differentiable] method may live, and how it may be declared.</summary>
    public static partial class Declarations
    {
        /// <summary>Math functions through 'using static System.Math', int-valued Math, int ?:, Clamp.</summary>
        [Differentiable]
        public static double UsingStaticMath(double x, double y)
        {
            int k = x > y ? 1 : 2;
            int m = Max(k, 2) + Abs(-k) + Min(k, 0) + Sign(y);
            return (Sin(x) * Exp(-(y * y))) + (PI * m * x) + Clamp(x * y, -0.5, 0.5) + Pow(x, 3);
        }

        /// <summary>Overloads: each gets its own companions.</summary>
        [Differentiable]
        public static double Overloaded(double x) => x * x * x;

        [Differentiable]
        public static double Overloaded(double[] x) => Overloaded(x[0]) + (x[1] * x[0]);

        /// <summary>Internal accessibility.</summary>
        [Differentiable]
        internal static double InternalMethod(double x) => Cos(x) * x;

        /// <summary>A result that does not depend on the differentiable parameter.</summary>
        [Differentiable]
        public static double Constant(double x, [NoDerivative] double c) => c * 3.0;

        /// <summary>No differentiable parameter at all: the companions have no derivative slots.</summary>
        [Differentiable]
        public static double NothingToDifferentiate([NoDerivative] double a, int n) => a * n;

        /// <summary>A span parameter passed on to a span parameter of a callee.</summary>
        [Differentiable]
        public static double SpanPassedOn(ReadOnlySpan<double> x, double s, [NoDerivative] double[] w) => (s * CallHelpers.Dot(x, x)) + CallHelpers.WeightedNorm(x, w, 2);

        public static partial class Nested
        {
            /// <summary>A method of a nested partial type, calling a method of its container.</summary>
            [Differentiable]
            public static double InNestedType(double x, double y) => Overloaded(x * y) + InternalMethod(y);
        }
    }

    public partial struct PartialStruct
    {
        [Differentiable]
        public static double InStruct(double x) => Log(1 + (x * x));
    }
}

namespace AutoDiffGen.Tests.Other
{
    /// <summary>A caller in another namespace.</summary>
    public static partial class OtherNamespace
    {
        [Differentiable]
        public static double CallsAcrossNamespaces(double x, double y) => Declarations.Nested.InNestedType(x, y) * PartialStruct.InStruct(x);
    }
}

namespace AutoDiffGen.Tests
{
    public class DeclarationTests
    {
        [Fact]
        public void UsingStaticMath() => CheckFunction(
            1101,
            r => [r.Uniform(-1.5, 1.5), r.Uniform(-1.5, 1.5)],
            z => Declarations.UsingStaticMath(z[0], z[1]),
            (z, g) => Declarations.UsingStaticMathGradient(z[0], z[1], out g[0], out g[1]),
            (double[] z, double[] d, out double t) => Declarations.UsingStaticMathJvp(z[0], z[1], d[0], d[1], out t),
            (z, d, g) => Declarations.UsingStaticMathHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]),
            points: 12);

        [Fact]
        public void Overloads()
        {
            CheckFunction(
                1102,
                r => [r.Uniform(-1.5, 1.5)],
                z => Declarations.Overloaded(z[0]),
                (z, g) => Declarations.OverloadedGradient(z[0], out g[0]),
                (double[] z, double[] d, out double t) => Declarations.OverloadedJvp(z[0], d[0], out t),
                (z, d, g) => Declarations.OverloadedHvp(z[0], d[0], out g[0]));
            CheckFunction(
                1103,
                r => r.Uniform(2, -1.5, 1.5),
                z => Declarations.Overloaded(z),
                (z, g) => Declarations.OverloadedGradient(z, g),
                (double[] z, double[] d, out double t) => Declarations.OverloadedJvp(z, d, out t),
                (z, d, g) => Declarations.OverloadedHvp(z, d, g));
        }

        [Fact]
        public void InternalMethod() => CheckFunction(
            1104,
            r => [r.Uniform(-3.0, 3.0)],
            z => Declarations.InternalMethod(z[0]),
            (z, g) => Declarations.InternalMethodGradient(z[0], out g[0]),
            (double[] z, double[] d, out double t) => Declarations.InternalMethodJvp(z[0], d[0], out t),
            (z, d, g) => Declarations.InternalMethodHvp(z[0], d[0], out g[0]));

        [Fact]
        public void ConstantAndNothingToDifferentiate()
        {
            Assert.Equal(6.0, Declarations.ConstantGradient(1.5, 2.0, out double g));
            Assert.Equal(0.0, g);
            Assert.Equal(6.0, Declarations.ConstantJvp(1.5, 2.0, 1.0, out double t));
            Assert.Equal(0.0, t);

            Assert.Equal(7.5, Declarations.NothingToDifferentiateGradient(2.5, 3));
            Assert.Equal(7.5, Declarations.NothingToDifferentiateJvp(2.5, 3, out t));
            Assert.Equal(0.0, t);
        }

        [Fact]
        public void SpanPassedOn()
        {
            double[] w = [1.0, 2.0, 3.0];
            CheckFunction(
                1105,
                r => r.Uniform(4, -1.5, 1.5),
                z => Declarations.SpanPassedOn(z.AsSpan(0, 3), z[3], w),
                (z, g) => Declarations.SpanPassedOnGradient(z.AsSpan(0, 3), z[3], w, g.AsSpan(0, 3), out g[3]),
                (double[] z, double[] d, out double t) => Declarations.SpanPassedOnJvp(z.AsSpan(0, 3), z[3], w, d.AsSpan(0, 3), d[3], out t),
                (z, d, g) => Declarations.SpanPassedOnHvp(z.AsSpan(0, 3), z[3], w, d.AsSpan(0, 3), d[3], g.AsSpan(0, 3), out g[3]));
        }

        [Fact]
        public void NestedTypeStructAndOtherNamespace()
        {
            CheckFunction(
                1106,
                r => [r.Uniform(-1.5, 1.5), r.Uniform(-1.5, 1.5)],
                z => Declarations.Nested.InNestedType(z[0], z[1]),
                (z, g) => Declarations.Nested.InNestedTypeGradient(z[0], z[1], out g[0], out g[1]),
                (double[] z, double[] d, out double t) => Declarations.Nested.InNestedTypeJvp(z[0], z[1], d[0], d[1], out t),
                (z, d, g) => Declarations.Nested.InNestedTypeHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));
            CheckFunction(
                1107,
                r => [r.Uniform(-1.5, 1.5), r.Uniform(-1.5, 1.5)],
                z => Other.OtherNamespace.CallsAcrossNamespaces(z[0], z[1]),
                (z, g) => Other.OtherNamespace.CallsAcrossNamespacesGradient(z[0], z[1], out g[0], out g[1]),
                (double[] z, double[] d, out double t) => Other.OtherNamespace.CallsAcrossNamespacesJvp(z[0], z[1], d[0], d[1], out t),
                (z, d, g) => Other.OtherNamespace.CallsAcrossNamespacesHvp(z[0], z[1], d[0], d[1], out g[0], out g[1]));
        }
    }
}
