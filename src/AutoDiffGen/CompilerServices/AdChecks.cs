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
}
