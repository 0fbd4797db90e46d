using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Small vectorised building blocks shared by the spectral decompositions (eigen, SVD, skeleton, CP):
/// Householder reflector generation and application to contiguous rows, the fused symmetric row kernels
/// of the tridiagonal reduction, plane-rotation parameters, a range-safe norm,
/// and a simple row-oriented matrix product for the small products the decompositions need.
/// Everything works on contiguous spans so that the row-major storage is read with unit stride.
/// </summary>
internal static class SpectralKernels
{
    /// <summary>Machine epsilon of double, 2^-52: the gap between 1 and the next larger double.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>Magnitudes below this (the smallest normal double over eps, about 1e-292) get rescaled first.</summary>
    public const double TinyScale = 2.2250738585072014e-308 / Epsilon;

    /// <summary>
    /// Generates an elementary reflector H = I - tau v v^T with v[0] = 1 such that H x = beta e1
    /// (the LARFG construction). On return x[1..] holds v[1..] and x[0] holds beta; tau is returned.
    /// When x[1..] is zero, tau is 0 and H is the identity (beta = x[0]).
    /// </summary>
    public static double GenerateReflector(Span<double> x, out double beta)
    {
        double alpha = x[0];
        Span<double> tail = x[1..];
        double xnorm = Norm(tail);
        if (xnorm == 0.0)
        {
            beta = alpha;
            return 0.0;
        }

        // tau and v do not depend on the scale of x. When x is so small that alpha - beta would be
        // subnormal (dividing by it would lose bits or overflow), work with x / max(|alpha|, ||tail||).
        // The scale uses exact magnitudes, and the scaled norm is recomputed, because a norm that is itself
        // subnormal has lost bits.
        double m = Math.Max(Math.Abs(alpha), MaxAbs(tail));
        if (m < TinyScale)
        {
            TensorPrimitives.Divide(tail, m, tail);
            double alphaScaled = alpha / m, xnormScaled = Norm(tail);
            double betaScaled = -Math.CopySign(double.Hypot(alphaScaled, xnormScaled), alphaScaled);
            double tauScaled = (betaScaled - alphaScaled) / betaScaled;
            TensorPrimitives.Multiply(tail, 1.0 / (alphaScaled - betaScaled), tail);
            beta = betaScaled * m;
            x[0] = beta;
            return tauScaled;
        }

        // beta takes the sign opposite to alpha so alpha - beta never cancels.
        beta = -Math.CopySign(double.Hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        TensorPrimitives.Multiply(tail, 1.0 / (alpha - beta), tail);
        x[0] = beta;
        return tau;
    }

    /// <summary>
    /// The Euclidean norm, accurate over the whole double range (the NRM2 contract): when the largest
    /// magnitude is so small or large that squares would underflow into subnormals or overflow, the
    /// sum is taken over values scaled by it. An inaccurate norm would make a Householder reflector
    /// non-orthogonal, so this matters for graded and rank-deficient inputs.
    /// </summary>
    public static double Norm(ReadOnlySpan<double> x)
    {
        double max = MaxAbs(x);
        if (max == 0.0)
        {
            return 0.0;
        }

        if (max > 1e-140 && max < 1e140)
        {
            return TensorPrimitives.Norm(x);
        }

        double sum = 0.0;
        foreach (double v in x)
        {
            double t = v / max;
            sum += t * t;
        }

        return max * Math.Sqrt(sum);
    }

    /// <summary>y += alpha * x (lengths must match).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
        => TensorPrimitives.FusedMultiplyAdd(x, alpha, y, y);

    /// <summary>Dot product of two equally long spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => TensorPrimitives.Dot(x, y);

    /// <summary>
    /// Applies the reflector I - tau v v^T (v[0] = 1 is implied; vTail holds v[1..]) from the right to a
    /// row segment: row -= tau (row . v) v. The row segment has length vTail.Length + 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReflectRow(Span<double> row, double tau, ReadOnlySpan<double> vTail)
    {
        double t = row[0] + Dot(row[1..], vTail);
        t *= tau;
        row[0] -= t;
        Axpy(-t, vTail, row[1..]);
    }

    /// <summary>
    /// One pass of a symmetric matrix-vector product over a row of the upper triangle: returns
    /// sum row[i] v[i] and adds alpha * row[i] to p[i] for i &gt;= 1 (p[0] is untouched). Fusing the
    /// two halves reads the row from memory once instead of twice.
    /// </summary>
    public static double DotAndAxpyTail(ReadOnlySpan<double> row, ReadOnlySpan<double> v, double alpha, Span<double> p)
    {
        int n = row.Length;
        if (v.Length != n || p.Length != n)
        {
            throw new ArgumentException("Spans of different lengths.", nameof(v));
        }

        if (n == 0)
        {
            return 0.0;
        }

        ref double rr = ref MemoryMarshal.GetReference(row);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double pr = ref MemoryMarshal.GetReference(p);
        double sum = rr * vr;
        int i = 1;
        if (Vector512.IsHardwareAccelerated && n - 1 >= Vector512<double>.Count)
        {
            var acc = Vector512<double>.Zero;
            var va = Vector512.Create(alpha);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var r = Vector512.LoadUnsafe(ref rr, (nuint)i);
                acc = Vector512.FusedMultiplyAdd(r, Vector512.LoadUnsafe(ref vr, (nuint)i), acc);
                Vector512.FusedMultiplyAdd(va, r, Vector512.LoadUnsafe(ref pr, (nuint)i)).StoreUnsafe(ref pr, (nuint)i);
            }

            sum += Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n - 1 >= Vector256<double>.Count)
        {
            var acc = Vector256<double>.Zero;
            var va = Vector256.Create(alpha);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var r = Vector256.LoadUnsafe(ref rr, (nuint)i);
                acc = Vector256.FusedMultiplyAdd(r, Vector256.LoadUnsafe(ref vr, (nuint)i), acc);
                Vector256.FusedMultiplyAdd(va, r, Vector256.LoadUnsafe(ref pr, (nuint)i)).StoreUnsafe(ref pr, (nuint)i);
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            double r = Unsafe.Add(ref rr, i);
            sum += r * Unsafe.Add(ref vr, i);
            Unsafe.Add(ref pr, i) += alpha * r;
        }

        return sum;
    }

    /// <summary>Symmetric rank-2 update of one row: row[i] -= a x[i] + b y[i], in a single pass.</summary>
    public static void Rank2Row(Span<double> row, double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> y)
    {
        int n = row.Length;
        if (x.Length != n || y.Length != n)
        {
            throw new ArgumentException("Spans of different lengths.", nameof(x));
        }

        ref double rr = ref MemoryMarshal.GetReference(row);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var va = Vector512.Create(-a);
            var vb = Vector512.Create(-b);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var t = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref rr, (nuint)i));
                Vector512.FusedMultiplyAdd(vb, Vector512.LoadUnsafe(ref yr, (nuint)i), t).StoreUnsafe(ref rr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var va = Vector256.Create(-a);
            var vb = Vector256.Create(-b);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var t = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref rr, (nuint)i));
                Vector256.FusedMultiplyAdd(vb, Vector256.LoadUnsafe(ref yr, (nuint)i), t).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref rr, i) -= (a * Unsafe.Add(ref xr, i)) + (b * Unsafe.Add(ref yr, i));
        }
    }

    /// <summary>
    /// Computes (c, s, r) with c a + s b = r and -s a + c b = 0 (a plane rotation zeroing b), r = hypot(a, b).
    /// When a and b are both zero the identity rotation is returned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rotation(double a, double b, out double c, out double s, out double r)
    {
        if (b == 0.0)
        {
            c = 1.0;
            s = 0.0;
            r = a;
            return;
        }

        r = double.Hypot(a, b);
        c = a / r;
        s = b / r;
    }

    /// <summary>Plain product a (m x k) times b (k x n), accumulated row by row with vectorised axpys.</summary>
    public static Matrix Multiply(Matrix a, Matrix b)
    {
        if (a.Columns != b.Rows)
        {
            throw new ArgumentException($"Shape mismatch: cannot multiply {a.ShapeText} by {b.ShapeText}.", nameof(b));
        }

        var c = new Matrix(a.Rows, b.Columns);
        for (int i = 0; i < a.Rows; i++)
        {
            Span<double> ci = c.Row(i);
            ReadOnlySpan<double> ai = a.Row(i);
            for (int p = 0; p < ai.Length; p++)
            {
                if (ai[p] != 0.0)
                {
                    Axpy(ai[p], b.Row(p), ci);
                }
            }
        }

        return c;
    }

    /// <summary>The transpose of a, as a new matrix.</summary>
    public static Matrix Transpose(Matrix a)
    {
        var t = new Matrix(a.Columns, a.Rows);
        ReadOnlySpan<double> src = a.Data;
        Span<double> dst = t.Data;
        int rows = a.Rows, cols = a.Columns;

        // Blocked so both the reads and the strided writes stay within a few cache lines.
        const int Block = 32;
        for (int i0 = 0; i0 < rows; i0 += Block)
        {
            int i1 = Math.Min(rows, i0 + Block);
            for (int j0 = 0; j0 < cols; j0 += Block)
            {
                int j1 = Math.Min(cols, j0 + Block);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        dst[(j * rows) + i] = src[(i * cols) + j];
                    }
                }
            }
        }

        return t;
    }

    /// <summary>Largest absolute value in the span (0 for an empty span).</summary>
    public static double MaxAbs(ReadOnlySpan<double> x) => x.IsEmpty ? 0.0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));
}
