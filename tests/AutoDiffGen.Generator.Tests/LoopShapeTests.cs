using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Loop shapes that exercise the reverse-mode optimisations (recomputation of loop-body values,
/// inverted integer increments, element loads, single-use adjoints) and jump handling, each a
/// method <c>M(double[] x, double s)</c>: the generated gradient is compared with central finite
/// differences (relative 1e-6) and the JVP with &lt;gradient, direction&gt; (relative 1e-9) at
/// seeded random points. Generated code that loops forever fails the test after a timeout.
/// </summary>
public sealed class LoopShapeTests
{
    private static readonly string[] Bodies =
    [
        // 0: recomputable chain in a loop body
        "double acc = 0.0; for (int i = 0; i < x.Length; i++) { double a = x[i] * s; double b = a * a + i; acc += Math.Sin(b) * a; } return acc;",

        // 1: int increments (inverted in reverse) in a while loop with continue
        "double acc = 0.0; int k = 0; while (k < x.Length - 2) { k += 2; if (k % 3 == 0) { k -= 1; continue; } acc = acc * s + x[k - 1]; } return acc;",

        // 2: element loads across index changes in straight-line code
        "int i = 0; double y = x[i] * x[i]; i++; y += x[i] * x[i] * s; i += 1; y *= x[i]; return y;",

        // 3: nested loops, the inner body reads an outer loop-body value
        "double acc = 0.0; for (int i = 0; i < x.Length; i++) { double u = x[i]; for (int j = 0; j < x.Length; j++) { double v = u * x[j] * s; acc += v * v; } } return acc;",

        // 4: a parameter overwritten before and inside the loop (not stable)
        "s = s * 2.0; double acc = 0.0; for (int i = 0; i < x.Length; i++) { double a = s * x[i]; acc += a * a; s += 0.1; } return acc;",

        // 5: counted loop with stride 2, counter in a recomputed value
        "double acc = 0.0; for (int i = 0; i < x.Length; i += 2) { double a = x[i] * i * s; acc += Math.Exp(a); } return acc;",

        // 6: break after a recomputable value
        "double acc = 0.0; for (int i = 0; i < x.Length; i++) { double a = x[i] * s; if (a > 1.5) break; acc += a * a; } return acc;",

        // 7: int value computed in the loop body used as an index
        "double acc = 0.0; int n = x.Length; for (int i = 0; i < n; i++) { int j = (i * 2 + 1) % n; acc += x[j] * s * x[i]; } return acc;",

        // 8: local array re-created in a loop, read after being filled
        "double acc = 1.0; for (int r = 0; r < 3; r++) { double[] t = new double[x.Length]; for (int i = 0; i < x.Length; i++) { t[i] = x[i] * acc; } double a = t[r]; acc = acc * s + a * a; } return acc;",

        // 9: do loop with an increment
        "double acc = 0.0; int k = 0; do { double a = x[k] * s; acc += Math.Tanh(a) * x[k]; k++; } while (k < x.Length); return acc;",

        // 10: overwritten accumulator through a copy
        "double p = s; for (int i = 0; i < x.Length; i++) { p = p * x[i]; double q = p; p = q + Math.Sin(q); } return p;",

        // 11: conditional update of a running maximum
        "double best = x[0]; for (int i = 1; i < x.Length; i++) { if (x[i] * s > best) { best = x[i] * s; } } return best * best;",

        // 12: continue and break in a nested for loop
        "double acc = 0.0; for (int i = 0; i < x.Length; i++) { for (int j = i; j < x.Length; j++) { if (j == i + 2) { continue; } if (j > i + 3) { break; } acc += x[i] * x[j] * s; } } return acc;",

        // 13: early return from inside a loop
        "double acc = 0.0; for (int i = 0; i < x.Length; i++) { double a = x[i]; double b = a * s; double c = b * a; if (c > 1.0) { return acc + c; } acc += c; } return acc * s;",

        // 14: stable log-sum-exp with foreach
        "double m = x[0] * s; foreach (double v in x) { m = Math.Max(m, v * s); } double z = 0.0; foreach (double v in x) { z += Math.Exp(v * s - m); } return m + Math.Log(z);",

        // 15: a value assigned once outside a loop and read once inside it
        "double c = Math.Cos(s); double acc = 0.0; for (int i = 0; i < x.Length; i++) { acc += c * x[i]; } return acc;",
    ];

    private static readonly Lazy<Type> Compiled = new(() =>
    {
        var source = "using System;\nusing AutoDiffGen;\n\nnamespace Shapes;\n\npublic static partial class F\n{\n";
        for (int k = 0; k < Bodies.Length; k++)
        {
            source += $"    [Differentiable]\n    public static double M{k}(double[] x, double s)\n    {{\n        {Bodies[k]}\n    }}\n\n";
            source += $"    public static double[] G{k}(double[] x, double s)\n    {{\n        var g = new double[x.Length + 1];\n        M{k}Gradient(x, s, g.AsSpan(0, x.Length), out g[x.Length]);\n        return g;\n    }}\n\n";
            source += $"    public static double J{k}(double[] x, double s, double[] dx, double ds)\n    {{\n        M{k}Jvp(x, s, dx, ds, out var t);\n        return t;\n    }}\n\n";
        }

        source += "}\n";
        var run = GeneratorHarness.Run(source);
        run.AssertCompilesCleanly();
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(stream.ToArray()).GetType("Shapes.F")!;
    });

    public static TheoryData<int> Shapes => new(Enumerable.Range(0, Bodies.Length));

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task GradientMatchesCentralDifferencesAndJvpMatchesGradient(int shape)
    {
        var type = Compiled.Value;
        var check = Task.Run(() => Check(type, shape));
        var first = await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(first == check, "Shape " + shape + " did not finish: generated code loops forever?");
        await check;
    }

    private static void Check(Type type, int shape)
    {
        double Primal(double[] x, double s) => (double)type.GetMethod("M" + shape)!.Invoke(null, [x.Clone(), s])!;
        var random = new Random(1000 + shape);
        for (int trial = 0; trial < 3; trial++)
        {
            int n = 5 + trial;
            var x = Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 1.6) - 0.5).ToArray();
            double s = 0.4 + random.NextDouble();
            var g = (double[])type.GetMethod("G" + shape)!.Invoke(null, [x.Clone(), s])!;

            const double h = 1e-6;
            for (int i = 0; i <= n; i++)
            {
                double fd;
                if (i < n)
                {
                    var plus = (double[])x.Clone();
                    var minus = (double[])x.Clone();
                    plus[i] += h;
                    minus[i] -= h;
                    fd = (Primal(plus, s) - Primal(minus, s)) / (2 * h);
                }
                else
                {
                    fd = (Primal(x, s + h) - Primal(x, s - h)) / (2 * h);
                }

                Assert.True(Math.Abs(fd - g[i]) <= 1e-6 * Math.Max(1.0, Math.Abs(fd)), $"shape {shape}, trial {trial}, input {i}: gradient {g[i]}, central difference {fd}");
            }

            var dx = x.Select((_, i) => 0.1 * (i + 1)).ToArray();
            const double ds = 0.7;
            double tangent = (double)type.GetMethod("J" + shape)!.Invoke(null, [x.Clone(), s, dx, ds])!;
            double expected = dx.Select((d, i) => d * g[i]).Sum() + (ds * g[n]);
            Assert.True(Math.Abs(tangent - expected) <= 1e-9 * Math.Max(1.0, Math.Abs(expected)), $"shape {shape}, trial {trial}: JVP {tangent}, <gradient, direction> {expected}");
        }
    }
}
