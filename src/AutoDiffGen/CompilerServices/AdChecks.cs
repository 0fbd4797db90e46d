using System;
using System.ComponentModel;
using System.Globalization;

namespace AutoDiffGen.CompilerServices;

/// <summary>Argument checks of generated companions.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AdChecks
{
    /// <summary>Throws when a tangent or gradient span's length differs from its parameter's.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void SameLength(int parameterLength, int slotLength, string slotName, string parameterName)
    {
        if (parameterLength != slotLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"'{slotName}' has length {slotLength}, but '{parameterName}' has length {parameterLength}; they must be equal."),
                slotName);
        }
    }

    /// <summary>Throws when a matrix span's length is not <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public static void MatrixLength(int rows, int columns, int slotLength, string slotName)
    {
        long needed = (long)rows * columns;
        if (needed != slotLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"'{slotName}' has length {slotLength}, but a {rows} x {columns} matrix has {needed} elements; they must be equal."),
                slotName);
        }
    }
}
