using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports; one section per id in docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AutoDiffGen";
    private const string HelpBase = "docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor TypeNotPartial = Make(
        "ADG0001",
        "Containing type must be partial",
        "Type '{0}' must be declared partial so that the companions of '{1}' can be generated beside it; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor MethodNotStatic = Make(
        "ADG0002",
        "Differentiable method must be static",
        "Method '{0}' must be static to be [Differentiable]; make it static and pass any state as parameters");

    public static readonly DiagnosticDescriptor GenericNotSupported = Make(
        "ADG0003",
        "Generic methods and types are not supported",
        "'{0}' is generic; [Differentiable] methods and their containing types must not have type parameters");

    public static readonly DiagnosticDescriptor ReturnTypeNotDouble = Make(
        "ADG0004",
        "Differentiable method must return double",
        "Method '{0}' returns '{1}'; a [Differentiable] method must return double, or return void and write its values into a last parameter Span<double>");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Make(
        "ADG0005",
        "Unsupported parameter",
        "Parameter '{0}' {1}; pass it by value, or mark it [NoDerivative] if it is data");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Make(
        "ADG0006",
        "Unsupported statement",
        "{0} cannot be differentiated; rewrite it with if/else, loops, break, continue or return");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Make(
        "ADG0007",
        "Unsupported expression",
        "{0} cannot be differentiated; use double, int and bool arithmetic, array elements, System.Math and calls to [Differentiable] methods");

    public static readonly DiagnosticDescriptor UnsupportedCall = Make(
        "ADG0008",
        "Call to a method without derivative",
        "'{0}' is neither a System.Math function with a derivative nor a [Differentiable] method; mark it [Differentiable] or compute the value outside and pass it in as a [NoDerivative] parameter");

    public static readonly DiagnosticDescriptor ParameterArrayWrite = Make(
        "ADG0009",
        "Write to a parameter array",
        "Parameter '{0}' is read-only inside a [Differentiable] method; copy it into a local array (new double[n]) and write to that");

    public static readonly DiagnosticDescriptor Recursion = Make(
        "ADG0010",
        "Recursive call",
        "'{0}' calls itself, directly or through other [Differentiable] methods; recursion is not supported, rewrite it as a loop");

    public static readonly DiagnosticDescriptor UnsupportedLocalType = Make(
        "ADG0011",
        "Unsupported local variable type",
        "Local '{0}' has type '{1}'; locals of a [Differentiable] method must be double, int, bool or double[]");

    public static readonly DiagnosticDescriptor UnsupportedArrayUse = Make(
        "ADG0012",
        "Unsupported array use",
        "{0}; a local array must be declared as 'double[] name = new double[n]' (or with an initializer list) and never reassigned or aliased");

    public static readonly DiagnosticDescriptor NoBody = Make(
        "ADG0013",
        "Method has no body",
        "Method '{0}' has no body to differentiate; give it a block or expression body");

    public static readonly DiagnosticDescriptor UnsupportedMathFunction = Make(
        "ADG0014",
        "System.Math function not supported",
        "'Math.{0}' with these argument types has no derivative rule; see the supported functions in the README");

    public static readonly DiagnosticDescriptor AssignmentInExpression = Make(
        "ADG0015",
        "Assignment inside an expression",
        "{0} is used as a value; write assignments, '++' and '--' as statements of their own");

    public static readonly DiagnosticDescriptor CompanionNameTaken = Make(
        "ADG0016",
        "Companion name already declared",
        "Type '{0}' already declares '{1}', the name of a generated companion of '{2}'; rename one of them");

    public static readonly DiagnosticDescriptor CalleeHasErrors = Make(
        "ADG0017",
        "Called [Differentiable] method has errors",
        "'{0}' is [Differentiable] but has errors of its own, so it has no companions to call; fix the errors reported on '{0}'");

    public static readonly DiagnosticDescriptor VectorValuedCall = Make(
        "ADG0018",
        "Call of a vector-valued method",
        "'{0}' is a vector-valued [Differentiable] method (it returns void and writes a Span<double>); [Differentiable] methods cannot call it: call a method that returns double, or compute its values outside and pass them in");

    public static readonly DiagnosticDescriptor UnsupportedResultUse = Make(
        "ADG0019",
        "Unsupported use of the result span",
        "{0}; the result span of a vector-valued method can only be indexed (read and written), have its Length read, be enumerated with foreach, or be passed to a ReadOnlySpan<double> parameter");

    private static readonly Dictionary<string, DiagnosticDescriptor> ByIdMap =
        new[]
        {
            TypeNotPartial, MethodNotStatic, GenericNotSupported, ReturnTypeNotDouble, UnsupportedParameter,
            UnsupportedStatement, UnsupportedExpression, UnsupportedCall, ParameterArrayWrite, Recursion,
            UnsupportedLocalType, UnsupportedArrayUse, NoBody, UnsupportedMathFunction, AssignmentInExpression,
            CompanionNameTaken, CalleeHasErrors, VectorValuedCall, UnsupportedResultUse,
        }.ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> All => ByIdMap.Values;

    public static DiagnosticDescriptor ById(string id) => ByIdMap[id];

    private static DiagnosticDescriptor Make(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
