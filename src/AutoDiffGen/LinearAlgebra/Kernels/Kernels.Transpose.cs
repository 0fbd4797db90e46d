using System;
using System.Globalization;

namespace AutoDiffGen.LinearAlgebra;

public static partial class Kernels
{
    // 32 x 32 doubles = 8 KiB per tile: a source tile and a destination tile fit in L1 together, so
    // the strided side of the copy reuses each cache line 8 times instead of once.
    private const int TransposeBlock = 32;

    /// <summary>
    /// Out-of-place transpose: destination (columns x rows) = source (rows x columns)^T, both dense
    /// row-major (the BLAS-like extension DOMATCOPY with TRANS = 'T'). Values are copied bit for bit,
    /// so NaN and infinity are preserved.
    /// </summary>
    /// <param name="rows">Rows of the source (columns of the destination).</param>
    /// <param name="columns">Columns of the source (rows of the destination).</param>
    /// <param name="source">The source, length rows * columns.</param>
    /// <param name="destination">The destination, length rows * columns; it must not overlap the source.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">A span length is not rows * columns, or the spans overlap.</exception>
    public static void Transpose(int rows, int columns, ReadOnlySpan<double> source, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long length = (long)rows * columns;
        if (source.Length != length || destination.Length != length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Length mismatch: a {rows} x {columns} transpose needs spans of length {length}, but got {source.Length} (source) and {destination.Length} (destination)."),
                source.Length != length ? nameof(source) : nameof(destination));
        }

        if (length > 0 && source.Overlaps(destination))
        {
            throw new ArgumentException("The source and destination of an out-of-place transpose must not overlap.", nameof(destination));
        }

        for (int i0 = 0; i0 < rows; i0 += TransposeBlock)
        {
            int i1 = Math.Min(rows, i0 + TransposeBlock);
            for (int j0 = 0; j0 < columns; j0 += TransposeBlock)
            {
                int j1 = Math.Min(columns, j0 + TransposeBlock);
                for (int i = i0; i < i1; i++)
                {
                    ReadOnlySpan<double> sourceRow = source.Slice(i * columns, columns);
                    for (int j = j0; j < j1; j++)
                    {
                        destination[(j * rows) + i] = sourceRow[j];
                    }
                }
            }
        }
    }
}
