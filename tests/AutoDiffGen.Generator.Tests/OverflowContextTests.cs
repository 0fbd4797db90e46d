using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Integer arithmetic keeps the overflow context it was written in: the companions compile with
/// the project's default, so only operations written in the other context are marked.
/// </summary>
public sealed class OverflowContextTests
{
    private const string Source = """
        using System;
        using AutoDiffGen;

        namespace Overflow;

        public static partial class Fns
        {
            [Differentiable]
            public static double Mixed(double x, int n, int k)
            {
                int a = n * k;
                int b = checked(n + k);
                int c = unchecked(n * 31 + k);
                unchecked
                {
                    c += n;
                }

                return x * (a + b + c);
            }
        }
        """;

    /// <summary>The generated code without the source statements quoted in comments.</summary>
    private static string Code(string generated) =>
        string.Join("\n", generated.Split('\n').Where(line => !line.TrimStart().StartsWith("//", System.StringComparison.Ordinal)));

    [Fact]
    public void InAnUncheckedProject_OnlyCheckedOperationsAreMarked()
    {
        var run = GeneratorHarness.Run(Source);
        run.AssertCompilesCleanly();
        var jvp = Code(run.Source("Fns.Mixed"));
        Assert.Contains("int b = checked(n + k);", jvp);
        Assert.Contains("int a = n * k;", jvp);
        Assert.DoesNotContain("unchecked(", jvp);
    }

    [Fact]
    public void InACheckedProject_OnlyUncheckedOperationsAreMarked()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        compilation = compilation.WithOptions(compilation.Options.WithOverflowChecks(true));
        var (run, _) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        run.AssertCompilesCleanly();
        var jvp = Code(run.Source("Fns.Mixed"));
        Assert.Contains("int c = unchecked(unchecked(n * 31) + k);", jvp);
        Assert.Contains("c = unchecked(c + n);", jvp);
        Assert.Contains("int a = n * k;", jvp);
        Assert.DoesNotContain("checked(n + k)", jvp.Replace("unchecked(", "_("));
    }
}
