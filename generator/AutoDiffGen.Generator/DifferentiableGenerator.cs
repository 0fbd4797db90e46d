using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Emission;
using AutoDiffGen.Generator.Model;
using static AutoDiffGen.Generator.Model.EquatableArray;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator;

/// <summary>
/// Emits companions for every static method of a partial type marked
/// <c>[AutoDiffGen.Differentiable]</c>: for a method returning double, forward mode (<c>MJvp</c>),
/// reverse mode (<c>MGradient</c>, <c>MPullback</c>) and second order (<c>MHvp</c>, <c>MHessian</c>,
/// <c>MPullbackJvp</c>); for a vector-valued method, <c>MJvp</c>, <c>MVjp</c> and <c>MJacobian</c>.
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
        //    The call sites (with source positions) are kept apart from the model, so that an
        //    edit which only moves a valid method leaves its model equal.
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DifferentiableAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct));
        var models = parsed
            .Select(static (p, _) => p.Model)
            .WithTrackingName(TrackingNames.Models);

        // 2. Diagnostics travel on their own branch, so a model change that keeps the same
        //    diagnostics does not re-report them and vice versa.
        var diagnostics = models
            .Select(static (m, _) => m.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, ReportAll);

        // 3. The call graph, from a small summary of every method: a method with errors, or
        //    calling one, gets no companions (they would call companions that do not exist).
        var graph = models
            .Select(static (m, _) => new CallGraphNode(m.Key, m.Callees, m.Diagnostics.Count > 0))
            .Collect()
            .Select(static (nodes, _) => CallGraph.Analyze(nodes))
            .WithTrackingName(TrackingNames.CallGraph);

        //    A call of a blocked method gets ADG0017, so every method without companions has an
        //    error that says why.
        var calleeErrors = parsed
            .Select(static (p, _) => p.CallSites)
            .Combine(graph)
            .Select(static (pair, _) => CalleeErrors(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.CalleeErrors);
        context.RegisterSourceOutput(calleeErrors, ReportAll);

        // 4. The other methods get their companions: transforms and emission run here.
        var sources = models
            .Where(static m => m.Diagnostics.Count == 0)
            .Combine(graph)
            .Where(static pair => !pair.Right.Blocked.Contains(pair.Left.Key))
            .Select(static (pair, ct) => Emit(pair.Left, ct))
            .WithTrackingName(TrackingNames.Sources);
        context.RegisterSourceOutput(sources, static (spc, source) => spc.AddSource(source.HintName, source.Text));
    }

    private static void ReportAll(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            context.ReportDiagnostic(d.ToDiagnostic());
        }
    }

    private static GeneratedSource Emit(MethodModel model, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new GeneratedSource(model.HintName, model.Output is null ? CompanionEmitter.Emit(model) : VectorCompanionEmitter.Emit(model));
    }

    /// <summary>A method, the methods it calls, and whether it has errors. Must stay equatable.</summary>
    internal sealed record CallGraphNode(string Key, EquatableArray<string> Callees, bool HasErrors);

    /// <summary>Every method that must get no companions. Must stay equatable.</summary>
    internal sealed record CallGraph(EquatableArray<string> Blocked)
    {
        public static CallGraph Analyze(ImmutableArray<CallGraphNode> nodes)
        {
            var blocked = new HashSet<string>(nodes.Where(n => n.HasErrors).Select(n => n.Key));
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var n in nodes)
                {
                    if (!blocked.Contains(n.Key) && n.Callees.Any(blocked.Contains))
                    {
                        changed |= blocked.Add(n.Key);
                    }
                }
            }

            return new CallGraph(blocked.OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray());
        }
    }

    /// <summary>The errors to report at the calls of blocked methods.</summary>
    private static EquatableArray<DiagnosticInfo> CalleeErrors(EquatableArray<CallSite> calls, CallGraph graph)
    {
        if (graph.Blocked.Count == 0 || calls.Count == 0)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var blocked = new HashSet<string>(graph.Blocked, System.StringComparer.Ordinal);
        return calls.Where(c => blocked.Contains(c.CalleeKey)).Select(c => c.CalleeHasErrors).ToEquatableArray();
    }

    /// <summary>One generated file. Must stay equatable.</summary>
    internal sealed record GeneratedSource(string HintName, string Text);

    /// <summary>Names of the tracked pipeline steps (for incrementality tests).</summary>
    internal static class TrackingNames
    {
        public const string Models = nameof(Models);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Sources = nameof(Sources);
        public const string CallGraph = nameof(CallGraph);
        public const string CalleeErrors = nameof(CalleeErrors);
    }
}
