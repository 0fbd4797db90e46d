using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AutoDiffGen.LinearAlgebra;

// The register-blocked GEMM micro-kernels. Each computes one MR x NR tile of C from a packed A
// micro-panel (kc steps of MR values, one per row of the tile) and a packed B micro-panel (kc steps
// of NR values, one per column): the tile lives in registers for the whole k loop, so every loaded
// B vector feeds MR fused multiply-adds and every broadcast A value feeds NR / width of them.
// The bodies are unrolled by hand (one accumulator per register) so the JIT keeps them enregistered.
public static partial class Kernels
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MultiplyAdd128(Vector128<double> a, Vector128<double> b, Vector128<double> c)
    {
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, c);
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.FusedMultiplyAdd(c, a, b);
        }

        // No fused instruction: a separate multiply and add (one more rounding) is still exact enough
        // for GEMM and far faster than a software-emulated fused operation.
        return (a * b) + c;
    }

    /// <summary>The 8 x 24 Vector512 + AVX-512 FMA micro-kernel: 24 accumulators in the 32 zmm registers, C tile = alpha * A panel * B panel + beta * C tile (C not read when beta is 0).</summary>
    private static unsafe void Kernel512x8x24(int kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        var c00 = Vector512<double>.Zero; var c01 = Vector512<double>.Zero; var c02 = Vector512<double>.Zero;
        var c10 = Vector512<double>.Zero; var c11 = Vector512<double>.Zero; var c12 = Vector512<double>.Zero;
        var c20 = Vector512<double>.Zero; var c21 = Vector512<double>.Zero; var c22 = Vector512<double>.Zero;
        var c30 = Vector512<double>.Zero; var c31 = Vector512<double>.Zero; var c32 = Vector512<double>.Zero;
        var c40 = Vector512<double>.Zero; var c41 = Vector512<double>.Zero; var c42 = Vector512<double>.Zero;
        var c50 = Vector512<double>.Zero; var c51 = Vector512<double>.Zero; var c52 = Vector512<double>.Zero;
        var c60 = Vector512<double>.Zero; var c61 = Vector512<double>.Zero; var c62 = Vector512<double>.Zero;
        var c70 = Vector512<double>.Zero; var c71 = Vector512<double>.Zero; var c72 = Vector512<double>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 8);
            var b2 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(a0, b2, c02);
            var a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(a1, b2, c12);
            var a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(a2, b2, c22);
            var a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(a3, b2, c32);
            var a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(a4, b2, c42);
            var a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(a5, b2, c52);
            var a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            c62 = Avx512F.FusedMultiplyAdd(a6, b2, c62);
            var a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            c72 = Avx512F.FusedMultiplyAdd(a7, b2, c72);
            a += 8;
            b += 24;
        }

        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c00 * va, c + (0 * ldc) + 0);
            Vector512.Store(c01 * va, c + (0 * ldc) + 8);
            Vector512.Store(c02 * va, c + (0 * ldc) + 16);
            Vector512.Store(c10 * va, c + (1 * ldc) + 0);
            Vector512.Store(c11 * va, c + (1 * ldc) + 8);
            Vector512.Store(c12 * va, c + (1 * ldc) + 16);
            Vector512.Store(c20 * va, c + (2 * ldc) + 0);
            Vector512.Store(c21 * va, c + (2 * ldc) + 8);
            Vector512.Store(c22 * va, c + (2 * ldc) + 16);
            Vector512.Store(c30 * va, c + (3 * ldc) + 0);
            Vector512.Store(c31 * va, c + (3 * ldc) + 8);
            Vector512.Store(c32 * va, c + (3 * ldc) + 16);
            Vector512.Store(c40 * va, c + (4 * ldc) + 0);
            Vector512.Store(c41 * va, c + (4 * ldc) + 8);
            Vector512.Store(c42 * va, c + (4 * ldc) + 16);
            Vector512.Store(c50 * va, c + (5 * ldc) + 0);
            Vector512.Store(c51 * va, c + (5 * ldc) + 8);
            Vector512.Store(c52 * va, c + (5 * ldc) + 16);
            Vector512.Store(c60 * va, c + (6 * ldc) + 0);
            Vector512.Store(c61 * va, c + (6 * ldc) + 8);
            Vector512.Store(c62 * va, c + (6 * ldc) + 16);
            Vector512.Store(c70 * va, c + (7 * ldc) + 0);
            Vector512.Store(c71 * va, c + (7 * ldc) + 8);
            Vector512.Store(c72 * va, c + (7 * ldc) + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c00, va, Vector512.Load(c + (0 * ldc) + 0) * vb), c + (0 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c01, va, Vector512.Load(c + (0 * ldc) + 8) * vb), c + (0 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c02, va, Vector512.Load(c + (0 * ldc) + 16) * vb), c + (0 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c10, va, Vector512.Load(c + (1 * ldc) + 0) * vb), c + (1 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c11, va, Vector512.Load(c + (1 * ldc) + 8) * vb), c + (1 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c12, va, Vector512.Load(c + (1 * ldc) + 16) * vb), c + (1 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c20, va, Vector512.Load(c + (2 * ldc) + 0) * vb), c + (2 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c21, va, Vector512.Load(c + (2 * ldc) + 8) * vb), c + (2 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c22, va, Vector512.Load(c + (2 * ldc) + 16) * vb), c + (2 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c30, va, Vector512.Load(c + (3 * ldc) + 0) * vb), c + (3 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c31, va, Vector512.Load(c + (3 * ldc) + 8) * vb), c + (3 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c32, va, Vector512.Load(c + (3 * ldc) + 16) * vb), c + (3 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c40, va, Vector512.Load(c + (4 * ldc) + 0) * vb), c + (4 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c41, va, Vector512.Load(c + (4 * ldc) + 8) * vb), c + (4 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c42, va, Vector512.Load(c + (4 * ldc) + 16) * vb), c + (4 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c50, va, Vector512.Load(c + (5 * ldc) + 0) * vb), c + (5 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c51, va, Vector512.Load(c + (5 * ldc) + 8) * vb), c + (5 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c52, va, Vector512.Load(c + (5 * ldc) + 16) * vb), c + (5 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c60, va, Vector512.Load(c + (6 * ldc) + 0) * vb), c + (6 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c61, va, Vector512.Load(c + (6 * ldc) + 8) * vb), c + (6 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c62, va, Vector512.Load(c + (6 * ldc) + 16) * vb), c + (6 * ldc) + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c70, va, Vector512.Load(c + (7 * ldc) + 0) * vb), c + (7 * ldc) + 0);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c71, va, Vector512.Load(c + (7 * ldc) + 8) * vb), c + (7 * ldc) + 8);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c72, va, Vector512.Load(c + (7 * ldc) + 16) * vb), c + (7 * ldc) + 16);
        }
    }

    /// <summary>The 6 x 8 Vector256 + FMA micro-kernel: 12 accumulators leave room in the 16 ymm registers for two B vectors and a broadcast.</summary>
    private static unsafe void Kernel256x6x8(int kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        var c00 = Vector256<double>.Zero; var c01 = Vector256<double>.Zero;
        var c10 = Vector256<double>.Zero; var c11 = Vector256<double>.Zero;
        var c20 = Vector256<double>.Zero; var c21 = Vector256<double>.Zero;
        var c30 = Vector256<double>.Zero; var c31 = Vector256<double>.Zero;
        var c40 = Vector256<double>.Zero; var c41 = Vector256<double>.Zero;
        var c50 = Vector256<double>.Zero; var c51 = Vector256<double>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 4);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 8;
        }

        var va = Vector256.Create(alpha);
        if (beta == 0)
        {
            Vector256.Store(c00 * va, c + (0 * ldc) + 0);
            Vector256.Store(c01 * va, c + (0 * ldc) + 4);
            Vector256.Store(c10 * va, c + (1 * ldc) + 0);
            Vector256.Store(c11 * va, c + (1 * ldc) + 4);
            Vector256.Store(c20 * va, c + (2 * ldc) + 0);
            Vector256.Store(c21 * va, c + (2 * ldc) + 4);
            Vector256.Store(c30 * va, c + (3 * ldc) + 0);
            Vector256.Store(c31 * va, c + (3 * ldc) + 4);
            Vector256.Store(c40 * va, c + (4 * ldc) + 0);
            Vector256.Store(c41 * va, c + (4 * ldc) + 4);
            Vector256.Store(c50 * va, c + (5 * ldc) + 0);
            Vector256.Store(c51 * va, c + (5 * ldc) + 4);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.Store(Fma.MultiplyAdd(c00, va, Vector256.Load(c + (0 * ldc) + 0) * vb), c + (0 * ldc) + 0);
            Vector256.Store(Fma.MultiplyAdd(c01, va, Vector256.Load(c + (0 * ldc) + 4) * vb), c + (0 * ldc) + 4);
            Vector256.Store(Fma.MultiplyAdd(c10, va, Vector256.Load(c + (1 * ldc) + 0) * vb), c + (1 * ldc) + 0);
            Vector256.Store(Fma.MultiplyAdd(c11, va, Vector256.Load(c + (1 * ldc) + 4) * vb), c + (1 * ldc) + 4);
            Vector256.Store(Fma.MultiplyAdd(c20, va, Vector256.Load(c + (2 * ldc) + 0) * vb), c + (2 * ldc) + 0);
            Vector256.Store(Fma.MultiplyAdd(c21, va, Vector256.Load(c + (2 * ldc) + 4) * vb), c + (2 * ldc) + 4);
            Vector256.Store(Fma.MultiplyAdd(c30, va, Vector256.Load(c + (3 * ldc) + 0) * vb), c + (3 * ldc) + 0);
            Vector256.Store(Fma.MultiplyAdd(c31, va, Vector256.Load(c + (3 * ldc) + 4) * vb), c + (3 * ldc) + 4);
            Vector256.Store(Fma.MultiplyAdd(c40, va, Vector256.Load(c + (4 * ldc) + 0) * vb), c + (4 * ldc) + 0);
            Vector256.Store(Fma.MultiplyAdd(c41, va, Vector256.Load(c + (4 * ldc) + 4) * vb), c + (4 * ldc) + 4);
            Vector256.Store(Fma.MultiplyAdd(c50, va, Vector256.Load(c + (5 * ldc) + 0) * vb), c + (5 * ldc) + 0);
            Vector256.Store(Fma.MultiplyAdd(c51, va, Vector256.Load(c + (5 * ldc) + 4) * vb), c + (5 * ldc) + 4);
        }
    }

    /// <summary>The 6 x 4 Vector128 micro-kernel: 12 accumulators in the 16 xmm registers (FMA where the hardware has it).</summary>
    private static unsafe void Kernel128x6x4(int kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        var c00 = Vector128<double>.Zero; var c01 = Vector128<double>.Zero;
        var c10 = Vector128<double>.Zero; var c11 = Vector128<double>.Zero;
        var c20 = Vector128<double>.Zero; var c21 = Vector128<double>.Zero;
        var c30 = Vector128<double>.Zero; var c31 = Vector128<double>.Zero;
        var c40 = Vector128<double>.Zero; var c41 = Vector128<double>.Zero;
        var c50 = Vector128<double>.Zero; var c51 = Vector128<double>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 2);
            var a0 = Vector128.Create(a[0]);
            c00 = MultiplyAdd128(a0, b0, c00);
            c01 = MultiplyAdd128(a0, b1, c01);
            var a1 = Vector128.Create(a[1]);
            c10 = MultiplyAdd128(a1, b0, c10);
            c11 = MultiplyAdd128(a1, b1, c11);
            var a2 = Vector128.Create(a[2]);
            c20 = MultiplyAdd128(a2, b0, c20);
            c21 = MultiplyAdd128(a2, b1, c21);
            var a3 = Vector128.Create(a[3]);
            c30 = MultiplyAdd128(a3, b0, c30);
            c31 = MultiplyAdd128(a3, b1, c31);
            var a4 = Vector128.Create(a[4]);
            c40 = MultiplyAdd128(a4, b0, c40);
            c41 = MultiplyAdd128(a4, b1, c41);
            var a5 = Vector128.Create(a[5]);
            c50 = MultiplyAdd128(a5, b0, c50);
            c51 = MultiplyAdd128(a5, b1, c51);
            a += 6;
            b += 4;
        }

        var va = Vector128.Create(alpha);
        if (beta == 0)
        {
            Vector128.Store(c00 * va, c + (0 * ldc) + 0);
            Vector128.Store(c01 * va, c + (0 * ldc) + 2);
            Vector128.Store(c10 * va, c + (1 * ldc) + 0);
            Vector128.Store(c11 * va, c + (1 * ldc) + 2);
            Vector128.Store(c20 * va, c + (2 * ldc) + 0);
            Vector128.Store(c21 * va, c + (2 * ldc) + 2);
            Vector128.Store(c30 * va, c + (3 * ldc) + 0);
            Vector128.Store(c31 * va, c + (3 * ldc) + 2);
            Vector128.Store(c40 * va, c + (4 * ldc) + 0);
            Vector128.Store(c41 * va, c + (4 * ldc) + 2);
            Vector128.Store(c50 * va, c + (5 * ldc) + 0);
            Vector128.Store(c51 * va, c + (5 * ldc) + 2);
        }
        else
        {
            var vb = Vector128.Create(beta);
            Vector128.Store(MultiplyAdd128(c00, va, Vector128.Load(c + (0 * ldc) + 0) * vb), c + (0 * ldc) + 0);
            Vector128.Store(MultiplyAdd128(c01, va, Vector128.Load(c + (0 * ldc) + 2) * vb), c + (0 * ldc) + 2);
            Vector128.Store(MultiplyAdd128(c10, va, Vector128.Load(c + (1 * ldc) + 0) * vb), c + (1 * ldc) + 0);
            Vector128.Store(MultiplyAdd128(c11, va, Vector128.Load(c + (1 * ldc) + 2) * vb), c + (1 * ldc) + 2);
            Vector128.Store(MultiplyAdd128(c20, va, Vector128.Load(c + (2 * ldc) + 0) * vb), c + (2 * ldc) + 0);
            Vector128.Store(MultiplyAdd128(c21, va, Vector128.Load(c + (2 * ldc) + 2) * vb), c + (2 * ldc) + 2);
            Vector128.Store(MultiplyAdd128(c30, va, Vector128.Load(c + (3 * ldc) + 0) * vb), c + (3 * ldc) + 0);
            Vector128.Store(MultiplyAdd128(c31, va, Vector128.Load(c + (3 * ldc) + 2) * vb), c + (3 * ldc) + 2);
            Vector128.Store(MultiplyAdd128(c40, va, Vector128.Load(c + (4 * ldc) + 0) * vb), c + (4 * ldc) + 0);
            Vector128.Store(MultiplyAdd128(c41, va, Vector128.Load(c + (4 * ldc) + 2) * vb), c + (4 * ldc) + 2);
            Vector128.Store(MultiplyAdd128(c50, va, Vector128.Load(c + (5 * ldc) + 0) * vb), c + (5 * ldc) + 0);
            Vector128.Store(MultiplyAdd128(c51, va, Vector128.Load(c + (5 * ldc) + 2) * vb), c + (5 * ldc) + 2);
        }
    }

    /// <summary>The 4 x 4 scalar micro-kernel, used when no SIMD is accelerated.</summary>
    private static unsafe void KernelScalar4x4(int kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        double c00 = 0; double c01 = 0; double c02 = 0; double c03 = 0;
        double c10 = 0; double c11 = 0; double c12 = 0; double c13 = 0;
        double c20 = 0; double c21 = 0; double c22 = 0; double c23 = 0;
        double c30 = 0; double c31 = 0; double c32 = 0; double c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            double b0 = b[0];
            double b1 = b[1];
            double b2 = b[2];
            double b3 = b[3];
            double a0 = a[0];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            double a1 = a[1];
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            double a2 = a[2];
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            double a3 = a[3];
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
            a += 4;
            b += 4;
        }

        if (beta == 0)
        {
            c[(0 * ldc) + 0] = alpha * c00;
            c[(0 * ldc) + 1] = alpha * c01;
            c[(0 * ldc) + 2] = alpha * c02;
            c[(0 * ldc) + 3] = alpha * c03;
            c[(1 * ldc) + 0] = alpha * c10;
            c[(1 * ldc) + 1] = alpha * c11;
            c[(1 * ldc) + 2] = alpha * c12;
            c[(1 * ldc) + 3] = alpha * c13;
            c[(2 * ldc) + 0] = alpha * c20;
            c[(2 * ldc) + 1] = alpha * c21;
            c[(2 * ldc) + 2] = alpha * c22;
            c[(2 * ldc) + 3] = alpha * c23;
            c[(3 * ldc) + 0] = alpha * c30;
            c[(3 * ldc) + 1] = alpha * c31;
            c[(3 * ldc) + 2] = alpha * c32;
            c[(3 * ldc) + 3] = alpha * c33;
        }
        else
        {
            c[(0 * ldc) + 0] = (alpha * c00) + (beta * c[(0 * ldc) + 0]);
            c[(0 * ldc) + 1] = (alpha * c01) + (beta * c[(0 * ldc) + 1]);
            c[(0 * ldc) + 2] = (alpha * c02) + (beta * c[(0 * ldc) + 2]);
            c[(0 * ldc) + 3] = (alpha * c03) + (beta * c[(0 * ldc) + 3]);
            c[(1 * ldc) + 0] = (alpha * c10) + (beta * c[(1 * ldc) + 0]);
            c[(1 * ldc) + 1] = (alpha * c11) + (beta * c[(1 * ldc) + 1]);
            c[(1 * ldc) + 2] = (alpha * c12) + (beta * c[(1 * ldc) + 2]);
            c[(1 * ldc) + 3] = (alpha * c13) + (beta * c[(1 * ldc) + 3]);
            c[(2 * ldc) + 0] = (alpha * c20) + (beta * c[(2 * ldc) + 0]);
            c[(2 * ldc) + 1] = (alpha * c21) + (beta * c[(2 * ldc) + 1]);
            c[(2 * ldc) + 2] = (alpha * c22) + (beta * c[(2 * ldc) + 2]);
            c[(2 * ldc) + 3] = (alpha * c23) + (beta * c[(2 * ldc) + 3]);
            c[(3 * ldc) + 0] = (alpha * c30) + (beta * c[(3 * ldc) + 0]);
            c[(3 * ldc) + 1] = (alpha * c31) + (beta * c[(3 * ldc) + 1]);
            c[(3 * ldc) + 2] = (alpha * c32) + (beta * c[(3 * ldc) + 2]);
            c[(3 * ldc) + 3] = (alpha * c33) + (beta * c[(3 * ldc) + 3]);
        }
    }
}
