using System;
using System.ComponentModel;
using System.Globalization;

namespace AutoDiffGen.CompilerServices;

/// <summary>Support of the generated <c>MHessian</c> companions.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AdHessian
{
    /// <summary>Throws unless <paramref name="hessianLength"/> is <paramref name="size"/> squared.</summary>
    /// <param name="hessianLength">Length of the span receiving the Hessian.</param>
    /// <param name="size">Number of differentiable inputs N (the Hessian is N x N).</param>
    /// <param name="hessianName">Name of that span's parameter.</param>
    /// <exception cref="ArgumentException">The span does not hold N x N values.</exception>
    public static void CheckLength(int hessianLength, int size, string hessianName)
    {
        long expected = (long)size * size;
        if (hessianLength != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"'{hessianName}' has length {hessianLength}, but the Hessian over {size} differentiable inputs needs {size} x {size} = {expected}."),
                hessianName);
        }
    }

    /// <summary>
    /// Replaces the row-major <paramref name="size"/> x <paramref name="size"/> matrix by the mean
    /// of it and its transpose. Both entries of a pair get the same rounded sum, so the result is
    /// symmetric to the last bit.
    /// </summary>
    public static void Symmetrize(Span<double> matrix, int size)
    {
        for (int i = 0; i < size; i++)
        {
            for (int j = i + 1; j < size; j++)
            {
                double mean = 0.5 * (matrix[(i * size) + j] + matrix[(j * size) + i]);
                matrix[(i * size) + j] = mean;
                matrix[(j * size) + i] = mean;
            }
        }
    }
}
