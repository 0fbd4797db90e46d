using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The pipeline must be incremental: after an edit outside every [Differentiable] method, every
/// tracked step is Cached or Unchanged, and its models hold no Roslyn objects (which would keep
/// old compilations alive and defeat caching).
/// </summary>
public sealed class IncrementalityTests
{
    private const string Methods = """
        using System;
        using AutoDiffGen;

        namespace Inc;

        public static partial class Plain
        {
            public static int Helper(int n)
            {
                return n + 1;
            }
        }

        public static partial class Fns
        {
            [Differentiable]
            public static double Loop(ReadOnlySpan<double> x, double s)
            {
                double acc = 0.0;
                for (int i = 0; i < x.Length; i++)
                {
                    if (x[i] > s)
                    {
                        continue;
                    }

                    acc += Math.Sin(x[i] * s);
                }

                return acc;
            }

            [Differentiable]
            public static double Caller(double a, double b)
            {
                double[] v = new double[2];
                v[0] = a;
                v[1] = a * b;
                return Loop(v, b) * a;
            }
        }
        """;

    private const string Caller = """
        using AutoDiffGen;

        namespace Inc;

        public static partial class Other
        {
            [Differentiable]
            public static double UsesFns(double x, double[] v) => Fns.Loop(v, x) + x * x;
        }
        """;

    private static readonly IncrementalStepRunReason[] Reusable = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    /// <summary>Every name declared in DifferentiableGenerator.TrackingNames.</summary>
    private static IReadOnlyList<string> TrackingNames() =>
        typeof(DifferentiableGenerator.TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    private static (GeneratorRun First, GeneratorRun Second) RunTwice(Func<Compilation, Compilation> edit, params string[] sources)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var (first, driver) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        first.AssertCompilesCleanly();
        var (second, _) = GeneratorHarness.Run(driver, edit(compilation));
        second.AssertCompilesCleanly();
        return (first, second);
    }

    private static void AssertEveryTrackedStepReused(GeneratorRun run)
    {
        var names = TrackingNames();
        Assert.Contains(DifferentiableGenerator.TrackingNames.Models, names);
        Assert.Contains(DifferentiableGenerator.TrackingNames.Sources, names);
        foreach (var name in names)
        {
            Assert.True(run.Result.TrackedSteps.TryGetValue(name, out var steps), "Step " + name + " was not tracked");
            var outputs = steps.SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            foreach (var (value, reason) in outputs)
            {
                Assert.True(Reusable.Contains(reason), "Step " + name + " produced " + reason + " for " + value);
            }
        }

        foreach (var (name, steps) in run.Result.TrackedOutputSteps)
        {
            foreach (var (value, reason) in steps.SelectMany(s => s.Outputs))
            {
                Assert.True(Reusable.Contains(reason), "Output step " + name + " produced " + reason + " for " + value);
            }
        }
    }

    private static Compilation ReplaceText(Compilation compilation, int treeIndex, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.ElementAt(treeIndex);
        var text = tree.GetText().ToString();
        int at = text.IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(at >= 0, "Edit anchor not found: " + oldText);
        var changed = tree.WithChangedText(tree.GetText().WithChanges(new TextChange(new TextSpan(at, oldText.Length), newText)));
        return compilation.ReplaceSyntaxTree(tree, changed);
    }

    [Fact]
    public void AddingAnUnrelatedSyntaxTreeReusesEveryStep()
    {
        var (first, second) = RunTwice(
            c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
                "namespace Inc.Elsewhere;\n\npublic static class Unrelated\n{\n    public static double Twice(double x) => 2.0 * x;\n}\n",
                GeneratorHarness.ParseOptions,
                path: "Unrelated.cs")),
            Methods,
            Caller);
        Assert.Equal(3, first.Sources.Length);
        AssertEveryTrackedStepReused(second);
        Assert.Equal(first.Sources.Select(s => s.SourceText.ToString()), second.Sources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void EditingANonDifferentiableMethodInTheSameFileReusesEveryStep()
    {
        // The edit adds lines above the [Differentiable] methods, so their positions move too.
        var (_, second) = RunTwice(
            c => ReplaceText(c, 0, "return n + 1;", "int m = n * 2;\n        m -= n;\n        return m + 1;"),
            Methods,
            Caller);
        AssertEveryTrackedStepReused(second);
    }

    [Fact]
    public void EditingADifferentiableMethodIsSeenAsAModification()
    {
        // The other side of the test above: the tracking does report a real change.
        var (_, second) = RunTwice(c => ReplaceText(c, 0, "Math.Sin(x[i] * s)", "Math.Cos(x[i] * s)"), Methods, Caller);
        var reasons = second.Result.TrackedSteps[DifferentiableGenerator.TrackingNames.Sources].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(second.Sources, s => s.SourceText.ToString().Contains("Math.Cos", StringComparison.Ordinal));
    }

    [Fact]
    public void FixingACalleeGivesItsCallersTheirCompanionsInTheNextRun()
    {
        const string callee = """
            using AutoDiffGen;

            namespace Inc;

            public static partial class Callee
            {
                [Differentiable]
                public static double Step(double x) => x % 2.0;

                [Differentiable]
                public static double UsesStep(double x) => Step(x) * x;
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(Caller, callee, Methods);
        var (broken, driver) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Equal(["ADG0007", "ADG0017"], broken.AdgDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
        broken.AssertCompilesCleanly(allowAdg: true);
        Assert.False(broken.HasCompanions("Callee.UsesStep"));
        Assert.True(broken.HasCompanions("Other.UsesFns"));

        var (fixedRun, _) = GeneratorHarness.Run(driver, ReplaceText(compilation, 1, "x % 2.0", "x * 2.0"));
        Assert.Empty(fixedRun.AdgDiagnostics);
        fixedRun.AssertCompilesCleanly();
        Assert.True(fixedRun.HasCompanions("Callee.Step"));
        Assert.True(fixedRun.HasCompanions("Callee.UsesStep"));
    }

    [Fact]
    public void NoRoslynObjectIsReachableFromThePipelineModels()
    {
        // Include a method with errors so that diagnostics (with their locations) are in the models too.
        const string bad = """
            using AutoDiffGen;

            namespace Inc;

            public static partial class Bad
            {
                private static double Helper(double v) => v;

                [Differentiable]
                public static double Broken(double x)
                {
                    float f = 1f;
                    return Helper(x) + x % 2.0;
                }
            }
            """;
        var run = GeneratorHarness.Run(Methods, Caller, bad);
        Assert.NotEmpty(run.AdgDiagnostics);

        int modelCount = 0;
        foreach (var name in TrackingNames())
        {
            foreach (var (value, _) in run.Result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                modelCount++;
                var found = RoslynObjectWalker.FindRoslynObject(value);
                Assert.True(found is null, "Step " + name + " output reaches a Roslyn object: " + found);
            }
        }

        Assert.True(modelCount >= 4, "Expected models for four methods, saw " + modelCount);
    }

    [Fact]
    public void TheWalkerFindsRoslynObjectsWhenTheyArePresent()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { }");
        var holder = new List<object> { 1, "text", new Dictionary<string, object> { ["tree"] = tree } };
        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(holder));
        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(new object[] { Location.None }));
        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(new { Node = tree.GetRoot() }));
        Assert.Null(RoslynObjectWalker.FindRoslynObject(new { Span = new TextSpan(1, 2), Lines = new LinePositionSpan(default, default) }));
    }
}

/// <summary>
/// Walks an object graph through every instance field (public and private) and reports the first
/// Roslyn object reachable: symbols, syntax, trees, locations, compilations, semantic models,
/// operations, or any other Microsoft.CodeAnalysis type except the plain text-position structs.
/// </summary>
internal static class RoslynObjectWalker
{
    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation),
        typeof(SemanticModel), typeof(IOperation), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference),
        typeof(AttributeData), typeof(Diagnostic),
    ];

    private static readonly Type[] AllowedRoslynTypes = [typeof(TextSpan), typeof(LinePositionSpan), typeof(LinePosition)];

    public static string? FindRoslynObject(object? root)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(object Value, string Path)>();
        if (root is not null)
        {
            stack.Push((root, root.GetType().Name));
        }

        while (stack.Count > 0)
        {
            var (value, path) = stack.Pop();
            var type = value.GetType();
            if (!type.IsValueType && !visited.Add(value))
            {
                continue;
            }

            if (IsForbidden(type))
            {
                return path + " : " + type.FullName;
            }

            if (type.IsPrimitive || type.IsEnum || value is string or decimal || type.IsPointer)
            {
                continue;
            }

            if (value is Array array)
            {
                int i = 0;
                foreach (var element in array)
                {
                    if (element is not null)
                    {
                        stack.Push((element, path + "[" + i + "]"));
                    }

                    i++;
                }

                continue;
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRef || field.FieldType.IsByRefLike)
                    {
                        continue;
                    }

                    if (IsForbidden(field.FieldType) && field.GetValue(value) is not null)
                    {
                        return path + "." + field.Name + " : " + field.FieldType.FullName;
                    }

                    if (field.GetValue(value) is { } child)
                    {
                        stack.Push((child, path + "." + field.Name));
                    }
                }
            }
        }

        return null;
    }

    private static bool IsForbidden(Type type)
    {
        if (AllowedRoslynTypes.Contains(type))
        {
            return false;
        }

        if (Forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            return true;
        }

        return type.Namespace is { } ns && ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && type.Assembly != typeof(DifferentiableGenerator).Assembly;
    }
}
