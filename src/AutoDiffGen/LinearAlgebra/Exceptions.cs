using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Thrown by LU-based solves and inverses when the matrix is exactly singular (a zero pivot),
/// so no unique solution exists. <see cref="Pivot"/> is the zero-based step at which it was found.
/// </summary>
public sealed class SingularMatrixException : InvalidOperationException
{
    /// <summary>Creates the exception for a zero pivot at <paramref name="pivot"/>.</summary>
    public SingularMatrixException(int pivot)
        : base(string.Create(CultureInfo.InvariantCulture, $"The matrix is singular: pivot {pivot} is zero, so the system has no unique solution."))
    {
        Pivot = pivot;
    }

    /// <summary>Zero-based index of the first zero pivot.</summary>
    public int Pivot { get; }
}

/// <summary>
/// Thrown by the Cholesky factorisation when the matrix is not (numerically) symmetric positive
/// definite: the diagonal entry of the factor at <see cref="Pivot"/> would be the square root of a
/// value that is not positive.
/// </summary>
public sealed class MatrixNotPositiveDefiniteException : InvalidOperationException
{
    /// <summary>Creates the exception for the failing pivot and the value found there.</summary>
    public MatrixNotPositiveDefiniteException(int pivot, double value)
        : base(string.Create(CultureInfo.InvariantCulture, $"The matrix is not positive definite: at pivot {pivot} the remaining diagonal value is {value:R}, which is not positive."))
    {
        Pivot = pivot;
        Value = value;
    }

    /// <summary>Zero-based index of the leading minor that is not positive definite.</summary>
    public int Pivot { get; }

    /// <summary>The non-positive value found on the diagonal at <see cref="Pivot"/>.</summary>
    public double Value { get; }
}
