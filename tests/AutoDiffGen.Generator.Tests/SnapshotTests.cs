using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Snapshot tests of the generated companions for a representative set of methods. Each test
/// compiles one small source, checks that the generated code compiles without errors or warnings,
/// and compares the generated file with Snapshots/&lt;TestName&gt;.verified.cs.
/// Keep the inputs stable: the verified files are re-accepted whenever the generator's output changes.
/// </summary>
public sealed class SnapshotTests
{
    private const string Prelude = """
        using System;
        using AutoDiffGen;

        namespace Snap;

        """;

    /// <summary>Wraps members in <c>public static partial class Fns</c>, generates, verifies the file of Fns.<paramref name="method"/>.</summary>
    private static string Generate(string members, string method, params string[] otherSources)
    {
        var source = Prelude + "public static partial class Fns\n{\n" + members + "\n}\n";
        var run = GeneratorHarness.Run([source, .. otherSources]);
        run.AssertCompilesCleanly();
        return run.Source("Fns." + method);
    }

    [Fact]
    public void StraightLine() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double StraightLine(double x, double y)
        {
            double a = x * y;
            double b = a + 3.0 * x - y / 2.0;
            double c = -b * a;
            c -= x;
            c *= 2.0;
            return c / (1.0 + x * x);
        }
        """, "StraightLine"));

    [Fact]
    public void ExpressionBody() => Snapshot.Verify(Generate("""
        [Differentiable]
        internal static double ExpressionBody(double x, double y) => x * x * y - 1.0;
        """, "ExpressionBody"));

    [Fact]
    public void Trigonometric() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double Trigonometric(double x, double y) =>
            Math.Sin(x) * Math.Cos(y) + Math.Tan(x * y)
            + Math.Asin(x / 4.0) + Math.Acos(y / 4.0) + Math.Atan(x) + Math.Atan2(y, x);
        """, "Trigonometric"));

    [Fact]
    public void Hyperbolic() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double Hyperbolic(double x)
        {
            return Math.Sinh(x) + Math.Cosh(x) * Math.Tanh(x)
                + Math.Asinh(x) + Math.Acosh(1.0 + x * x) + Math.Atanh(x / 2.0);
        }
        """, "Hyperbolic"));

    [Fact]
    public void ExpLog() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double ExpLog(double x, double y)
        {
            double e = Math.Exp(-x * y);
            return e + Math.Log(x) + Math.Log(x, y) + Math.Log10(y) + Math.Log2(x * y);
        }
        """, "ExpLog"));

    [Fact]
    public void PowSqrtCbrt() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double PowSqrtCbrt(double x, double y)
        {
            double p = Math.Pow(x, y) + Math.Pow(x, 2.0) + Math.Pow(y, 3.5);
            double r = Math.Sqrt(x * x + y * y) + Math.Cbrt(y);
            return p + r + double.Hypot(x, y) + Math.FusedMultiplyAdd(x, y, r);
        }
        """, "PowSqrtCbrt"));

    [Fact]
    public void Piecewise() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double Piecewise(double x, double y)
        {
            double a = Math.Abs(x - y) + Math.Max(x, y) - Math.Min(x, 2.0 * y);
            double b = Math.Floor(x) + Math.Ceiling(y) + Math.Round(x * y) + Math.Truncate(y);
            int s = Math.Sign(x);
            return a * b + s * Math.PI * x + Math.E * Math.Clamp(y, -1.0, 1.0);
        }
        """, "Piecewise"));

    [Fact]
    public void IfElseChain() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double IfElseChain(double x, double y)
        {
            double r;
            if (x > y)
            {
                r = x * x;
            }
            else if (x < 0.0 && !(y < 0.0))
            {
                r = Math.Sin(y) * x;
            }
            else
            {
                r = y;
                r *= 3.0;
            }

            return r + x;
        }
        """, "IfElseChain"));

    [Fact]
    public void ConditionalOperator() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double ConditionalOperator(double x, double y)
        {
            double m = x > y ? x * y : y - x;
            return m * (x >= 0.0 ? x : -x);
        }
        """, "ConditionalOperator"));

    [Fact]
    public void EarlyReturn() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double EarlyReturn(double x, double y)
        {
            if (x < 0.0)
            {
                return -x * y;
            }

            double z = x * y;
            if (z > 10.0)
            {
                return Math.Log(z);
            }

            return z * z;
        }
        """, "EarlyReturn"));

    [Fact]
    public void ForLoop() => Snapshot.Verify(Generate("""
        /// <summary>Horner's rule: a variable overwritten in a loop.</summary>
        [Differentiable]
        public static double ForLoop([NoDerivative] double[] coefficients, double x)
        {
            double p = 0.0;
            for (int i = coefficients.Length - 1; i >= 0; i--)
            {
                p = p * x + coefficients[i];
            }

            return p;
        }
        """, "ForLoop"));

    [Fact]
    public void WhileLoop() => Snapshot.Verify(Generate("""
        /// <summary>Newton's iteration for the square root: a data-dependent trip count.</summary>
        [Differentiable]
        public static double WhileLoop(double a)
        {
            double r = a > 1.0 ? a : 1.0;
            int steps = 0;
            while (Math.Abs(r * r - a) > 1e-12 * a && steps < 100)
            {
                r = 0.5 * (r + a / r);
                steps++;
            }

            return r;
        }
        """, "WhileLoop"));

    [Fact]
    public void DoWhileLoop() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double DoWhileLoop(double x, int n)
        {
            double acc = 1.0;
            int k = 0;
            do
            {
                acc = acc * x + 1.0;
                k += 1;
            }
            while (k < n);
            return acc;
        }
        """, "DoWhileLoop"));

    [Fact]
    public void ForEachLoop() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double ForEachLoop(double[] x, ReadOnlySpan<double> w)
        {
            double sum = 0.0;
            foreach (double v in x)
            {
                sum += v * v;
            }

            foreach (double u in w)
            {
                sum += Math.Exp(u);
            }

            return sum;
        }
        """, "ForEachLoop"));

    [Fact]
    public void NestedLoops() => Snapshot.Verify(Generate("""
        /// <summary>The quadratic form x^T A x with A stored row-major.</summary>
        [Differentiable]
        public static double NestedLoops(double[] x, [NoDerivative] double[] a)
        {
            int n = x.Length;
            double total = 0.0;
            for (int i = 0; i < n; i++)
            {
                double row = 0.0;
                for (int j = 0; j < n; j++)
                {
                    row += a[i * n + j] * x[j];
                }

                total += x[i] * row;
            }

            return total;
        }
        """, "NestedLoops"));

    [Fact]
    public void LoopBreak() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double LoopBreak(double[] x, double limit)
        {
            double sum = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                if (sum > limit)
                {
                    break;
                }

                sum += x[i] * x[i];
            }

            return sum * limit;
        }
        """, "LoopBreak"));

    [Fact]
    public void LoopContinue() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double LoopContinue(double[] x)
        {
            double product = 1.0;
            int i = 0;
            while (i < x.Length)
            {
                i++;
                if (x[i - 1] < 0.0)
                {
                    continue;
                }

                product *= x[i - 1];
            }

            return product;
        }
        """, "LoopContinue"));

    [Fact]
    public void ForLoopContinue() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double ForLoopContinue(double[] x, double s)
        {
            double acc = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] < 0.0)
                {
                    continue;
                }

                acc += x[i] * s;
            }

            return acc;
        }
        """, "ForLoopContinue"));

    [Fact]
    public void LocalArray() => Snapshot.Verify(Generate("""
        /// <summary>Prefix sums in a local array, then a weighted read-back.</summary>
        [Differentiable]
        public static double LocalArray(double[] x)
        {
            int n = x.Length;
            double[] prefix = new double[n];
            prefix[0] = x[0];
            for (int i = 1; i < n; i++)
            {
                prefix[i] = prefix[i - 1] + x[i];
            }

            double[] w = { 1.0, 2.0 };
            prefix[n - 1] *= w[1];
            double s = 0.0;
            for (int i = 0; i < n; i++)
            {
                s += prefix[i] * prefix[i] * w[0];
            }

            return s;
        }
        """, "LocalArray"));

    [Fact]
    public void LocalArrayInLoop() => Snapshot.Verify(Generate("""
        /// <summary>A local array re-created on every pass of a loop.</summary>
        [Differentiable]
        public static double LocalArrayInLoop(double[] x, int rounds)
        {
            double acc = 0.0;
            for (int r = 0; r < rounds; r++)
            {
                double[] tmp = new double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    tmp[i] = Math.Sin(x[i] + acc);
                }

                acc += tmp[r % x.Length] * tmp[0];
            }

            return acc;
        }
        """, "LocalArrayInLoop"));

    [Fact]
    public void CallSameType() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double Weighted(double[] x, [NoDerivative] ReadOnlySpan<double> w, double scale, [NoDerivative] double shift, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
            {
                s += w[i] * x[i];
            }

            return scale * s + shift;
        }

        [Differentiable]
        public static double CallSameType(double[] x, double t)
        {
            double[] w = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                w[i] = i + 1;
            }

            double a = Weighted(x, w, t * t, 0.5, x.Length);
            return a * Weighted(x, w, 1.0, t, 2) + t;
        }
        """, "CallSameType"));

    [Fact]
    public void CallOtherType() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double CallOtherType(double x, double y, double[] v)
        {
            double n = Other.Helpers.Norm2(v, 1);
            return Other.Helpers.Blend(x, y, 0.25) * n;
        }
        """, "CallOtherType", """
        using System;
        using AutoDiffGen;

        namespace Other;

        public static partial class Helpers
        {
            [Differentiable]
            public static double Blend(double a, double b, [NoDerivative] double weight) => weight * a + (1.0 - weight) * Math.Sin(b);

            [Differentiable]
            public static double Norm2(ReadOnlySpan<double> v, int from)
            {
                double s = 0.0;
                for (int i = from; i < v.Length; i++)
                {
                    s += v[i] * v[i];
                }

                return s;
            }
        }
        """));

    /// <summary>
    /// A sum loop run fused with its reverse (one pass, the seed given to the sum before the loop),
    /// whose iterations tape an overwritten local array: the tape is reserved for one iteration's
    /// pushes before the loop.
    /// </summary>
    [Fact]
    public void FusedSumLoop() => Snapshot.Verify(Generate("""
        [Differentiable]
        public static double FusedSumLoop(double[] x, int m)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double[] buf = new double[m];
                for (int j = 0; j < m; j++)
                {
                    buf[j] = x[i] * j;
                }

                for (int j = 0; j < m; j++)
                {
                    buf[j] = Math.Sin(buf[j]);
                }

                for (int j = 0; j < m; j++)
                {
                    s += buf[j] * buf[j];
                }
            }

            return 2.0 * s - x[0];
        }
        """, "FusedSumLoop"));

    /// <summary>
    /// Array expansion: inside a sum over points (fused with its reverse), the loop over components
    /// refills the work array each iteration; it gets one slice per component, so the fill tapes
    /// nothing and the reverse sweep rebinds the slice instead of popping.
    /// </summary>
    [Fact]
    public void ExpandedWorkArray() => Snapshot.Verify(Generate(ArrayExpansionTests.SumOverPoints, "SumOverPoints"));
}

