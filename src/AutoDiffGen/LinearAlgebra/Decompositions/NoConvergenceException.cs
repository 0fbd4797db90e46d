using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Thrown when an iterative decomposition (the implicit QL iteration of
/// <see cref="SymmetricEigenDecomposition"/> or the implicit-shift QR iteration of
/// <see cref="SingularValueDecomposition"/>) does not converge within its documented iteration limit.
/// With finite input this is not expected to happen; it signals a defect or pathological rounding.
/// </summary>
public sealed class NoConvergenceException : InvalidOperationException
{
    /// <summary>Creates the exception naming the algorithm and the iteration limit that was reached.</summary>
    public NoConvergenceException(string algorithm, int iterationLimit)
        : base(string.Create(CultureInfo.InvariantCulture, $"{algorithm} did not converge within {iterationLimit} iterations."))
    {
        Algorithm = algorithm;
        IterationLimit = iterationLimit;
    }

    /// <summary>Name of the iteration that failed to converge.</summary>
    public string Algorithm { get; }

    /// <summary>The iteration limit that was reached.</summary>
    public int IterationLimit { get; }
}
