using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Generator.Model;

/// <summary>
/// A diagnostic as plain data (no SyntaxTree or Location), so it can travel through the
/// incremental pipeline and compare by value. Must stay equatable.
/// </summary>
internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Args)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        var path = location?.SourceTree?.FilePath ?? string.Empty;
        var span = location?.SourceSpan ?? default;
        var lineSpan = location is null ? default : location.GetLineSpan().Span;
        return new DiagnosticInfo(descriptor.Id, path, span, lineSpan, EquatableArray.Of(args));
    }

    public Diagnostic ToDiagnostic()
    {
        var descriptor = Diagnostics.DiagnosticDescriptors.ById(Id);
        var location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);
        return Diagnostic.Create(descriptor, location, [.. Args.Items]);
    }
}
