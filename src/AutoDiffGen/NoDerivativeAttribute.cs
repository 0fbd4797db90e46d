namespace AutoDiffGen;

/// <summary>
/// Excludes a parameter of a <see cref="DifferentiableAttribute"/> method from differentiation:
/// it is passed through to the companions unchanged, gets no tangent or gradient slot, and is
/// treated as a constant (data) by the generated derivatives.
/// </summary>
[System.AttributeUsage(System.AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : System.Attribute
{
}
