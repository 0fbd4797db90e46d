using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// The level-3 building blocks of the blocked factorisations: a packed, register-blocked
/// <c>C -= A B</c> (the trailing-matrix update of GETRF/POTRF) and blocked triangular solves
/// with many right-hand sides (TRSM). Operands are addressed by pointer and element strides so
/// that transposed views (for example L^T in the Cholesky solves) need no copies.
/// </summary>
/// <remarks>
/// Element (i, p) of A is <c>a[i * aRs + p * aCs]</c>; element (p, j) of B is
/// <c>b[p * bRs + j * bCs]</c>; C is row-major with leading dimension <c>ldc</c>.
/// Callers pin their storage. The packing buffer is pooled; large products are shared between
/// processors by <see cref="ProductWorkers"/>, whose threads are started once, so that a factorisation
/// allocates nothing beyond its own storage in steady state.
/// The hot loops here and in the decompositions are marked
/// <see cref="MethodImplOptions.AggressiveOptimization"/>: each runs long loops from its first call, and
/// tiered compilation would otherwise run them unoptimised until a background recompilation lands,
/// which on a busy machine was seen to take several whole factorisations.
/// </remarks>
internal static unsafe class BlockKernels
{
    // Depth of one packed block of B: the micro-kernel streams kc rows of a packed panel.
    private const int Kc = 256;

    // Columns of one packed block of B: Kc * Nc * 8 bytes = 480 KiB stays in a 1 MiB L2,
    // and 240 is a multiple of both micro-panel widths (24 and 12).
    private const int Nc = 240;

    // Row-block size of the blocked triangular solves: the small diagonal solve is done with
    // row axpys and everything below it with the packed product, which carries the flops.
    private const int TrsmBlock = 32;

    // Below about a million multiply-adds per packed block, handing work to a second thread costs more than it saves.
    private const long ParallelThreshold = 1L << 20;

    /// <summary>Upper bound on the threads one product uses (1 = calling thread only); internal so tests and
    /// measurements can compare the single-threaded path.</summary>
    internal static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>C[m x n] -= A[m x k] * B[k x n]. With <paramref name="lowerOnly"/>, tiles lying wholly above
    /// the diagonal j = i are skipped (C must then be a square diagonal block; its strict upper triangle is
    /// left partly updated and must be ignored by the caller).</summary>
    public static void SubtractProduct(
        int m, int n, int k,
        double* a, nint aRs, nint aCs,
        double* b, nint bRs, nint bCs,
        double* c, nint ldc,
        bool lowerOnly = false)
    {
        if (m <= 0 || n <= 0 || k <= 0)
        {
            return;
        }

        int mr = 1, nr = 1;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            (mr, nr) = (6, 24);
        }
        else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            (mr, nr) = (4, 12);
        }

        var product = new Product
        {
            A = (nint)a,
            ARs = aRs,
            ACs = aCs,
            B = (nint)b,
            BRs = bRs,
            BCs = bCs,
            C = (nint)c,
            Ldc = ldc,
            M = m,
            N = n,
            K = k,
            Mr = mr,
            Nr = nr,
            LowerOnly = lowerOnly,
        };

        long work = (long)m * n * k / (lowerOnly ? 2 : 1);
        int threads = Math.Min(MaxThreads, ProductWorkers.Capacity);
        if (threads > 1 && work >= ParallelThreshold)
        {
            // About four chunks of rows per thread, claimed dynamically, so that a busy core or the
            // longer rows of a lower-triangular update do not leave the others idle.
            int rowsPerChunk = Math.Max(2 * mr, (m + (4 * threads) - 1) / (4 * threads));
            rowsPerChunk = (rowsPerChunk + mr - 1) / mr * mr;
            if (m > rowsPerChunk && ProductWorkers.TryRun(in product, rowsPerChunk, threads - 1))
            {
                return;
            }
        }

        product.RunRows(0, m);
    }

    /// <summary>Span form of <see cref="SubtractProduct(int, int, int, double*, nint, nint, double*, nint, nint, double*, nint, bool)"/>;
    /// the spans must cover every element the strides address.</summary>
    public static void SubtractProduct(
        int m, int n, int k,
        ReadOnlySpan<double> a, int aRs, int aCs,
        ReadOnlySpan<double> b, int bRs, int bCs,
        Span<double> c, int ldc,
        bool lowerOnly = false)
    {
        if (m <= 0 || n <= 0 || k <= 0)
        {
            return;
        }

        CheckExtent(a.Length, m, k, aRs, aCs, nameof(a));
        CheckExtent(b.Length, k, n, bRs, bCs, nameof(b));
        CheckExtent(c.Length, m, n, ldc, 1, nameof(c));
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            SubtractProduct(m, n, k, pa, aRs, aCs, pb, bRs, bCs, pc, ldc, lowerOnly);
        }
    }

    private static void CheckExtent(int length, int rows, int columns, int rs, int cs, string name)
    {
        long last = ((long)(rows - 1) * rs) + ((long)(columns - 1) * cs);
        if (rs < 0 || cs < 0 || last >= length)
        {
            throw new ArgumentException($"The strides address element {last} but the span has {length}.", name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar(
        int rowBegin, int rowEnd, int n, int k, double* a, nint aRs, nint aCs, double* b, nint bRs, nint bCs, double* c, nint ldc, bool lowerOnly)
    {
        for (int i = rowBegin; i < rowEnd; i++)
        {
            int jEnd = lowerOnly ? Math.Min(n, i + 1) : n;
            double* ci = c + (i * ldc);
            for (int p = 0; p < k; p++)
            {
                double aip = a[(i * aRs) + (p * aCs)];
                if (aip == 0.0)
                {
                    continue;
                }

                double* bp = b + (p * bRs);
                for (int j = 0; j < jEnd; j++)
                {
                    ci[j] -= aip * bp[j * bCs];
                }
            }
        }
    }

    /// <summary>Rows [rowBegin, rowEnd) of C -= A B on one thread; rowBegin is a multiple of mr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked(
        int rowBegin, int rowEnd, int n, int k, double* a, nint aRs, nint aCs, double* b, nint bRs, nint bCs, double* c, nint ldc,
        bool lowerOnly, int mr, int nr)
    {
        if (lowerOnly)
        {
            // Columns at or beyond rowEnd lie wholly above the diagonal of these rows.
            n = Math.Min(n, rowEnd);
        }

        double[] packArray = ArrayPool<double>.Shared.Rent(Kc * Nc);
        double* edgeA = stackalloc double[6 * Kc];
        double* edgeC = stackalloc double[6 * 24];
        try
        {
            fixed (double* pack = packArray)
            {
                for (int pc = 0; pc < k; pc += Kc)
                {
                    int kc = Math.Min(Kc, k - pc);
                    for (int jc = 0; jc < n; jc += Nc)
                    {
                        int nc = Math.Min(Nc, n - jc);

                        // Under lowerOnly, row tiles that end at or before jc touch only the strict upper triangle.
                        int iStart = lowerOnly && jc > rowBegin ? rowBegin + ((jc - rowBegin) / mr * mr) : rowBegin;
                        if (iStart >= rowEnd)
                        {
                            continue;
                        }

                        PackB(kc, nc, b + (pc * bRs) + (jc * bCs), bRs, bCs, pack, nr);
                        for (int ic = iStart; ic < rowEnd; ic += mr)
                        {
                            int mb = Math.Min(mr, rowEnd - ic);
                            double* aTile = a + (ic * aRs) + (pc * aCs);
                            nint tileRs = aRs, tileCs = aCs;
                            if (mb < mr)
                            {
                                // Copy the short row block into a zero-padded tile so the kernel can read mr rows.
                                new Span<double>(edgeA, mr * kc).Clear();
                                for (int r = 0; r < mb; r++)
                                {
                                    for (int p = 0; p < kc; p++)
                                    {
                                        edgeA[(r * kc) + p] = aTile[(r * aRs) + (p * aCs)];
                                    }
                                }

                                aTile = edgeA;
                                tileRs = kc;
                                tileCs = 1;
                            }

                            int jLimit = lowerOnly ? Math.Min(nc, ic + mb - jc) : nc;
                            for (int jr = 0; jr < jLimit; jr += nr)
                            {
                                int nb = Math.Min(nr, nc - jr);
                                double* bPanel = pack + (jr * kc);
                                double* cTile = c + (ic * ldc) + jc + jr;
                                if (mb == mr && nb == nr)
                                {
                                    Kernel(kc, aTile, tileRs, tileCs, bPanel, cTile, ldc, mr);
                                }
                                else
                                {
                                    new Span<double>(edgeC, mr * nr).Clear();
                                    Kernel(kc, aTile, tileRs, tileCs, bPanel, edgeC, nr, mr);
                                    for (int r = 0; r < mb; r++)
                                    {
                                        for (int j = 0; j < nb; j++)
                                        {
                                            cTile[(r * ldc) + j] += edgeC[(r * nr) + j];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(packArray);
        }
    }

    /// <summary>The operands of one C -= A B, as plain values so that worker threads can share it.</summary>
    internal struct Product
    {
        public nint A;
        public nint ARs;
        public nint ACs;
        public nint B;
        public nint BRs;
        public nint BCs;
        public nint C;
        public nint Ldc;
        public int M;
        public int N;
        public int K;
        public int Mr;
        public int Nr;
        public bool LowerOnly;

        /// <summary>Computes rows [rowBegin, rowEnd) of the update on the calling thread.</summary>
        public readonly void RunRows(int rowBegin, int rowEnd)
        {
            if (Mr == 1)
            {
                Scalar(rowBegin, rowEnd, N, K, (double*)A, ARs, ACs, (double*)B, BRs, BCs, (double*)C, Ldc, LowerOnly);
            }
            else
            {
                Blocked(rowBegin, rowEnd, N, K, (double*)A, ARs, ACs, (double*)B, BRs, BCs, (double*)C, Ldc, LowerOnly, Mr, Nr);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(int kc, double* a, nint aRs, nint aCs, double* bPanel, double* c, nint ldc, int mr)
    {
        if (mr == 6)
        {
            Kernel6x24(kc, a, aRs, aCs, bPanel, c, ldc);
        }
        else
        {
            Kernel4x12(kc, a, aRs, aCs, bPanel, c, ldc);
        }
    }

    /// <summary>Packs B[0:kc, 0:nc] into consecutive micro-panels of nr columns (row p of a panel is
    /// contiguous), zero-padding the last panel so the kernels never branch on width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(int kc, int nc, double* b, nint bRs, nint bCs, double* pack, int nr)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nb = Math.Min(nr, nc - jr);
            double* dst = pack + (jr * kc);
            double* src = b + (jr * bCs);
            if (bCs == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    new ReadOnlySpan<double>(src + (p * bRs), nb).CopyTo(new Span<double>(dst + (p * nr), nb));
                    for (int j = nb; j < nr; j++)
                    {
                        dst[(p * nr) + j] = 0.0;
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    double* d = dst + (p * nr);
                    double* s = src + (p * bRs);
                    for (int j = 0; j < nb; j++)
                    {
                        d[j] = s[j * bCs];
                    }

                    for (int j = nb; j < nr; j++)
                    {
                        d[j] = 0.0;
                    }
                }
            }
        }
    }

    /// <summary>6 x 24 tile with 18 zmm accumulators: per step 3 loads of B, 6 broadcasts of A, 18 FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x24(int kc, double* a, nint aRs, nint aCs, double* bp, double* c, nint ldc)
    {
        Vector512<double> c00 = default, c01 = default, c02 = default;
        Vector512<double> c10 = default, c11 = default, c12 = default;
        Vector512<double> c20 = default, c21 = default, c22 = default;
        Vector512<double> c30 = default, c31 = default, c32 = default;
        Vector512<double> c40 = default, c41 = default, c42 = default;
        Vector512<double> c50 = default, c51 = default, c52 = default;
        double* a0 = a, a1 = a + aRs, a2 = a + (2 * aRs), a3 = a + (3 * aRs), a4 = a + (4 * aRs), a5 = a + (5 * aRs);
        nint off = 0;
        for (int p = 0; p < kc; p++, off += aCs, bp += 24)
        {
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 8);
            var b2 = Vector512.Load(bp + 16);
            var x = Vector512.Create(a0[off]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            x = Vector512.Create(a1[off]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            x = Vector512.Create(a2[off]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            x = Vector512.Create(a3[off]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            x = Vector512.Create(a4[off]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(x, b2, c42);
            x = Vector512.Create(a5[off]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(x, b2, c52);
        }

        Sub512(c, c00, c01, c02);
        Sub512(c + ldc, c10, c11, c12);
        Sub512(c + (2 * ldc), c20, c21, c22);
        Sub512(c + (3 * ldc), c30, c31, c32);
        Sub512(c + (4 * ldc), c40, c41, c42);
        Sub512(c + (5 * ldc), c50, c51, c52);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sub512(double* c, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2)
    {
        Vector512.Store(Vector512.Load(c) - x0, c);
        Vector512.Store(Vector512.Load(c + 8) - x1, c + 8);
        Vector512.Store(Vector512.Load(c + 16) - x2, c + 16);
    }

    /// <summary>4 x 12 tile with 12 ymm accumulators (of the 16 ymm registers without AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x12(int kc, double* a, nint aRs, nint aCs, double* bp, double* c, nint ldc)
    {
        Vector256<double> c00 = default, c01 = default, c02 = default;
        Vector256<double> c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default;
        Vector256<double> c30 = default, c31 = default, c32 = default;
        double* a0 = a, a1 = a + aRs, a2 = a + (2 * aRs), a3 = a + (3 * aRs);
        nint off = 0;
        for (int p = 0; p < kc; p++, off += aCs, bp += 12)
        {
            var b0 = Vector256.Load(bp);
            var b1 = Vector256.Load(bp + 4);
            var b2 = Vector256.Load(bp + 8);
            var x = Vector256.Create(a0[off]);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            c02 = Fma.MultiplyAdd(x, b2, c02);
            x = Vector256.Create(a1[off]);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            c12 = Fma.MultiplyAdd(x, b2, c12);
            x = Vector256.Create(a2[off]);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            c22 = Fma.MultiplyAdd(x, b2, c22);
            x = Vector256.Create(a3[off]);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            c32 = Fma.MultiplyAdd(x, b2, c32);
        }

        Sub256(c, c00, c01, c02);
        Sub256(c + ldc, c10, c11, c12);
        Sub256(c + (2 * ldc), c20, c21, c22);
        Sub256(c + (3 * ldc), c30, c31, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sub256(double* c, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2)
    {
        Vector256.Store(Vector256.Load(c) - x0, c);
        Vector256.Store(Vector256.Load(c + 4) - x1, c + 4);
        Vector256.Store(Vector256.Load(c + 8) - x2, c + 8);
    }

    /// <summary>X := T^-1 X for a lower-triangular n x n T (element (i, j) at t[i*tRs + j*tCs]) and a
    /// row-major n x k X with leading dimension ldx. With <paramref name="unitDiagonal"/> the diagonal of
    /// T is taken as 1 and not read. A zero diagonal entry yields infinities (callers check first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLower(int n, int k, double* t, nint tRs, nint tCs, bool unitDiagonal, double* x, nint ldx)
    {
        if (n <= 0 || k <= 0)
        {
            return;
        }

        for (int i0 = 0; i0 < n; i0 += TrsmBlock)
        {
            int ib = Math.Min(TrsmBlock, n - i0);
            for (int i = i0; i < i0 + ib; i++)
            {
                var xi = new Span<double>(x + (i * ldx), k);
                for (int p = i0; p < i; p++)
                {
                    double tip = t[(i * tRs) + (p * tCs)];
                    if (tip != 0.0)
                    {
                        TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<double>(x + (p * ldx), k), -tip, xi, xi);
                    }
                }

                if (!unitDiagonal)
                {
                    TensorPrimitives.Divide(xi, t[(i * tRs) + (i * tCs)], xi);
                }
            }

            int below = n - i0 - ib;
            if (below > 0)
            {
                SubtractProduct(
                    below, k, ib,
                    t + ((i0 + ib) * tRs) + (i0 * tCs), tRs, tCs,
                    x + (i0 * ldx), ldx, 1,
                    x + ((i0 + ib) * ldx), ldx);
            }
        }
    }

    /// <summary>X := T^-1 X for an upper-triangular n x n T with a non-unit diagonal (element (i, j) at
    /// t[i*tRs + j*tCs]) and a row-major n x k X with leading dimension ldx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveUpper(int n, int k, double* t, nint tRs, nint tCs, double* x, nint ldx)
    {
        if (n <= 0 || k <= 0)
        {
            return;
        }

        for (int i1 = n; i1 > 0; i1 -= TrsmBlock)
        {
            int i0 = Math.Max(0, i1 - TrsmBlock);
            for (int i = i1 - 1; i >= i0; i--)
            {
                var xi = new Span<double>(x + (i * ldx), k);
                for (int p = i + 1; p < i1; p++)
                {
                    double tip = t[(i * tRs) + (p * tCs)];
                    if (tip != 0.0)
                    {
                        TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<double>(x + (p * ldx), k), -tip, xi, xi);
                    }
                }

                TensorPrimitives.Divide(xi, t[(i * tRs) + (i * tCs)], xi);
            }

            if (i0 > 0)
            {
                SubtractProduct(
                    i0, k, i1 - i0,
                    t + (i0 * tCs), tRs, tCs,
                    x + (i0 * ldx), ldx, 1,
                    x, ldx);
            }
        }
    }

    /// <summary>Swaps two rows of length n (vectorised through a span swap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SwapRows(double* r1, double* r2, int n)
    {
        var s1 = new Span<double>(r1, n);
        var s2 = new Span<double>(r2, n);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var v1 = Vector256.Load(r1 + i);
                var v2 = Vector256.Load(r2 + i);
                Vector256.Store(v2, r1 + i);
                Vector256.Store(v1, r2 + i);
            }
        }

        for (; i < n; i++)
        {
            (s1[i], s2[i]) = (s2[i], s1[i]);
        }
    }
}
