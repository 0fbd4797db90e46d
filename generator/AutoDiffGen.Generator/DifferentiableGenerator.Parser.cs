using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Lowering;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator;

public sealed partial class DifferentiableGenerator
{
    /// <summary>Turns one [Differentiable] method into a <see cref="MethodModel"/>.</summary>
    internal static class Parser
    {
        public static ParsedMethod Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            var syntax = (MethodDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            var calls = new List<CallSite>();
            var nameLocation = syntax.Identifier.GetLocation();

            CheckDeclaration(method, syntax, nameLocation, diagnostics);

            var parameters = Lowerer.DescribeParameters(method);
            EquatableArray<Stmt> body = EquatableArray<Stmt>.Empty;
            EquatableArray<string> reserved = EquatableArray<string>.Empty;
            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoBody, nameLocation, method.Name));
            }
            else if (context.SemanticModel.GetOperation(syntax, cancellationToken) is { } operation)
            {
                (body, reserved) = Lowerer.Lower(method, operation, context.SemanticModel.Compilation, diagnostics, calls);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var containingTypes = new List<string>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                containingTypes.Insert(0, "partial " + TypeKeyword(type) + " " + type.Name);
            }

            var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            var model = new MethodModel(
                ns,
                containingTypes.ToEquatableArray(),
                method.Name,
                Accessibility(method.DeclaredAccessibility),
                parameters,
                body,
                reserved,
                HintName(method),
                diagnostics.ToEquatableArray(),
                method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name,
                Lowerer.IsVectorValued(method) ? method.Parameters[method.Parameters.Length - 1].Name : null);
            return new ParsedMethod(model, calls.ToEquatableArray());
        }

        private static void CheckDeclaration(IMethodSymbol method, MethodDeclarationSyntax syntax, Location nameLocation, List<DiagnosticInfo> diagnostics)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                bool isPartial = type.DeclaringSyntaxReferences
                    .Select(r => r.GetSyntax())
                    .OfType<TypeDeclarationSyntax>()
                    .Any(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, nameLocation, type.Name, method.Name));
                }

                if (type.IsGenericType)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNotSupported, nameLocation, type.Name));
                }
            }

            if (!method.IsStatic)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotStatic, nameLocation, method.Name));
            }

            if (method.IsGenericMethod)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNotSupported, nameLocation, method.Name));
            }

            bool vectorValued = Lowerer.IsVectorValued(method);
            if (!vectorValued && (method.ReturnType.SpecialType != SpecialType.System_Double || method.ReturnsByRef || method.ReturnsByRefReadonly))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReturnTypeNotDouble, syntax.ReturnType.GetLocation(), method.Name, method.ReturnType.ToDisplayString()));
            }

            foreach (var p in method.Parameters)
            {
                var location = p.Locations.FirstOrDefault() ?? nameLocation;
                if (p.RefKind != RefKind.None)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter, location, p.Name, "is passed by " + p.RefKind.ToString().ToLowerInvariant()));
                }
                else if (p.IsParams)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter, location, p.Name, "is a params array"));
                }
                else if (p.Type is INamedTypeSymbol { IsGenericType: true } named && named.ConstructedFrom.ToDisplayString() == "System.Span<T>" && !Lowerer.IsVectorOutput(p))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter, location, p.Name, "is a writable Span (inputs are read-only; use ReadOnlySpan<double>)"));
                }
            }

            foreach (var suffix in vectorValued ? VectorCompanionSuffixes : CompanionSuffixes)
            {
                var name = method.Name + suffix;
                if (method.ContainingType is { } containing && containing.GetMembers(name).Any(m => !m.IsImplicitlyDeclared))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CompanionNameTaken, nameLocation, containing.Name, name, method.Name));
                }
            }
        }

        /// <summary>Name suffixes of the companions of a method returning double.</summary>
        private static readonly string[] CompanionSuffixes = ["Jvp", "Gradient", "Pullback", "Hvp", "Hessian", "PullbackJvp"];

        /// <summary>Name suffixes of the companions of a vector-valued method.</summary>
        private static readonly string[] VectorCompanionSuffixes = ["Jvp", "Vjp", "Jacobian"];

        private static string TypeKeyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };

        private static string Accessibility(Accessibility accessibility) => accessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        private static string HintName(IMethodSymbol method)
        {
            var type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
            var overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().ToList();
            var suffix = overloads.Count > 1 ? "_" + overloads.IndexOf(method).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
            return type + "." + method.Name + suffix + ".g.cs";
        }
    }
}
