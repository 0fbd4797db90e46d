using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compiles C# source text against the AutoDiffGen runtime and the running framework's
/// assemblies, runs <see cref="DifferentiableGenerator"/> through a <see cref="CSharpGeneratorDriver"/>
/// with step tracking on, and returns what it produced.
/// </summary>
internal static class GeneratorHarness
{
    // Preview: with the 4.11 compiler and the .NET 10 reference assemblies, foreach over a span
    // needs "ref struct interfaces", which that compiler still calls a preview feature.
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiler diagnostics that mean a generator threw (initialisation or execution).</summary>
    public static readonly string[] GeneratorExceptionIds = ["CS8784", "CS8785"];

    /// <summary>Builds a library compilation of the given sources (files Test0.cs, Test1.cs, ...).</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Test" + i + ".cs"));
        return CSharpCompilation.Create(
            "GeneratorTestInput",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>A fresh driver with incremental step tracking enabled.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new DifferentiableGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="sources"/> and runs the generator once.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources)).Run;

    /// <summary>Runs <paramref name="driver"/> on <paramref name="compilation"/>; returns the run and the updated driver.</summary>
    public static (GeneratorRun Run, GeneratorDriver Driver) Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var result = driver.GetRunResult();
        var generatorResult = result.Results.Single();
        var run = new GeneratorRun(
            compilation,
            output,
            generatorResult,
            driverDiagnostics.AddRange(generatorResult.Diagnostics).Distinct().ToImmutableArray(),
            output.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray());
        return (run, driver);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty;
        foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard")
            {
                paths.Add(path);
            }
        }

        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>The outcome of one generator run.</summary>
/// <param name="Input">The compilation the generator saw.</param>
/// <param name="Output">The compilation with the generated sources added.</param>
/// <param name="Result">The generator's own run result (sources, diagnostics, tracked steps, exception).</param>
/// <param name="GeneratorDiagnostics">Diagnostics reported by or about the generator.</param>
/// <param name="CompilationDiagnostics">Non-hidden diagnostics of <paramref name="Output"/>.</param>
internal sealed record GeneratorRun(
    Compilation Input,
    Compilation Output,
    GeneratorRunResult Result,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics)
{
    public ImmutableArray<GeneratedSourceResult> Sources => Result.GeneratedSources;

    /// <summary>ADG diagnostics reported by the generator.</summary>
    public IEnumerable<Diagnostic> AdgDiagnostics => GeneratorDiagnostics.Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal));

    /// <summary>The text of the generated file for <c>Type.Method</c> (hint name "Namespace.Type.Method.g.cs").</summary>
    public string Source(string typeAndMethod)
    {
        var matches = Sources.Where(s => s.HintName.EndsWith(typeAndMethod + ".g.cs", StringComparison.Ordinal)).ToList();
        Xunit.Assert.True(matches.Count == 1, "Expected one generated file for " + typeAndMethod + "; generated: " + string.Join(", ", Sources.Select(s => s.HintName)));
        return matches[0].SourceText.ToString();
    }

    /// <summary>True when companions were generated for <c>Type.Method</c>.</summary>
    public bool HasCompanions(string typeAndMethod) =>
        Sources.Any(s => s.HintName.EndsWith(typeAndMethod + ".g.cs", StringComparison.Ordinal));

    /// <summary>
    /// Fails unless the generator did not throw, reported no diagnostics other than the expected
    /// ADG errors, and the output compilation has no errors (and no warnings in generated code).
    /// </summary>
    public void AssertCompilesCleanly(bool allowAdg = false)
    {
        Xunit.Assert.Null(Result.Exception);
        var unexpected = GeneratorDiagnostics.Where(d => !(allowAdg && d.Id.StartsWith("ADG", StringComparison.Ordinal))).ToList();
        Xunit.Assert.True(unexpected.Count == 0, "Unexpected generator diagnostics:\n" + string.Join("\n", unexpected));

        var generatedTrees = new HashSet<SyntaxTree>(Output.SyntaxTrees.Except(Input.SyntaxTrees));
        var problems = CompilationDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error ||
                        (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)))
            .ToList();
        Xunit.Assert.True(problems.Count == 0, "The output compilation has problems:\n" + string.Join("\n", problems.Select(d => Describe(d, generatedTrees))));
    }

    private static string Describe(Diagnostic d, HashSet<SyntaxTree> generatedTrees)
    {
        var text = d.ToString();
        if (d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
        {
            var line = d.Location.GetLineSpan().StartLinePosition.Line;
            text += "\n    in generated line: " + tree.GetText().Lines[line].ToString().Trim();
        }

        return text;
    }
}
