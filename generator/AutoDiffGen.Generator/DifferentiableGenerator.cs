using System.Threading;
using AutoDiffGen.Generator.Emission;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator;

/// <summary>
/// Emits forward-mode (<c>MJvp</c>) and reverse-mode (<c>MGradient</c>, <c>MPullback</c>) companions
/// for every static method of a partial type marked <c>[AutoDiffGen.Differentiable]</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DifferentiableGenerator : IIncrementalGenerator
{
    internal const string DifferentiableAttribute = "AutoDiffGen.DifferentiableAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Find [Differentiable] methods and lower each to an equatable model: declaration
        //    checks and the body's IR, or the diagnostics that explain why it cannot be lowered.
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DifferentiableAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Models);

        // 2. Diagnostics travel on their own branch, so a model change that keeps the same
        //    diagnostics does not re-report them and vice versa.
        var diagnostics = models
            .Select(static (m, _) => m.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });

        // 3. Methods without errors get their companions: transforms and emission run here.
        var sources = models
            .Where(static m => m.Diagnostics.Count == 0)
            .Select(static (m, ct) => Emit(m, ct))
            .WithTrackingName(TrackingNames.Sources);
        context.RegisterSourceOutput(sources, static (spc, source) => spc.AddSource(source.HintName, source.Text));
    }

    private static GeneratedSource Emit(MethodModel model, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new GeneratedSource(model.HintName, CompanionEmitter.Emit(model));
    }

    /// <summary>One generated file. Must stay equatable.</summary>
    internal sealed record GeneratedSource(string HintName, string Text);

    /// <summary>Names of the tracked pipeline steps (for incrementality tests).</summary>
    internal static class TrackingNames
    {
        public const string Models = nameof(Models);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Sources = nameof(Sources);
    }
}
