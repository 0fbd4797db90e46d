using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator;

/// <summary>Emits forward- and reverse-mode companions for methods marked [Differentiable].</summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
