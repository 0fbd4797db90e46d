using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>Argument checks shared by the kernels and decompositions, with messages naming shapes.</summary>
internal static class Guard
{
    public static void Square(Matrix a, string paramName)
    {
        ArgumentNullException.ThrowIfNull(a, paramName);
        if (!a.IsSquare)
        {
            throw new ArgumentException($"The matrix must be square, but it is {a.ShapeText}.", paramName);
        }
    }

    public static void SameShape(Matrix a, Matrix b, string paramName)
    {
        if (a.Rows != b.Rows || a.Columns != b.Columns)
        {
            throw new ArgumentException($"Shape mismatch: {a.ShapeText} and {b.ShapeText}.", paramName);
        }
    }

    public static void Length(int expected, int actual, string what, string paramName)
    {
        if (expected != actual)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Shape mismatch: {what} needs length {expected}, but got length {actual}."),
                paramName);
        }
    }

    public static void Finite(ReadOnlySpan<double> values, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The input contains {values[i]} at index {i}; only finite values are accepted."),
                    paramName);
            }
        }
    }
}
