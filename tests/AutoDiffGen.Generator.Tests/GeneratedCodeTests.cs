using System;
using System.IO;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Regression tests that compile the generated companions in memory, load them and run them:
/// gradients against central finite differences (relative 1e-6) and JVPs against the gradient
/// (relative 1e-10). Each function is the shape of a generator bug found while writing the
/// generator tests.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const string Source = """
        using System;
        using AutoDiffGen;

        namespace Reg;

        public static partial class Fns
        {
            /// <summary>c is assigned once and read once in the text, but the read runs n times.</summary>
            [Differentiable]
            public static double UseInLoop(double x, int n)
            {
                double c = x * 2.0;
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    s += c;
                }

                return s;
            }

            /// <summary>A loop-body value read once inside a nested loop.</summary>
            [Differentiable]
            public static double UseInNestedLoop(double x, double y, int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    double c = Math.Sin(x * (i + 1));
                    int k = 0;
                    while (k < 3)
                    {
                        s += c * y;
                        k++;
                    }
                }

                return s;
            }

            /// <summary>A single read inside a do loop and a read in a loop condition.</summary>
            [Differentiable]
            public static double UseInDoLoopAndCondition(double x)
            {
                double limit = x * x + 1.0;
                double step = Math.Exp(-x);
                double s = 0.0;
                int guard = 0;
                do
                {
                    s += step;
                    guard++;
                }
                while (s < limit && guard < 50);
                return s;
            }

            /// <summary>
            /// continue in for loops (the step must still run; the JVP once looped forever, so a
            /// guard bounds the loops here and a wrong trip count shows as a wrong value).
            /// </summary>
            [Differentiable]
            public static double ContinueInForLoops(double x, double y, int n)
            {
                double acc = 0.0;
                int guard = 0;
                for (int i = 0; i < n && guard < 1000; i++)
                {
                    guard++;
                    if (i == 1)
                    {
                        continue;
                    }

                    for (int j = i; j < n && guard < 1000; j += 1)
                    {
                        guard++;
                        if (j == i + 2)
                        {
                            continue;
                        }

                        if (j > i + 3)
                        {
                            break;
                        }

                        acc += Math.Sin(x * (i + 1)) * y * j;
                    }
                }

                return acc + guard;
            }

            /// <summary>x++ on a double (its tangent update once printed as a self-assignment).</summary>
            [Differentiable]
            public static double DoubleIncrement(double x)
            {
                double y = x * x;
                y++;
                y--;
                y++;
                return y * x;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(Source);
        run.AssertCompilesCleanly();
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(stream.ToArray()).GetType("Reg.Fns")!;
    });

    private static double Call(string name, params object[] args) =>
        (double)Compiled.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;

    /// <summary>Returns the value and the gradient outputs (the trailing out parameters).</summary>
    private static (double Value, double[] Gradient) Gradient(string name, object[] args, int outputs)
    {
        var all = args.Concat(Enumerable.Repeat<object?>(null, outputs)).ToArray();
        double value = (double)Compiled.Value.GetMethod(name + "Gradient")!.Invoke(null, all)!;
        return (value, all.Skip(args.Length).Select(o => (double)o!).ToArray());
    }

    private static void AssertDerivatives(string name, object[] args, int[] doubleArgs)
    {
        var (value, gradient) = Gradient(name, args, doubleArgs.Length);
        Assert.Equal(Call(name, args), value, 12);

        const double h = 1e-6;
        for (int k = 0; k < doubleArgs.Length; k++)
        {
            var plus = (object[])args.Clone();
            var minus = (object[])args.Clone();
            plus[doubleArgs[k]] = (double)args[doubleArgs[k]] + h;
            minus[doubleArgs[k]] = (double)args[doubleArgs[k]] - h;
            double fd = (Call(name, plus) - Call(name, minus)) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[k]) <= 1e-6 * Math.Max(1.0, Math.Abs(fd)), $"{name}: d/d(arg {doubleArgs[k]}) = {gradient[k]}, central difference {fd}");
        }

        // JVP along a fixed direction equals <gradient, direction>.
        var direction = doubleArgs.Select((_, k) => 0.3 + (0.5 * k)).ToArray();
        var jvpArgs = args.Cast<object?>().Concat(direction.Cast<object?>()).Append(null).ToArray();
        double jvpValue = (double)Compiled.Value.GetMethod(name + "Jvp")!.Invoke(null, jvpArgs)!;
        double tangent = (double)jvpArgs[^1]!;
        double expected = gradient.Zip(direction, (g, d) => g * d).Sum();
        Assert.Equal(value, jvpValue, 12);
        Assert.True(Math.Abs(expected - tangent) <= 1e-10 * Math.Max(1.0, Math.Abs(expected)), $"{name}: JVP {tangent}, <gradient, direction> {expected}");
    }

    [Theory]
    [InlineData(1.5, 5)]
    [InlineData(-0.7, 1)]
    [InlineData(2.0, 0)]
    public void AValueReadOnceInsideALoopAccumulatesItsAdjoint(double x, int n)
    {
        AssertDerivatives("UseInLoop", [x, n], [0]);
        var (_, gradient) = Gradient("UseInLoop", [x, n], 1);
        Assert.Equal(2.0 * n, gradient[0], 12);
    }

    [Fact]
    public void AValueReadOnceInsideANestedLoopAccumulatesItsAdjoint() =>
        AssertDerivatives("UseInNestedLoop", [0.4, 1.3, 4], [0, 1]);

    [Theory]
    [InlineData(0.2)]
    [InlineData(1.1)]
    public void ReadsInDoLoopsAndConditions(double x) =>
        AssertDerivatives("UseInDoLoopAndCondition", [x], [0]);

    [Fact]
    public void ContinueInForLoopsRunsTheStep() =>
        AssertDerivatives("ContinueInForLoops", [0.6, 1.4, 7], [0, 1]);

    [Fact]
    public void IncrementOfADouble() => AssertDerivatives("DoubleIncrement", [1.7], [0]);
}
