using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Thrown by the QR least-squares solve when R has an exactly zero diagonal entry, so the columns of
/// the matrix are linearly dependent and the least-squares solution is not unique.
/// <see cref="Column"/> is the zero-based index of the first such diagonal entry.
/// </summary>
public sealed class RankDeficientMatrixException : InvalidOperationException
{
    /// <summary>Creates the exception for a zero diagonal entry of R at <paramref name="column"/>.</summary>
    public RankDeficientMatrixException(int column)
        : base(string.Create(CultureInfo.InvariantCulture, $"The matrix is rank deficient: R[{column}, {column}] is zero, so column {column} depends on the columns before it and the least-squares solution is not unique."))
    {
        Column = column;
    }

    /// <summary>Zero-based index of the first zero diagonal entry of R.</summary>
    public int Column { get; }
}
