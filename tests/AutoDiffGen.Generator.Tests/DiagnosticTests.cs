using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// One test per ADG diagnostic: the id and the exact location (marked <c>[|...|]</c> in the source),
/// no companions for the offending method, while a healthy method beside it still gets its
/// companions and the whole compilation (generated code included) has no compiler errors.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Prelude = """
        using System;
        using AutoDiffGen;

        namespace Diag;

        public static partial class Healthy
        {
            [Differentiable]
            public static double Square(double x) => x * x;
        }

        """;

    /// <summary>
    /// Runs the generator on <paramref name="markup"/>; asserts that exactly the marked spans get
    /// diagnostics, all with id <paramref name="id"/>, as errors, and that only Healthy.Square got companions.
    /// </summary>
    private static GeneratorRun AssertDiagnostics(string id, string markup, params string[] otherGeneratedFiles) =>
        AssertDiagnostics(markup, _ => id, otherGeneratedFiles);

    private static GeneratorRun AssertDiagnostics(string markup, Func<int, string> idOfSpan, params string[] otherGeneratedFiles)
    {
        var (source, spans) = Markup.Parse(Prelude + markup);
        Assert.NotEmpty(spans);
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.Result.Exception);

        var tree = run.Input.SyntaxTrees.Single();
        var expected = spans.Select((span, i) => Describe(idOfSpan(i), tree.GetLineSpan(span))).ToList();
        var actual = run.AdgDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => Describe(d.Id, d.Location.GetLineSpan())).ToList();
        Assert.Equal(expected, actual);

        foreach (var d in run.AdgDiagnostics)
        {
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Equal("docs/diagnostics.md#" + d.Id.ToLowerInvariant(), d.Descriptor.HelpLinkUri);
            var message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.DoesNotContain("{", message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(message));
        }

        // The offending method gets no companions; the healthy one does, and everything compiles.
        Assert.Equal(
            otherGeneratedFiles.Append("Diag.Healthy.Square.g.cs").Order(StringComparer.Ordinal),
            run.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        run.AssertCompilesCleanly(allowAdg: true);
        return run;
    }

    private static string Describe(string id, FileLinePositionSpan span) =>
        id + " at " + span.Path + "(" + (span.StartLinePosition.Line + 1) + "," + (span.StartLinePosition.Character + 1) + ")-(" +
        (span.EndLinePosition.Line + 1) + "," + (span.EndLinePosition.Character + 1) + ")";

    [Fact]
    public void ADG0001_TypeNotPartial() => AssertDiagnostics("ADG0001", """
        public static class NotPartial
        {
            [Differentiable]
            public static double [|F|](double x) => x * x;
        }
        """);

    [Fact]
    public void ADG0001_OuterTypeNotPartial() => AssertDiagnostics("ADG0001", """
        public static class Outer
        {
            public static partial class Inner
            {
                [Differentiable]
                public static double [|F|](double x) => x * x;
            }
        }
        """);

    [Fact]
    public void ADG0002_MethodNotStatic() => AssertDiagnostics("ADG0002", """
        public partial class Bad
        {
            [Differentiable]
            public double [|F|](double x) => x * x;
        }
        """);

    [Fact]
    public void ADG0003_GenericMethod() => AssertDiagnostics("ADG0003", """
        public static partial class Bad
        {
            [Differentiable]
            public static double [|F|]<T>(double x) => x * x;
        }
        """);

    [Fact]
    public void ADG0003_GenericContainingType() => AssertDiagnostics("ADG0003", """
        public static partial class Box<T>
        {
            [Differentiable]
            public static double [|F|](double x) => x * x;
        }
        """);

    [Fact]
    public void ADG0004_ReturnTypeNotDouble() => AssertDiagnostics("ADG0004", """
        public static partial class Bad
        {
            [Differentiable]
            public static [|float|] F(double x) => (float)(x * x);
        }
        """);

    [Fact]
    public void ADG0005_RefParameter() => AssertDiagnostics("ADG0005", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(ref double [|x|], double y)
            {
                x = y;
                return x * y;
            }
        }
        """);

    [Fact]
    public void ADG0005_WritableSpanParameter() => AssertDiagnostics("ADG0005", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(Span<double> [|x|], double y) => x[0] * y + x.Length;
        }
        """);

    [Fact]
    public void ADG0006_UnsupportedStatement() => AssertDiagnostics("ADG0006", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x)
            {
                double y = 0.0;
                [|try
                {
                    y = x * x;
                }
                finally
                {
                    y += 1.0;
                }|]

                return y;
            }
        }
        """);

    [Fact]
    public void ADG0007_UnsupportedExpression() => AssertDiagnostics("ADG0007", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x)
            {
                double y = [|x % 2.0|];
                return y * x;
            }
        }
        """);

    [Fact]
    public void ADG0008_CallWithoutDerivative() => AssertDiagnostics("ADG0008", """
        public static partial class Bad
        {
            private static double Helper(double v) => v * v;

            [Differentiable]
            public static double F(double x) => 1.0 + [|Helper(x)|];
        }
        """);

    [Fact]
    public void ADG0009_WriteToParameterArray() => AssertDiagnostics("ADG0009", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double[] a, double x)
            {
                [|a[0] = x|];
                return a[0] * x;
            }
        }
        """);

    [Fact]
    public void ADG0009_CompoundWriteToParameterArray() => AssertDiagnostics("ADG0009", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double[] a, double x)
            {
                for (int i = 0; i < a.Length; i++)
                {
                    [|a[i] *= x|];
                }

                return a[0];
            }
        }
        """);

    [Fact]
    public void ADG0010_Recursion() => AssertDiagnostics("ADG0010", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x) => x < 1.0 ? x : 2.0 * [|F(x - 1.0)|];
        }
        """);

    [Fact]
    public void ADG0010_RecursionThroughAnotherMethod() => AssertDiagnostics(
        """
        public static partial class Ping
        {
            [Differentiable]
            public static double A(double x) => x < 1.0 ? x : [|Pong.B(x - 1.0)|];
        }

        public static partial class Pong
        {
            [Differentiable]
            public static double B(double x) => 2.0 * [|Ping.A(x)|];

            [Differentiable]
            public static double NotOnTheCycle(double x) => [|Ping.A(x)|] + 1.0;
        }
        """,
        i => i == 2 ? "ADG0017" : "ADG0010");

    [Fact]
    public void ADG0011_UnsupportedLocalType() => AssertDiagnostics("ADG0011", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x)
            {
                float [|f = 1f|];
                f *= 2f;
                return x * f;
            }
        }
        """);

    [Fact]
    public void ADG0011_RefLocal() => AssertDiagnostics("ADG0011", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x)
            {
                double[] a = new double[2];
                ref double [|r = ref a[0]|];
                r = x * x;
                return a[0];
            }
        }
        """);

    [Fact]
    public void ADG0012_LocalArrayAliased() => AssertDiagnostics("ADG0012", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double[] a)
            {
                double[] b = [|a|];
                return b[0];
            }
        }
        """);

    [Fact]
    public void ADG0012_LocalArrayPassedToArrayParameter() => AssertDiagnostics("ADG0012", """
        public static partial class Bad
        {
            [Differentiable]
            public static double Sum(double[] v)
            {
                double s = 0.0;
                foreach (double e in v)
                {
                    s += e;
                }

                return s;
            }

            [Differentiable]
            public static double F(double x)
            {
                double[] w = new double[2];
                w[0] = x;
                w[1] = x * x;
                return Sum([|w|]);
            }
        }
        """, "Diag.Bad.Sum.g.cs");

    [Fact]
    public void ADG0013_NoBody() => AssertDiagnostics("ADG0013", """
        public static partial class Bad
        {
            [Differentiable]
            public static extern double [|F|](double x);
        }
        """);

    [Fact]
    public void ADG0014_MathFunctionWithoutRule() => AssertDiagnostics("ADG0014", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x) => x * [|Math.IEEERemainder(x, 2.0)|];
        }
        """);

    [Fact]
    public void ADG0015_AssignmentInExpression() => AssertDiagnostics("ADG0015", """
        public static partial class Bad
        {
            [Differentiable]
            public static double F(double x)
            {
                double y = 0.0;
                double z = 2.0 * ([|y = x * x|]);
                return y + z;
            }
        }
        """);

    [Fact]
    public void ADG0016_CompanionNameTaken() => AssertDiagnostics("ADG0016", """
        public static partial class Bad
        {
            [Differentiable]
            public static double [|F|](double x) => x * x;

            public static double FGradient(double x) => 2.0 * x;
        }
        """);

    [Fact]
    public void ADG0016_SecondOrderCompanionNameTaken() => AssertDiagnostics("ADG0016", """
        public static partial class Bad
        {
            [Differentiable]
            public static double [|F|](double x) => x * x;

            public static double FHvp(double x, double v, out double hv)
            {
                hv = 2.0 * v;
                return x * x;
            }
        }
        """);

    [Fact]
    public void ADG0017_CalleeHasErrors() => AssertDiagnostics(
        """
        public static partial class Bad
        {
            [Differentiable]
            public static double [|Inner|](double x) => x * x;

            public static double InnerJvp(double x) => 2.0 * x;

            [Differentiable]
            public static double Middle(double x) => 1.0 + [|Inner(x)|] * 2.0;

            [Differentiable]
            public static double Outer(double x, double y) => [|Middle(y)|] + [|Inner(x)|] + Healthy.Square(x);
        }
        """,
        i => i == 0 ? "ADG0016" : "ADG0017");

    [Fact]
    public void ADG0017_CalleeInAnotherTypeWithBodyErrors()
    {
        var run = AssertDiagnostics(
            """
            public static partial class Callee
            {
                [Differentiable]
                public static double Step(double x)
                {
                    [|goto End;|]
                [|End:
                    return x;|]
                }
            }

            public static partial class Caller
            {
                [Differentiable]
                public static double Run(double x) => Math.Exp([|Callee.Step(x)|]);
            }
            """,
            i => i == 2 ? "ADG0017" : "ADG0006");
        var message = run.AdgDiagnostics.Single(d => d.Id == "ADG0017").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'Step'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADG0018_CallOfVectorValuedMethod() => AssertDiagnostics(
        "ADG0018",
        """
        public static partial class Bad
        {
            [Differentiable]
            public static void Residuals(double x, Span<double> result)
            {
                result[0] = x - 1.0;
                result[1] = x * x;
            }

            [Differentiable]
            public static double F(double x)
            {
                double[] r = new double[2];
                [|Residuals(x, r)|];
                return r[0] * r[1];
            }

            [Differentiable]
            public static void G(double x, Span<double> result)
            {
                [|Residuals(x, result)|];
                result[0] += x;
            }
        }
        """,
        "Diag.Bad.Residuals.g.cs");

    [Fact]
    public void ADG0019_ResultSpanReassigned() => AssertDiagnostics("ADG0019", """
        public static partial class Bad
        {
            [Differentiable]
            public static void F(double x, Span<double> result)
            {
                [|result = new double[2]|];
                result[0] = x;
            }
        }
        """);

    [Fact]
    public void VectorValuedShapesGetTheDiagnosticsOfTheirConstructs()
    {
        var ids = new[] { "ADG0004", "ADG0004", "ADG0005", "ADG0016", "ADG0009", "ADG0006", "ADG0006" };
        AssertDiagnostics(
            """
            public static partial class Bad
            {
                // void without a result span; a Span<double> that is not the last parameter.
                [Differentiable]
                public static [|void|] NoSpan(double x, double[] y) { }

                [Differentiable]
                public static [|void|] NotLast(Span<double> [|result|], double x) { }

                [Differentiable]
                public static void [|Taken|](double x, Span<double> result) => result[0] = x;

                public static void TakenVjp() { }

                [Differentiable]
                public static void Writes(double[] a, Span<double> result)
                {
                    [|a[0] = 1.0|];
                    result[0] = a[0];
                    [|result.Clear()|];
                    [|foreach (ref double v in result)
                    {
                        v = 2.0;
                    }|]
                }
            }
            """,
            i => ids[i]);
    }

    [Fact]
    public void EveryErrorOfABodyIsReportedInOneRun()
    {
        var ids = new[] { "ADG0005", "ADG0011", "ADG0007", "ADG0008", "ADG0009", "ADG0006", "ADG0014", "ADG0010" };
        AssertDiagnostics(
            """
            public static partial class Bad
            {
                private static double Helper(double v) => v;

                [Differentiable]
                public static double F(double[] a, in double [|p|], double x)
                {
                    float [|f = 1f|];
                    double y = [|x % 3.0|] + [|Helper(x)|];
                    [|a[1] = y|];
                    [|lock (a)
                    {
                        y += 1.0;
                    }|]

                    return y + [|Math.ScaleB(x, 2)|] + [|F(a, p, y)|];
                }
            }
            """,
            i => ids[i]);
    }

    [Fact]
    public void ErrorsInSeveralMethodsAreAllReported()
    {
        var ids = new[] { "ADG0002", "ADG0008", "ADG0004" };
        AssertDiagnostics(
            """
            public partial class Bad
            {
                [Differentiable]
                public double [|G|](double x) => x;

                [Differentiable]
                public static double F(double x) => [|Console.Read()|] * x;

                [Differentiable]
                public static [|int|] H(double x) => 1;
            }
            """,
            i => ids[i]);
    }

    [Fact]
    public void EveryDescriptorIsAnErrorWithAHelpLinkAndADocumentedSection()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        var all = DiagnosticDescriptors.All.ToList();
        Assert.True(all.Count >= 17, "Expected ADG0001..ADG0017, found " + all.Count);
        for (int n = 1; n <= all.Count; n++)
        {
            var id = "ADG" + n.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            var descriptor = Assert.Single(all, d => d.Id == id);
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.True(descriptor.IsEnabledByDefault);
            Assert.Equal("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
            Assert.Contains("\n## " + id + "\n", docs.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoDiffGen.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found above " + thisFile);
    }
}
