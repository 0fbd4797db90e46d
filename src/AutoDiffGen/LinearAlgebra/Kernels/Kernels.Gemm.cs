using System;
using System.Buffers;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>The SIMD width a GEMM call runs with; tests force the narrower ones on wide hardware.</summary>
internal enum GemmPath
{
    Scalar = 0,
    Vector128 = 1,
    Vector256 = 2,
    Vector512 = 3,
}

/// <summary>
/// Tile and cache-block sizes of one GEMM path. MR x NR is the register tile of the micro-kernel.
/// KC is the depth of the packed panels: an MR x KC micro-panel of A (12-16 KiB) stays in L1 while
/// the NR-wide micro-panels of the KC x NC packed B block (about 0.5 MiB, sized for L2) stream past
/// it; the MC x KC packed A block (about 2 MiB) is reused from L3 across the B blocks. The sizes
/// were picked by measurement on an AVX-512 machine (Zen 4): 8 x 24, 6 x 32 and 12 x 16 tiles and
/// KC from 192 to 384 were all within the noise of each other.
/// </summary>
internal sealed unsafe class GemmBlocking
{
    public GemmBlocking(int mr, int nr, int kc, int mc, int nc, delegate*<int, double*, double*, double*, nint, double, double, void> kernel)
    {
        MR = mr;
        NR = nr;
        KC = kc;
        MC = mc - (mc % mr);
        NC = nc - (nc % nr);
        Kernel = kernel;
    }

    public int MR { get; }

    public int NR { get; }

    public int KC { get; }

    public int MC { get; }

    public int NC { get; }

    public delegate*<int, double*, double*, double*, nint, double, double, void> Kernel { get; }
}

public static partial class Kernels
{
    /// <summary>Below this many multiply-adds (m * n * k) a GEMM runs on the calling thread only.</summary>
    internal const long GemmParallelThreshold = 96L * 96 * 96;

    /// <summary>Up to this many multiply-adds (m * n * k) a plain loop beats packing (about 8 x 8 x 8).</summary>
    internal const long GemmDirectThreshold = 512;

    /// <summary>Extra doubles rented with each packing buffer so its start can be moved to a 64-byte boundary.</summary>
    private const int AlignmentSlack = 8;

    internal static GemmPath BestGemmPath { get; } = DetectGemmPath();

    /// <summary>The tiling of each path, indexed by <see cref="GemmPath"/>.</summary>
    internal static unsafe GemmBlocking[] GemmBlockings { get; } =
    [
        new GemmBlocking(4, 4, 256, 1024, 256, &KernelScalar4x4),
        new GemmBlocking(6, 4, 256, 1020, 256, &Kernel128x6x4),
        new GemmBlocking(6, 8, 256, 1020, 256, &Kernel256x6x8),
        new GemmBlocking(8, 24, 256, 1024, 240, &Kernel512x8x24),
    ];

    /// <summary>
    /// The general matrix product C = alpha * op(A) * op(B) + beta * C (BLAS DGEMM), row-major, using
    /// every core for large products (see the overload taking a degree of parallelism).
    /// </summary>
    /// <param name="transA">op(A): <see cref="MatrixOp.None"/> uses A as stored (m x k), <see cref="MatrixOp.Transpose"/> uses its transpose (A stored k x m).</param>
    /// <param name="transB">op(B): <see cref="MatrixOp.None"/> uses B as stored (k x n), <see cref="MatrixOp.Transpose"/> uses its transpose (B stored n x k).</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) and rows of op(B).</param>
    /// <param name="alpha">The multiplier of the product. When it is 0, A and B are not read.</param>
    /// <param name="a">A, row-major with leading dimension <paramref name="lda"/>.</param>
    /// <param name="lda">Distance between the starts of consecutive stored rows of A: at least k (None) or m (Transpose).</param>
    /// <param name="b">B, row-major with leading dimension <paramref name="ldb"/>.</param>
    /// <param name="ldb">Distance between the starts of consecutive stored rows of B: at least n (None) or k (Transpose).</param>
    /// <param name="beta">The multiplier of the old C. When it is 0, C is not read, so NaN or infinity in it does not propagate.</param>
    /// <param name="c">C (m x n), row-major with leading dimension <paramref name="ldc"/>, updated in place; it must not overlap A or B.</param>
    /// <param name="ldc">Distance between the starts of consecutive rows of C, at least n.</param>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A leading dimension is smaller than the stored width, a span is too short for its shape, or C overlaps A or B.</exception>
    /// <remarks>
    /// NaN and infinity in A, B (when alpha is not 0) and C (when beta is not 0) propagate as in IEEE
    /// arithmetic. The products are summed with fused multiply-adds in blocks, so results can differ
    /// from a naive loop in the last bits.
    /// </remarks>
    public static void Gemm(
        MatrixOp transA, MatrixOp transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
        => Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, -1);

    /// <summary>
    /// The general matrix product C = alpha * op(A) * op(B) + beta * C (BLAS DGEMM), row-major, on at
    /// most <paramref name="maxDegreeOfParallelism"/> threads.
    /// </summary>
    /// <param name="transA">op(A): <see cref="MatrixOp.None"/> uses A as stored (m x k), <see cref="MatrixOp.Transpose"/> uses its transpose (A stored k x m).</param>
    /// <param name="transB">op(B): <see cref="MatrixOp.None"/> uses B as stored (k x n), <see cref="MatrixOp.Transpose"/> uses its transpose (B stored n x k).</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) and rows of op(B).</param>
    /// <param name="alpha">The multiplier of the product. When it is 0, A and B are not read.</param>
    /// <param name="a">A, row-major with leading dimension <paramref name="lda"/>.</param>
    /// <param name="lda">Distance between the starts of consecutive stored rows of A: at least k (None) or m (Transpose).</param>
    /// <param name="b">B, row-major with leading dimension <paramref name="ldb"/>.</param>
    /// <param name="ldb">Distance between the starts of consecutive stored rows of B: at least n (None) or k (Transpose).</param>
    /// <param name="beta">The multiplier of the old C. When it is 0, C is not read, so NaN or infinity in it does not propagate.</param>
    /// <param name="c">C (m x n), row-major with leading dimension <paramref name="ldc"/>, updated in place; it must not overlap A or B.</param>
    /// <param name="ldc">Distance between the starts of consecutive rows of C, at least n.</param>
    /// <param name="maxDegreeOfParallelism">1 to run on the calling thread only; -1 for one thread per processor; otherwise the largest number of threads used. Small products always run on one thread.</param>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A leading dimension is smaller than the stored width, a span is too short for its shape, or C overlaps A or B.</exception>
    /// <remarks>
    /// NaN and infinity in A, B (when alpha is not 0) and C (when beta is not 0) propagate as in IEEE
    /// arithmetic. The result does not depend on the number of threads: each element of C is summed
    /// in the same order whichever thread computes it.
    /// </remarks>
    public static void Gemm(
        MatrixOp transA, MatrixOp transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, int maxDegreeOfParallelism)
    {
        CheckGemmArguments(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 (all processors) or a positive thread count.");
        }

        if (c.Length > 0 && m > 0 && n > 0 && k > 0 && ((a.Length > 0 && c.Overlaps(a)) || (b.Length > 0 && c.Overlaps(b))))
        {
            throw new ArgumentException("C must not overlap A or B: the product is written while they are still being read.", nameof(c));
        }

        if ((long)m * n * k <= GemmDirectThreshold)
        {
            GemmDirect(transA == MatrixOp.Transpose, transB == MatrixOp.Transpose, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        if ((long)m * n * k < GemmParallelThreshold)
        {
            threads = 1;
        }

        GemmCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, BestGemmPath, threads);
    }

    /// <summary>
    /// Tiny products: one dot product per element of C, without packing (whose fixed cost dominates
    /// below about 8 x 8 x 8). Same semantics as the packed path: alpha = 0 or k = 0 reads neither A
    /// nor B, and beta = 0 does not read C.
    /// </summary>
    internal static void GemmDirect(
        bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        bool skipProduct = k == 0 || alpha == 0;
        int aRowStride = transA ? 1 : lda, aDepthStride = transA ? lda : 1;
        int bDepthStride = transB ? 1 : ldb, bColumnStride = transB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double product = 0;
                if (!skipProduct)
                {
                    double sum = 0;
                    int ai = i * aRowStride, bj = j * bColumnStride;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a[ai + (p * aDepthStride)] * b[bj + (p * bDepthStride)];
                    }

                    product = alpha * sum;
                }

                ref double cij = ref c[(i * ldc) + j];
                cij = beta == 0 ? product : beta == 1 && skipProduct ? cij : product + (beta * cij);
            }
        }
    }

    private static GemmPath DetectGemmPath()
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            return GemmPath.Vector512;
        }

        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            return GemmPath.Vector256;
        }

        return Vector128.IsHardwareAccelerated ? GemmPath.Vector128 : GemmPath.Scalar;
    }

    private static void CheckGemmArguments(
        MatrixOp transA, MatrixOp transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOp(transA, nameof(transA));
        CheckOp(transB, nameof(transB));
        bool ta = transA == MatrixOp.Transpose, tb = transB == MatrixOp.Transpose;
        CheckStoredMatrix(ta ? k : m, ta ? m : k, aLength, lda, "A", "a");
        CheckStoredMatrix(tb ? n : k, tb ? k : n, bLength, ldb, "B", "b");
        CheckStoredMatrix(m, n, cLength, ldc, "C", "c");
    }

    private static void CheckOp(MatrixOp op, string paramName)
    {
        if (op is not MatrixOp.None and not MatrixOp.Transpose)
        {
            throw new ArgumentOutOfRangeException(paramName, op, "Expected MatrixOp.None or MatrixOp.Transpose.");
        }
    }

    /// <summary>GEMM on already-checked arguments with an explicit path and thread count (tests use it to reach every path).</summary>
    internal static unsafe void GemmCore(
        MatrixOp transA, MatrixOp transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, GemmPath path, int threads)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                // BLAS semantics: op(A) op(B) contributes nothing, and A and B are not read.
                ScaleBlock(m, n, beta, pc, ldc);
                return;
            }

            var job = new GemmJob(
                GemmBlockings[(int)path], transA == MatrixOp.Transpose, transB == MatrixOp.Transpose,
                k, alpha, pa, lda, pb, ldb, beta, pc, ldc);

            // Split C into stripes of whole register tiles along its longer side; every stripe is an
            // independent GEMM with its own packing buffers, so threads never synchronise or share
            // writable memory, and each element of C is summed identically on any number of threads.
            bool splitRows = m >= n;
            int unit = splitRows ? job.Blocking.MR : job.Blocking.NR;
            int extent = splitRows ? m : n;
            int units = (extent + unit - 1) / unit;
            int stripes = Math.Clamp(threads, 1, units);
            if (stripes == 1)
            {
                job.Run(0, m, 0, n);
                return;
            }

            RunStripes(job, m, n, splitRows, unit, units, stripes);
        }
    }

    /// <summary>
    /// Runs the stripes on the thread pool. Kept out of <see cref="GemmCore"/> so the closure the
    /// lambda needs is only allocated when the product really runs in parallel.
    /// </summary>
    private static void RunStripes(GemmJob job, int m, int n, bool splitRows, int unit, int units, int stripes)
    {
        int extent = splitRows ? m : n;
        Parallel.For(0, stripes, new ParallelOptions { MaxDegreeOfParallelism = stripes }, s =>
        {
            int start = Math.Min(extent, (int)((long)units * s / stripes) * unit);
            int end = Math.Min(extent, (int)((long)units * (s + 1) / stripes) * unit);
            if (splitRows)
            {
                job.Run(start, end, 0, n);
            }
            else
            {
                job.Run(0, m, start, end);
            }
        });
    }

    private static unsafe void ScaleBlock(int m, int n, double beta, double* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<double>(c + ((nint)i * ldc), n);
            if (beta == 0)
            {
                row.Clear();
            }
            else if (beta != 1)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    /// <summary>
    /// One GEMM's operands, held as addresses so worker threads can share them (a struct, so the
    /// single-threaded path allocates nothing); valid only while the caller keeps them pinned.
    /// </summary>
    private readonly unsafe struct GemmJob(
        GemmBlocking blocking, bool transA, bool transB, int k, double alpha,
        double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
    {
        private readonly nint _a = (nint)a;
        private readonly nint _b = (nint)b;
        private readonly nint _c = (nint)c;

        public GemmBlocking Blocking { get; } = blocking;

        /// <summary>Computes rows [m0, m1) x columns [n0, n1) of C on the calling thread.</summary>
        public void Run(int m0, int m1, int n0, int n1)
        {
            if (m1 <= m0 || n1 <= n0)
            {
                return;
            }

            GemmBlocking bl = Blocking;
            int mr = bl.MR, nr = bl.NR;
            int kcMax = Math.Min(bl.KC, k);
            int mcMax = Math.Min(bl.MC, RoundUp(m1 - m0, mr));
            int ncMax = Math.Min(bl.NC, RoundUp(n1 - n0, nr));
            double[] aBuffer = ArrayPool<double>.Shared.Rent((mcMax * kcMax) + AlignmentSlack);
            double[] bBuffer = ArrayPool<double>.Shared.Rent((kcMax * ncMax) + AlignmentSlack);
            try
            {
                fixed (double* aRaw = aBuffer)
                fixed (double* bRaw = bBuffer)
                {
                    double* ap = AlignTo64(aRaw), bp = AlignTo64(bRaw);
                    double* pa = (double*)_a, pb = (double*)_b, pc = (double*)_c;
                    for (int ic = m0; ic < m1; ic += bl.MC)
                    {
                        int mc = Math.Min(bl.MC, m1 - ic);
                        for (int kp = 0; kp < k; kp += bl.KC)
                        {
                            int kc = Math.Min(bl.KC, k - kp);
                            double betaBlock = kp == 0 ? beta : 1.0;
                            PackA(pa, lda, transA, ic, kp, mc, kc, mr, ap);
                            for (int jc = n0; jc < n1; jc += bl.NC)
                            {
                                int nc = Math.Min(bl.NC, n1 - jc);
                                PackB(pb, ldb, transB, kp, jc, kc, nc, nr, bp);
                                MacroKernel(bl, mc, nc, kc, ap, bp, pc + ((nint)ic * ldc) + jc, ldc, alpha, betaBlock);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(aBuffer);
                ArrayPool<double>.Shared.Return(bBuffer);
            }
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

        // Micro-panels start on 64-byte boundaries so no 512-bit load of packed data splits a cache line
        // (every panel size is a multiple of 8 doubles on the 512-bit path, so the alignment carries over).
        private static double* AlignTo64(double* p) => (double*)(((nint)p + 63) & ~(nint)63);
    }

    /// <summary>Runs the micro-kernel over every MR x NR tile of an mc x nc block of C.</summary>
    private static unsafe void MacroKernel(
        GemmBlocking bl, int mc, int nc, int kc, double* ap, double* bp, double* c, int ldc, double alpha, double beta)
    {
        int mr = bl.MR, nr = bl.NR;
        var kernel = bl.Kernel;
        double* tile = stackalloc double[mr * nr];
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            double* aPanel = ap + ((nint)ir * kc);
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                double* bPanel = bp + ((nint)jr * kc);
                double* cTile = c + ((nint)ir * ldc) + jr;
                if (rows == mr && cols == nr)
                {
                    kernel(kc, aPanel, bPanel, cTile, ldc, alpha, beta);
                    continue;
                }

                // Edge tile: the packed panels are zero-padded, so compute the full tile into a scratch
                // buffer and merge only the part that lies inside C.
                kernel(kc, aPanel, bPanel, tile, nr, alpha, 0.0);
                for (int i = 0; i < rows; i++)
                {
                    double* cRow = cTile + ((nint)i * ldc);
                    double* tRow = tile + (i * nr);
                    for (int j = 0; j < cols; j++)
                    {
                        cRow[j] = beta == 0 ? tRow[j] : tRow[j] + (beta * cRow[j]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows [ic, ic + mc) x depth [kp, kp + kc) of op(A) into micro-panels of MR rows: panel r
    /// holds, for each depth step p, the MR values op(A)[ic + r * MR + i, kp + p] contiguously
    /// (zero-padded past the last row), which is the order the micro-kernel broadcasts them in.
    /// </summary>
    private static unsafe void PackA(double* a, int lda, bool transposed, int ic, int kp, int mc, int kc, int mr, double* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            double* panel = dst + ((nint)ir * kc);
            if (transposed)
            {
                // op(A)[i, p] = A[p, i]: each depth step is a contiguous run of stored row p.
                for (int p = 0; p < kc; p++)
                {
                    double* src = a + ((nint)(kp + p) * lda) + ic + ir;
                    double* d = panel + ((nint)p * mr);
                    int i = 0;
                    for (; i < rows; i++)
                    {
                        d[i] = src[i];
                    }

                    for (; i < mr; i++)
                    {
                        d[i] = 0;
                    }
                }
            }
            else
            {
                for (int i = 0; i < rows; i++)
                {
                    double* src = a + ((nint)(ic + ir + i) * lda) + kp;
                    double* d = panel + i;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * mr] = src[p];
                    }
                }

                for (int i = rows; i < mr; i++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[((nint)p * mr) + i] = 0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depth [kp, kp + kc) x columns [jc, jc + nc) of op(B) into micro-panels of NR columns:
    /// panel r holds, for each depth step p, the NR values op(B)[kp + p, jc + r * NR + j] contiguously
    /// (zero-padded past the last column), so the micro-kernel loads them as whole vectors.
    /// </summary>
    private static unsafe void PackB(double* b, int ldb, bool transposed, int kp, int jc, int kc, int nc, int nr, double* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            double* panel = dst + ((nint)jr * kc);
            if (!transposed)
            {
                for (int p = 0; p < kc; p++)
                {
                    double* src = b + ((nint)(kp + p) * ldb) + jc + jr;
                    double* d = panel + ((nint)p * nr);
                    if (cols == nr)
                    {
                        new ReadOnlySpan<double>(src, nr).CopyTo(new Span<double>(d, nr));
                        continue;
                    }

                    int j = 0;
                    for (; j < cols; j++)
                    {
                        d[j] = src[j];
                    }

                    for (; j < nr; j++)
                    {
                        d[j] = 0;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = B[j, p]: read each stored row of B contiguously, scatter with stride NR.
                for (int j = 0; j < cols; j++)
                {
                    double* src = b + ((nint)(jc + jr + j) * ldb) + kp;
                    double* d = panel + j;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * nr] = src[p];
                    }
                }

                for (int j = cols; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[((nint)p * nr) + j] = 0;
                    }
                }
            }
        }
    }
}
