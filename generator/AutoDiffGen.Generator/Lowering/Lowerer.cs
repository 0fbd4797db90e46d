using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Lowering;

/// <summary>
/// Lowers the IOperation tree of a method body to the AD IR. Every construct outside the
/// supported language is recorded as a diagnostic at its own location and the walk goes on, so a
/// user sees every error of a body in one build; the default arm rejects any operation kind not
/// handled, so new C# features are refused rather than silently mis-differentiated.
/// </summary>
internal sealed partial class Lowerer
{
    private const string DifferentiableAttributeName = "AutoDiffGen.DifferentiableAttribute";
    private const string NoDerivativeAttributeName = "AutoDiffGen.NoDerivativeAttribute";

    private readonly IMethodSymbol _method;
    private readonly Compilation _compilation;
    private readonly Dictionary<IMethodSymbol, bool> _reachesMethod = new(SymbolEqualityComparer.Default);
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _usedNames = new();
    private readonly HashSet<string> _parameterArrays = new();
    private readonly HashSet<ISymbol> _rejectedLocals = new(SymbolEqualityComparer.Default);
    private List<CallSite> _calls = new();

    // The result span of a vector-valued method (null for a scalar method), and the local that
    // holds its length (created on first use of result.Length).
    private string? _output;
    private string? _outputLength;

    private Lowerer(IMethodSymbol method, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        _method = method;
        _compilation = compilation;
        _diagnostics = diagnostics;
    }

    public static bool IsDifferentiable(IMethodSymbol method) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiableAttributeName);

    public static bool IsNoDerivative(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NoDerivativeAttributeName);

    /// <summary>Describes the parameters of a [Differentiable] method (also used for callees).</summary>
    public static EquatableArray<ParamInfo> DescribeParameters(IMethodSymbol method) =>
        method.Parameters.Select(DescribeParameter).ToEquatableArray();

    /// <summary>Lowers a body; parameters must already be described.</summary>
    /// <param name="method">The method.</param>
    /// <param name="body">Its body operation.</param>
    /// <param name="compilation">The compilation, to follow calls for recursion.</param>
    /// <param name="diagnostics">Receives the errors.</param>
    /// <param name="calls">Receives the calls of other [Differentiable] methods, with their positions.</param>
    public static (EquatableArray<Stmt> Body, EquatableArray<string> Reserved) Lower(
        IMethodSymbol method,
        IOperation body,
        Compilation compilation,
        List<DiagnosticInfo> diagnostics,
        List<CallSite> calls)
    {
        var lowerer = new Lowerer(method, compilation, diagnostics) { _calls = calls };
        foreach (var p in method.Parameters)
        {
            lowerer._names[p] = p.Name;
            lowerer._usedNames.Add(p.Name);
            if (ArrayElementType(p.Type) is not null)
            {
                lowerer._parameterArrays.Add(p.Name);
            }

            if (IsVectorOutput(p))
            {
                lowerer._output = p.Name;
            }
        }

        var output = new List<Stmt>();
        lowerer.LowerStatement(body, output);
        if (lowerer._outputLength is not null)
        {
            // A span's length never changes: read it once, into a local the transforms see as
            // assigned once (so loops bounded by it have trip counts known in the reverse sweep).
            output.Insert(0, new Declare(lowerer._outputLength, IrType.Int, new LengthOf(lowerer._output!)));
        }
        return (output.ToEquatableArray(), lowerer._usedNames.OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray());
    }

    private static ParamInfo DescribeParameter(IParameterSymbol p)
    {
        var typeText = p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));
        var noDerivative = IsNoDerivative(p);
        IrType? type = ScalarType(p.Type);
        bool isSpan = false;
        if (type is null && ArrayElementType(p.Type) is { } element)
        {
            type = element == SpecialType.System_Double ? IrType.DoubleArray : IrType.IntArray;
            isSpan = p.Type is INamedTypeSymbol;
        }

        if (IsVectorOutput(p))
        {
            // The result of a vector-valued method: an array the body writes, with no derivative slot.
            return new ParamInfo(p.Name, typeText, IrType.DoubleArray, false, true);
        }

        bool differentiable = !noDerivative && (type == IrType.Double || type == IrType.DoubleArray) && p.RefKind == RefKind.None;
        return new ParamInfo(p.Name, typeText, type, differentiable, isSpan);
    }

    /// <summary>
    /// Parameters the declaration checks reject (ADG0005: by reference, or a writable span); their
    /// uses in the body are not reported again.
    /// </summary>
    internal static bool IsRejectedParameter(IParameterSymbol p) =>
        p.RefKind != RefKind.None ||
        (IsWritableDoubleSpan(p.Type) is not null && !IsVectorOutput(p));

    /// <summary>
    /// True for <c>Span&lt;double&gt;</c>, false for another <c>Span&lt;T&gt;</c>, null for any other type.
    /// </summary>
    private static bool? IsWritableDoubleSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && named.ConstructedFrom.ToDisplayString() == "System.Span<T>"
            ? named.TypeArguments[0].SpecialType == SpecialType.System_Double
            : null;

    /// <summary>
    /// A vector-valued method: returns void and its last parameter is a <c>Span&lt;double&gt;</c>
    /// passed by value (not params) that receives its values.
    /// </summary>
    public static bool IsVectorValued(IMethodSymbol method) =>
        method.ReturnsVoid && method.Parameters.Length > 0 && method.Parameters[method.Parameters.Length - 1] is { RefKind: RefKind.None, IsParams: false } last &&
        IsWritableDoubleSpan(last.Type) == true;

    /// <summary>The result parameter of a vector-valued method.</summary>
    public static bool IsVectorOutput(IParameterSymbol p) =>
        p.ContainingSymbol is IMethodSymbol method && IsVectorValued(method) && p.Ordinal == method.Parameters.Length - 1;

    /// <summary>double, int and bool map to IR scalars; everything else is null.</summary>
    internal static IrType? ScalarType(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Double => IrType.Double,
        SpecialType.System_Int32 => IrType.Int,
        SpecialType.System_Boolean => IrType.Bool,
        _ => null,
    };

    /// <summary>The element type of double[]/int[] and ReadOnlySpan&lt;double/int&gt;, else null.</summary>
    internal static SpecialType? ArrayElementType(ITypeSymbol type)
    {
        ITypeSymbol? element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
            INamedTypeSymbol { IsGenericType: true } named when named.ConstructedFrom.ToDisplayString() == "System.ReadOnlySpan<T>" => named.TypeArguments[0],
            _ => null,
        };
        return element?.SpecialType is SpecialType.System_Double or SpecialType.System_Int32 ? element.SpecialType : null;
    }

    /// <summary>
    /// True when <paramref name="callee"/> leads back to the method being lowered through calls
    /// of [Differentiable] methods (recursion through other methods), found from their syntax.
    /// </summary>
    private bool LeadsBack(IMethodSymbol callee)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<IMethodSymbol>();
        stack.Push(callee.OriginalDefinition);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            if (_reachesMethod.TryGetValue(current, out var known))
            {
                if (known) return true;
                continue;
            }

            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                var node = reference.GetSyntax();
                var model = _compilation.GetSemanticModel(reference.SyntaxTree);
                foreach (var invocation in node.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
                {
                    if (model.GetSymbolInfo(invocation).Symbol is IMethodSymbol next && IsDifferentiable(next))
                    {
                        if (SymbolEqualityComparer.Default.Equals(next.OriginalDefinition, _method.OriginalDefinition))
                        {
                            _reachesMethod[callee.OriginalDefinition] = true;
                            return true;
                        }

                        stack.Push(next.OriginalDefinition);
                    }
                }
            }
        }

        _reachesMethod[callee.OriginalDefinition] = false;
        return false;
    }

    private void Report(DiagnosticDescriptor descriptor, IOperation op, params string[] args) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, op.Syntax.GetLocation(), args));

    private static string Describe(IOperation op)
    {
        var text = op.Syntax.ToString();
        if (text.Length > 60)
        {
            text = text.Substring(0, 57) + "...";
        }

        return "'" + text.Replace("\r", " ").Replace("\n", " ") + "'";
    }

    private string Declare(ILocalSymbol local)
    {
        if (_names.TryGetValue(local, out var existing))
        {
            return existing;
        }

        var name = local.Name;
        for (int i = 2; _usedNames.Contains(name); i++)
        {
            name = local.Name + "_" + i.ToString(CultureInfo.InvariantCulture);
        }

        _usedNames.Add(name);
        _names[local] = name;
        return name;
    }

    private string NameOf(ISymbol symbol) => _names.TryGetValue(symbol, out var name) ? name : symbol.Name;

    private static string SourceText(IOperation op)
    {
        var text = op.Syntax.ToString().Trim();
        var newline = text.IndexOf('\n');
        if (newline >= 0)
        {
            text = text.Substring(0, newline).TrimEnd() + " ...";
        }

        return text;
    }
}
