using System.Linq;
using AutoDiffGen.Generator.IR;

namespace AutoDiffGen.Generator.Model;

/// <summary>
/// Everything the emitter needs to know about one [Differentiable] method, as plain equatable
/// data: no ISymbol, SyntaxNode, Location or Compilation may be reachable from here.
/// </summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the containing types, outermost first (e.g. "partial class Outer").</param>
/// <param name="Name">The method name.</param>
/// <param name="Accessibility">C# accessibility keywords of the method.</param>
/// <param name="Parameters">Parameters in declaration order.</param>
/// <param name="Body">The lowered body (structured IR, unique local names).</param>
/// <param name="ReservedNames">Every identifier the user's method declares, so generated names avoid them.</param>
/// <param name="HintName">File name of the generated source.</param>
/// <param name="Diagnostics">Errors found; when non-empty no companions are emitted.</param>
/// <param name="Key">Fully qualified containing type and name, as callers' <see cref="CallTarget"/> spell it.</param>
/// <param name="Output">
/// For a vector-valued method (returns void, writes a last parameter <c>Span&lt;double&gt;</c>), the name of
/// that parameter; its Return statements carry no value. Null for a method returning double.
/// </param>
internal sealed record MethodModel(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string Name,
    string Accessibility,
    EquatableArray<ParamInfo> Parameters,
    EquatableArray<Stmt> Body,
    EquatableArray<string> ReservedNames,
    string HintName,
    EquatableArray<DiagnosticInfo> Diagnostics,
    string Key,
    string? Output = null)
{
    /// <summary>Keys of the [Differentiable] methods this one calls.</summary>
    public EquatableArray<string> Callees =>
        IrWalk.AllStatements(Body).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.Descendants)
            .OfType<UserCall>().Select(c => c.Target.ContainingType + "." + c.Target.Name).Distinct().ToEquatableArray();
}

/// <summary>
/// A call of another [Differentiable] method: the callee's key (as <see cref="MethodModel.Key"/>)
/// and the error to report at the call when the callee gets no companions.
/// </summary>
internal sealed record CallSite(string CalleeKey, DiagnosticInfo CalleeHasErrors);

/// <summary>
/// The result of parsing one method: its model, which holds no source positions when the method
/// has no errors (so edits that only move it keep it equal), and its call sites, which do.
/// </summary>
internal sealed record ParsedMethod(MethodModel Model, EquatableArray<CallSite> CallSites);
