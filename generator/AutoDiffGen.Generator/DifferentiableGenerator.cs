using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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

        // 2. A method that calls a [Differentiable] method without companions (because of its
        //    errors, or transitively) cannot call them either: it gets an error at each such call
        //    instead of generated code that does not compile. Only the set of failing methods
        //    crosses between methods, so an edit that does not change it keeps every model cached.
        var failing = models
            .Collect()
            .Select(static (all, _) => FailingMethods(all))
            .WithTrackingName(TrackingNames.Failing);
        var calleeErrors = parsed
            .Select(static (p, _) => p.CallSites)
            .Combine(failing)
            .Select(static (pair, _) => CalleeErrors(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.CalleeErrors);
        context.RegisterSourceOutput(calleeErrors, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });

        // 3. A method's own diagnostics travel on their own branch, so a model change that keeps
        //    the same diagnostics does not re-report them and vice versa.
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

        // 4. Methods without errors get their companions: transforms and emission run here.
        var sources = models
            .Combine(failing)
            .Where(static pair => pair.Left.Diagnostics.Count == 0 && !pair.Right.Contains(pair.Left.Key))
            .Select(static (pair, ct) => Emit(pair.Left, ct))
            .WithTrackingName(TrackingNames.Sources);
        context.RegisterSourceOutput(sources, static (spc, source) => spc.AddSource(source.HintName, source.Text));
    }

    /// <summary>Keys of the methods that get no companions: those with errors, and their callers, transitively.</summary>
    private static EquatableArray<string> FailingMethods(ImmutableArray<MethodModel> all)
    {
        var failing = new HashSet<string>(all.Where(m => m.Diagnostics.Count > 0).Select(m => m.Key), StringComparer.Ordinal);
        bool changed = failing.Count > 0;
        while (changed)
        {
            changed = false;
            foreach (var m in all)
            {
                if (!failing.Contains(m.Key) && m.Calls.Any(failing.Contains))
                {
                    changed |= failing.Add(m.Key);
                }
            }
        }

        return failing.OrderBy(k => k, StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>The errors to report at the calls of methods in <paramref name="failing"/>.</summary>
    private static EquatableArray<DiagnosticInfo> CalleeErrors(EquatableArray<CallSite> calls, EquatableArray<string> failing)
    {
        if (failing.Count == 0 || calls.Count == 0)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var set = new HashSet<string>(failing, StringComparer.Ordinal);
        return calls.Where(c => set.Contains(c.CalleeKey)).Select(c => c.CalleeHasErrors).ToEquatableArray();
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
        public const string Failing = nameof(Failing);
        public const string CalleeErrors = nameof(CalleeErrors);
    }
}
