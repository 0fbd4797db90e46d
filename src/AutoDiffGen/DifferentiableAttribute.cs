namespace AutoDiffGen;

/// <summary>
/// Marks a static method of a partial type as differentiable. At build time the AutoDiffGen
/// source generator emits companion methods beside it in the same type:
/// <c>MJvp</c> (forward mode: value and directional derivative) and <c>MGradient</c>
/// (reverse mode: value and gradient with respect to every differentiable parameter).
/// </summary>
/// <remarks>
/// A differentiable parameter has type <see cref="double"/>, <c>double[]</c> or
/// <see cref="System.ReadOnlySpan{T}"/> of <see cref="double"/> and is not marked
/// <see cref="NoDerivativeAttribute"/>. Other parameters pass through unchanged.
/// The method must return <see cref="double"/>. Constructs the generator cannot differentiate are
/// reported as compile errors with ids ADG0001 and up (see docs/diagnostics.md).
/// </remarks>
[System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : System.Attribute
{
}
