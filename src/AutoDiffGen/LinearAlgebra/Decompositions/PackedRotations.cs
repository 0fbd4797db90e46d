using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Applies long sequences of plane rotations to the rows of a row-major matrix (the eigenvector and
/// singular-vector updates of the QL/QR iterations) in a cache-friendly order. Rotating whole rows one
/// rotation at a time streams the entire matrix through the cache once per sweep; instead the matrix is
/// repacked into column strips of 8 doubles (one 512-bit vector per row), rotations are recorded, and each
/// recorded batch is replayed strip by strip while the strip (rows x 64 bytes) stays in L1.
/// This is the blocked rotation application that LAPACK's LASR-based codes approximate.
/// </summary>
internal sealed class PackedRotations
{
    private const int Width = 8;
    private const int BatchCapacity = 8192;

    private readonly double[] _packed;
    private readonly int _rows;
    private readonly int _cols;
    private readonly int _strips;
    private readonly int[] _x = new int[BatchCapacity];
    private readonly int[] _y = new int[BatchCapacity];
    private readonly double[] _c = new double[BatchCapacity];
    private readonly double[] _s = new double[BatchCapacity];
    private int _count;

    /// <summary>Packs the rows x cols row-major matrix held in <paramref name="rowMajor"/>.</summary>
    public PackedRotations(double[] rowMajor, int rows, int cols)
    {
        _rows = rows;
        _cols = cols;
        _strips = (cols + Width - 1) / Width;
        _packed = new double[_strips * rows * Width];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < cols; j++)
            {
                _packed[Index(r, j)] = rowMajor[(r * cols) + j];
            }
        }
    }

    /// <summary>
    /// Records the rotation x' = c x + s y, y' = c y - s x of rows <paramref name="rowX"/> and
    /// <paramref name="rowY"/>; rotations take effect in the order recorded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rotate(int rowX, int rowY, double c, double s)
    {
        if (s == 0.0 && c == 1.0)
        {
            return;
        }

        _x[_count] = rowX;
        _y[_count] = rowY;
        _c[_count] = c;
        _s[_count] = s;
        if (++_count == BatchCapacity)
        {
            Flush();
        }
    }

    /// <summary>Applies all recorded rotations.</summary>
    public void Flush()
    {
        int count = _count;
        _count = 0;
        if (count == 0)
        {
            return;
        }

        int stripSize = _rows * Width;
        int strip = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Within one strip the rotations of a sweep form a dependency chain (each uses the row the
            // previous one produced), so four strips are rotated together to keep the FMA units busy.
            for (; strip + 4 <= _strips; strip += 4)
            {
                Apply4(ref _packed[strip * stripSize], stripSize, count);
            }
        }

        for (; strip < _strips; strip++)
        {
            ref double baseRef = ref _packed[strip * stripSize];
            if (Vector512.IsHardwareAccelerated)
            {
                // Consecutive rotations of a QL/QR sweep share a row ((i, i+1) then (i-1, i), or
                // (k, k+1) then (k+1, k+2)); that row is taken from the register just computed instead
                // of being reloaded right after its store, which would stall on store forwarding.
                int prevX = -1, prevY = -1;
                var nx = Vector512<double>.Zero;
                var ny = Vector512<double>.Zero;
                for (int t = 0; t < count; t++)
                {
                    int ix = _x[t], iy = _y[t];
                    ref double xr = ref Unsafe.Add(ref baseRef, ix * Width);
                    ref double yr = ref Unsafe.Add(ref baseRef, iy * Width);
                    var x = ix == prevY ? ny : ix == prevX ? nx : Vector512.LoadUnsafe(ref xr);
                    var y = iy == prevX ? nx : iy == prevY ? ny : Vector512.LoadUnsafe(ref yr);
                    var c = Vector512.Create(_c[t]);
                    var s = Vector512.Create(_s[t]);
                    nx = Vector512.FusedMultiplyAdd(c, x, s * y);
                    ny = Vector512.FusedMultiplyAdd(c, y, -(s * x));
                    nx.StoreUnsafe(ref xr);
                    ny.StoreUnsafe(ref yr);
                    prevX = ix;
                    prevY = iy;
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (int t = 0; t < count; t++)
                {
                    ref double xr = ref Unsafe.Add(ref baseRef, _x[t] * Width);
                    ref double yr = ref Unsafe.Add(ref baseRef, _y[t] * Width);
                    var c = Vector256.Create(_c[t]);
                    var s = Vector256.Create(_s[t]);
                    var x0 = Vector256.LoadUnsafe(ref xr);
                    var y0 = Vector256.LoadUnsafe(ref yr);
                    var x1 = Vector256.LoadUnsafe(ref xr, 4);
                    var y1 = Vector256.LoadUnsafe(ref yr, 4);
                    Vector256.FusedMultiplyAdd(c, x0, s * y0).StoreUnsafe(ref xr);
                    Vector256.FusedMultiplyAdd(c, y0, -(s * x0)).StoreUnsafe(ref yr);
                    Vector256.FusedMultiplyAdd(c, x1, s * y1).StoreUnsafe(ref xr, 4);
                    Vector256.FusedMultiplyAdd(c, y1, -(s * x1)).StoreUnsafe(ref yr, 4);
                }
            }
            else
            {
                Span<double> block = MemoryMarshal.CreateSpan(ref baseRef, stripSize);
                for (int t = 0; t < count; t++)
                {
                    Span<double> x = block.Slice(_x[t] * Width, Width);
                    Span<double> y = block.Slice(_y[t] * Width, Width);
                    double c = _c[t], s = _s[t];
                    for (int k = 0; k < Width; k++)
                    {
                        double xv = x[k], yv = y[k];
                        x[k] = (c * xv) + (s * yv);
                        y[k] = (c * yv) - (s * xv);
                    }
                }
            }
        }
    }

    /// <summary>Replays the first <paramref name="count"/> recorded rotations on four adjacent strips at once.</summary>
    private void Apply4(ref double b0, int stripSize, int count)
    {
        ref double b1 = ref Unsafe.Add(ref b0, stripSize);
        ref double b2 = ref Unsafe.Add(ref b1, stripSize);
        ref double b3 = ref Unsafe.Add(ref b2, stripSize);
        int prevX = -1, prevY = -1;
        Vector512<double> nx0 = default, ny0 = default, nx1 = default, ny1 = default;
        Vector512<double> nx2 = default, ny2 = default, nx3 = default, ny3 = default;
        for (int t = 0; t < count; t++)
        {
            int ix = _x[t], iy = _y[t];
            nuint ox = (nuint)(ix * Width), oy = (nuint)(iy * Width);
            var c = Vector512.Create(_c[t]);
            var s = Vector512.Create(_s[t]);
            var ns = Vector512.Create(-_s[t]);
            Vector512<double> x0, x1, x2, x3, y0, y1, y2, y3;

            // Reuse the row just produced instead of reloading it (see Flush).
            if (ix == prevY)
            {
                (x0, x1, x2, x3) = (ny0, ny1, ny2, ny3);
            }
            else if (ix == prevX)
            {
                (x0, x1, x2, x3) = (nx0, nx1, nx2, nx3);
            }
            else
            {
                x0 = Vector512.LoadUnsafe(ref b0, ox);
                x1 = Vector512.LoadUnsafe(ref b1, ox);
                x2 = Vector512.LoadUnsafe(ref b2, ox);
                x3 = Vector512.LoadUnsafe(ref b3, ox);
            }

            if (iy == prevX)
            {
                (y0, y1, y2, y3) = (nx0, nx1, nx2, nx3);
            }
            else if (iy == prevY)
            {
                (y0, y1, y2, y3) = (ny0, ny1, ny2, ny3);
            }
            else
            {
                y0 = Vector512.LoadUnsafe(ref b0, oy);
                y1 = Vector512.LoadUnsafe(ref b1, oy);
                y2 = Vector512.LoadUnsafe(ref b2, oy);
                y3 = Vector512.LoadUnsafe(ref b3, oy);
            }

            nx0 = Vector512.FusedMultiplyAdd(c, x0, s * y0);
            ny0 = Vector512.FusedMultiplyAdd(ns, x0, c * y0);
            nx1 = Vector512.FusedMultiplyAdd(c, x1, s * y1);
            ny1 = Vector512.FusedMultiplyAdd(ns, x1, c * y1);
            nx2 = Vector512.FusedMultiplyAdd(c, x2, s * y2);
            ny2 = Vector512.FusedMultiplyAdd(ns, x2, c * y2);
            nx3 = Vector512.FusedMultiplyAdd(c, x3, s * y3);
            ny3 = Vector512.FusedMultiplyAdd(ns, x3, c * y3);

            // A row that the next rotation takes over from the registers is rewritten there, so its
            // store here would be dead; skipping it halves the stores along a sweep's chain.
            int nextX = t + 1 < count ? _x[t + 1] : -1;
            int nextY = t + 1 < count ? _y[t + 1] : -1;
            if (ix != nextX && ix != nextY)
            {
                nx0.StoreUnsafe(ref b0, ox);
                nx1.StoreUnsafe(ref b1, ox);
                nx2.StoreUnsafe(ref b2, ox);
                nx3.StoreUnsafe(ref b3, ox);
            }

            if (iy != nextX && iy != nextY)
            {
                ny0.StoreUnsafe(ref b0, oy);
                ny1.StoreUnsafe(ref b1, oy);
                ny2.StoreUnsafe(ref b2, oy);
                ny3.StoreUnsafe(ref b3, oy);
            }

            prevX = ix;
            prevY = iy;
        }
    }

    /// <summary>Applies pending rotations and writes the matrix back in row-major order.</summary>
    public void Unpack(double[] rowMajor)
    {
        Flush();
        for (int r = 0; r < _rows; r++)
        {
            for (int j = 0; j < _cols; j++)
            {
                rowMajor[(r * _cols) + j] = _packed[Index(r, j)];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Index(int row, int col) => ((((col / Width) * _rows) + row) * Width) + (col % Width);
}
