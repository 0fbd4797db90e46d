using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>Input checks of the decompositions, with messages that give the offending (row, column).</summary>
internal static class DecompositionGuard
{
    /// <summary>Throws <see cref="ArgumentException"/> for the first NaN or infinity in the matrix, or in its
    /// lower triangle (j &lt;= i) only when <paramref name="lowerTriangleOnly"/> is set.</summary>
    public static void Finite(Matrix a, bool lowerTriangleOnly, string paramName)
    {
        int rows = a.Rows, columns = a.Columns;
        ReadOnlySpan<double> data = a.Data;
        for (int i = 0; i < rows; i++)
        {
            var row = data.Slice(i * columns, lowerTriangleOnly ? Math.Min(i + 1, columns) : columns);
            for (int j = 0; j < row.Length; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"The {a.ShapeText} matrix contains {row[j]} at ({i}, {j}); only finite values are accepted."),
                        paramName);
                }
            }
        }
    }
}
