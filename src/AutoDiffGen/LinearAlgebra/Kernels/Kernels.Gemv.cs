using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace AutoDiffGen.LinearAlgebra;

public static partial class Kernels
{
    /// <summary>
    /// The matrix-vector product y = alpha * A * x + beta * y (BLAS DGEMV with TRANS = 'N'), for a
    /// dense row-major m x n matrix A stored with leading dimension n.
    /// </summary>
    /// <param name="m">Rows of A and length of <paramref name="y"/>.</param>
    /// <param name="n">Columns of A and length of <paramref name="x"/>.</param>
    /// <param name="alpha">The multiplier of A * x.</param>
    /// <param name="a">A, row-major, length m * n.</param>
    /// <param name="x">The vector multiplied, length n.</param>
    /// <param name="beta">The multiplier of the old y. When it is 0, y is not read, so NaN or infinity in it does not propagate.</param>
    /// <param name="y">The result, length m, updated in place; it must not overlap <paramref name="a"/> or <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">m or n is negative.</exception>
    /// <exception cref="ArgumentException">A span length does not match the shape, or y overlaps A or x.</exception>
    public static void Gemv(int m, int n, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> x, double beta, Span<double> y)
        => Gemv(m, n, alpha, a, n, x, beta, y);

    /// <summary>
    /// The matrix-vector product y = alpha * A * x + beta * y (BLAS DGEMV with TRANS = 'N'), for a
    /// row-major m x n matrix A whose rows start <paramref name="lda"/> elements apart.
    /// </summary>
    /// <param name="m">Rows of A and length of <paramref name="y"/>.</param>
    /// <param name="n">Columns of A and length of <paramref name="x"/>.</param>
    /// <param name="alpha">The multiplier of A * x.</param>
    /// <param name="a">A, row-major: element (i, j) at i * lda + j; at least (m - 1) * lda + n elements when m and n are positive.</param>
    /// <param name="lda">The leading dimension of A, at least n.</param>
    /// <param name="x">The vector multiplied, length n.</param>
    /// <param name="beta">The multiplier of the old y. When it is 0, y is not read, so NaN or infinity in it does not propagate.</param>
    /// <param name="y">The result, length m, updated in place; it must not overlap <paramref name="a"/> or <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">m or n is negative.</exception>
    /// <exception cref="ArgumentException">lda is smaller than n, a span length does not match the shape, or y overlaps A or x.</exception>
    public static void Gemv(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        CheckStoredMatrix(m, n, a.Length, lda, "A", nameof(a));
        VectorLength(n, x.Length, "x", "the number of columns of A", nameof(x));
        VectorLength(m, y.Length, "y", "the number of rows of A", nameof(y));
        NoOverlap(y, a, x);
        for (int i = 0; i < m; i++)
        {
            double product = n == 0 ? 0.0 : TensorPrimitives.Dot(a.Slice(i * lda, n), x);
            y[i] = beta == 0 ? alpha * product : (alpha * product) + (beta * y[i]);
        }
    }

    /// <summary>
    /// The transposed matrix-vector product y = alpha * A^T * x + beta * y (BLAS DGEMV with
    /// TRANS = 'T'), for a dense row-major m x n matrix A stored with leading dimension n.
    /// </summary>
    /// <param name="m">Rows of A and length of <paramref name="x"/>.</param>
    /// <param name="n">Columns of A and length of <paramref name="y"/>.</param>
    /// <param name="alpha">The multiplier of A^T * x.</param>
    /// <param name="a">A, row-major, length m * n.</param>
    /// <param name="x">The vector multiplied, length m.</param>
    /// <param name="beta">The multiplier of the old y. When it is 0, y is not read, so NaN or infinity in it does not propagate.</param>
    /// <param name="y">The result, length n, updated in place; it must not overlap <paramref name="a"/> or <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">m or n is negative.</exception>
    /// <exception cref="ArgumentException">A span length does not match the shape, or y overlaps A or x.</exception>
    public static void GemvTransposed(int m, int n, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> x, double beta, Span<double> y)
        => GemvTransposed(m, n, alpha, a, n, x, beta, y);

    /// <summary>
    /// The transposed matrix-vector product y = alpha * A^T * x + beta * y (BLAS DGEMV with
    /// TRANS = 'T'), for a row-major m x n matrix A whose rows start <paramref name="lda"/> elements apart.
    /// </summary>
    /// <param name="m">Rows of A and length of <paramref name="x"/>.</param>
    /// <param name="n">Columns of A and length of <paramref name="y"/>.</param>
    /// <param name="alpha">The multiplier of A^T * x.</param>
    /// <param name="a">A, row-major: element (i, j) at i * lda + j; at least (m - 1) * lda + n elements when m and n are positive.</param>
    /// <param name="lda">The leading dimension of A, at least n.</param>
    /// <param name="x">The vector multiplied, length m.</param>
    /// <param name="beta">The multiplier of the old y. When it is 0, y is not read, so NaN or infinity in it does not propagate.</param>
    /// <param name="y">The result, length n, updated in place; it must not overlap <paramref name="a"/> or <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">m or n is negative.</exception>
    /// <exception cref="ArgumentException">lda is smaller than n, a span length does not match the shape, or y overlaps A or x.</exception>
    public static void GemvTransposed(int m, int n, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        CheckStoredMatrix(m, n, a.Length, lda, "A", nameof(a));
        VectorLength(m, x.Length, "x", "the number of rows of A", nameof(x));
        VectorLength(n, y.Length, "y", "the number of columns of A", nameof(y));
        NoOverlap(y, a, x);
        if (beta == 0)
        {
            y.Clear();
        }
        else if (beta != 1)
        {
            TensorPrimitives.Multiply(y, beta, y);
        }

        // Row-major A^T x is a sum of scaled rows: streaming each row once keeps the access contiguous.
        for (int i = 0; i < m; i++)
        {
            TensorPrimitives.MultiplyAdd(a.Slice(i * lda, n), alpha * x[i], y, y);
        }
    }

    private static void NoOverlap(ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> x)
    {
        if (!y.IsEmpty && ((!a.IsEmpty && y.Overlaps(a)) || (!x.IsEmpty && y.Overlaps(x))))
        {
            throw new ArgumentException("y must not overlap A or x: it is written while they are still being read.", nameof(y));
        }
    }

    private static void VectorLength(int expected, int actual, string name, string what, string paramName)
    {
        if (expected != actual)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Length mismatch: {name} has length {actual}, but {what} is {expected}."),
                paramName);
        }
    }

    /// <summary>Checks a row-major rows x columns operand stored with leading dimension ld in a span of the given length.</summary>
    private static void CheckStoredMatrix(int rows, int columns, int length, int ld, string name, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (ld < columns || ld < 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The leading dimension of {name} is {ld}, but {name} is stored as {rows} x {columns}, so it must be at least {columns}."),
                paramName);
        }

        long needed = rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * ld) + columns;
        if (length < needed)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{name} is stored as {rows} x {columns} with leading dimension {ld}, which needs at least {needed} elements, but the span has {length}."),
                paramName);
        }
    }
}
