using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Dense linear-algebra kernels over spans of <see cref="double"/> (the BLAS Level 1, 2 and 3
/// operations the decompositions and the generated derivative code are built on). Matrices are
/// row-major: element (i, j) of a matrix with leading dimension <c>ld</c> is at <c>i * ld + j</c>.
/// </summary>
/// <remarks>
/// No kernel checks for NaN or infinity: IEEE 754 arithmetic propagates them, except where a
/// <c>beta</c> of zero is documented to mean "the output is not read".
/// </remarks>
public static partial class Kernels
{
    /// <summary>The dot product sum_i x[i] * y[i] (BLAS DDOT). Returns 0 for empty spans.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector, of the same length.</param>
    /// <returns>The dot product; NaN if any product is NaN (including 0 * infinity).</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        SameLength(x.Length, y.Length, nameof(y));
        return TensorPrimitives.Dot(x, y);
    }

    /// <summary>y = alpha * x + y, in place (BLAS DAXPY).</summary>
    /// <param name="alpha">The multiplier of <paramref name="x"/>.</param>
    /// <param name="x">The vector added.</param>
    /// <param name="y">The vector updated in place, of the same length as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    /// <remarks>NaN and infinity propagate; <paramref name="alpha"/> = 0 still computes 0 * x, so a NaN in x reaches y.</remarks>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        SameLength(x.Length, y.Length, nameof(y));
        TensorPrimitives.MultiplyAdd(x, alpha, y, y);
    }

    /// <summary>x = alpha * x, in place (BLAS DSCAL).</summary>
    /// <param name="alpha">The factor.</param>
    /// <param name="x">The vector scaled in place.</param>
    /// <remarks>Computed as a product, so 0 * NaN and 0 * infinity give NaN.</remarks>
    public static void Scale(double alpha, Span<double> x) => TensorPrimitives.Multiply(x, alpha, x);

    /// <summary>destination[i] = x[i] + y[i].</summary>
    /// <param name="x">The first operand.</param>
    /// <param name="y">The second operand, of the same length.</param>
    /// <param name="destination">The result, of the same length; it may be exactly <paramref name="x"/> or <paramref name="y"/> (in place) but must not partially overlap them.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> destination)
    {
        SameLength(x.Length, y.Length, nameof(y));
        SameLength(x.Length, destination.Length, nameof(destination));
        TensorPrimitives.Add(x, y, destination);
    }

    /// <summary>destination[i] = x[i] - y[i].</summary>
    /// <param name="x">The minuend.</param>
    /// <param name="y">The subtrahend, of the same length.</param>
    /// <param name="destination">The result, of the same length; it may be exactly <paramref name="x"/> or <paramref name="y"/> (in place) but must not partially overlap them.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Subtract(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> destination)
    {
        SameLength(x.Length, y.Length, nameof(y));
        SameLength(x.Length, destination.Length, nameof(destination));
        TensorPrimitives.Subtract(x, y, destination);
    }

    /// <summary>The element-wise (Hadamard) product destination[i] = x[i] * y[i].</summary>
    /// <param name="x">The first operand.</param>
    /// <param name="y">The second operand, of the same length.</param>
    /// <param name="destination">The result, of the same length; it may be exactly <paramref name="x"/> or <paramref name="y"/> (in place) but must not partially overlap them.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Hadamard(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> destination)
    {
        SameLength(x.Length, y.Length, nameof(y));
        SameLength(x.Length, destination.Length, nameof(destination));
        TensorPrimitives.Multiply(x, y, destination);
    }

    /// <summary>The sum of the elements (0 for an empty span). NaN and infinities propagate.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum, accumulated in several SIMD lanes, so the rounding differs slightly from a left-to-right loop.</returns>
    public static double Sum(ReadOnlySpan<double> x) => TensorPrimitives.Sum(x);

    /// <summary>
    /// The Euclidean norm sqrt(sum_i x[i]^2) (BLAS DNRM2), without overflow or harmful underflow:
    /// vectors whose squares would overflow (e.g. 1e200) or underflow (e.g. 1e-200) are rescaled by a
    /// power of two, so the result is accurate whenever it is representable.
    /// </summary>
    /// <param name="x">The vector.</param>
    /// <returns>0 for an empty or zero vector; NaN if any element is NaN; +infinity if any element is infinite (and none is NaN).</returns>
    public static double Norm2(ReadOnlySpan<double> x)
    {
        // Fast path: the plain sum of squares is exact enough when it neither overflowed nor fell into
        // the range where squares of the small elements could have been flushed or lost to underflow.
        double sumOfSquares = TensorPrimitives.SumOfSquares(x);
        if (double.IsNaN(sumOfSquares))
        {
            return double.NaN;
        }

        const double SmallestTrusted = 1e-270; // about 2^-897
        if (sumOfSquares >= SmallestTrusted && !double.IsPositiveInfinity(sumOfSquares))
        {
            return Math.Sqrt(sumOfSquares);
        }

        return ScaledNorm2(x);
    }

    private static double ScaledNorm2(ReadOnlySpan<double> x)
    {
        double largest = 0;
        foreach (double v in x)
        {
            double magnitude = Math.Abs(v);
            if (double.IsNaN(magnitude))
            {
                return double.NaN;
            }

            largest = Math.Max(largest, magnitude);
        }

        if (largest == 0 || double.IsPositiveInfinity(largest))
        {
            return largest;
        }

        // Scale by an exact power of two so the largest element lands in [1, 2): no rounding is
        // introduced by the scaling, and no square can overflow or lose significance to underflow.
        int exponent = Math.ILogB(largest);
        double sum = 0;
        foreach (double v in x)
        {
            double scaled = Math.ScaleB(v, -exponent);
            sum += scaled * scaled;
        }

        return Math.ScaleB(Math.Sqrt(sum), exponent);
    }

    private static void SameLength(int first, int second, string paramName)
    {
        if (first != second)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Length mismatch: the spans have lengths {first} and {second}."),
                paramName);
        }
    }
}
