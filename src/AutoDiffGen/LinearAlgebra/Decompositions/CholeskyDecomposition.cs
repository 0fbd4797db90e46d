using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// Cholesky factorisation A = L L^T of a symmetric positive definite matrix, computed once at
/// construction (LAPACK POTRF with UPLO = 'L'). L is lower triangular with a positive diagonal.
/// </summary>
/// <remarks>
/// <para><b>Only the lower triangle (j &lt;= i) of the input is read</b>, as POTRF does: the strict
/// upper triangle is assumed to mirror it and is never inspected, so symmetry is not checked. This
/// keeps matrices that are symmetric only up to rounding usable.</para>
/// <para>The factorisation is blocked and right-looking: the diagonal block is factored, the block
/// column below it is found by a triangular solve, and the trailing lower triangle is updated by a
/// packed product (SYRK), which carries almost all of the n^3/3 flops.</para>
/// <para>Entries of the lower triangle must be finite: NaN or infinity is rejected at construction.</para>
/// </remarks>
public sealed class CholeskyDecomposition
{
    // Outer block width: the trailing SYRK has depth Nb.
    private const int Nb = 128;

    // Diagonal blocks are factored with this narrower width before falling back to dot products.
    private const int InnerNb = 16;

    private readonly double[] _l;

    /// <summary>Factors the symmetric positive definite matrix <paramref name="a"/> (not modified), reading only its lower triangle.</summary>
    /// <param name="a">An n x n matrix; 0 x 0 is allowed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square (the message names its shape), or its
    /// lower triangle contains NaN or infinity.</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException">A pivot A[j, j] - sum L[j, p]^2 is not positive;
    /// <see cref="MatrixNotPositiveDefiniteException.Pivot"/> is that zero-based j and
    /// <see cref="MatrixNotPositiveDefiniteException.Value"/> the value found.</exception>
    public CholeskyDecomposition(Matrix a)
    {
        Guard.Square(a, nameof(a));
        int n = a.Rows;
        Order = n;
        _l = new double[n * n];
        DecompositionGuard.Finite(a, lowerTriangleOnly: true, nameof(a));
        ReadOnlySpan<double> src = a.Data;
        for (int i = 0; i < n; i++)
        {
            src.Slice(i * n, i + 1).CopyTo(_l.AsSpan(i * n, i + 1));
        }

        Factor();
    }

    /// <summary>The order n of the factored matrix.</summary>
    public int Order { get; }

    /// <summary>The lower-triangular factor L (n x n, zeros above the diagonal), a new matrix on each call.</summary>
    public Matrix L => new(Order, Order, (double[])_l.Clone());

    /// <summary>log det(A) = 2 sum log L[i, i], without overflow; 0 for 0 x 0.</summary>
    public double LogDeterminant
    {
        get
        {
            int n = Order;
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                sum += Math.Log(_l[(i * n) + i]);
            }

            return 2.0 * sum;
        }
    }

    /// <summary>det(A) = (prod L[i, i])^2, always positive; may overflow to infinity for large n
    /// (use <see cref="LogDeterminant"/> then); 1 for 0 x 0.</summary>
    public double Determinant
    {
        get
        {
            int n = Order;
            double p = 1.0;
            for (int i = 0; i < n; i++)
            {
                p *= _l[(i * n) + i];
            }

            return p * p;
        }
    }

    /// <summary>Solves A x = b (POTRS) for one right-hand side: L y = b, then L^T x = y. The right-hand side is not checked: NaN or infinity in it propagates into the solution.</summary>
    /// <param name="b">Length n.</param>
    /// <param name="x">Receives the solution, length n; it may be the same memory as <paramref name="b"/>.</param>
    /// <exception cref="ArgumentException">A length is not n (the message names both).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        int n = Order;
        Guard.Length(n, b.Length, $"the right-hand side of a {n} x {n} system", nameof(b));
        Guard.Length(n, x.Length, $"the solution of a {n} x {n} system", nameof(x));
        b.CopyTo(x);
        ReadOnlySpan<double> l = _l;
        for (int i = 0; i < n; i++)
        {
            x[i] = (x[i] - TensorPrimitives.Dot(l.Slice(i * n, i), x[..i])) / l[(i * n) + i];
        }

        // L^T x = y column by column: once x[i] is known, row i of L (= column i of L^T) updates x[0..i).
        for (int i = n - 1; i >= 0; i--)
        {
            double xi = x[i] / l[(i * n) + i];
            x[i] = xi;
            if (i > 0)
            {
                TensorPrimitives.FusedMultiplyAdd(l.Slice(i * n, i), -xi, x[..i], x[..i]);
            }
        }
    }

    /// <summary>Solves A X = B (POTRS) for a matrix of right-hand sides. The right-hand side is not checked: NaN or infinity in it propagates into the solution.</summary>
    /// <param name="b">An n x k matrix; it is not modified.</param>
    /// <returns>The n x k solution.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows (the message names both shapes).</exception>
    public Matrix Solve(Matrix b)
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = Order;
        if (b.Rows != n)
        {
            throw new ArgumentException($"Shape mismatch: A is {n} x {n} but B is {b.ShapeText}; B needs {n} rows.", nameof(b));
        }

        var x = b.Clone();
        SolveInPlace(x);
        return x;
    }

    /// <summary>The inverse A^-1 (POTRS against the identity), a new n x n matrix; symmetric up to rounding.</summary>
    public Matrix Inverse()
    {
        var x = Matrix.Identity(Order);
        SolveInPlace(x);
        return x;
    }

    private unsafe void SolveInPlace(Matrix x)
    {
        int n = Order, k = x.Columns;
        if (n == 0 || k == 0)
        {
            return;
        }

        fixed (double* px = x.Data)
        fixed (double* pl = _l)
        {
            BlockKernels.SolveLower(n, k, pl, n, 1, unitDiagonal: false, px, k);

            // L^T read through swapped strides: element (i, j) of L^T is l[j * n + i].
            BlockKernels.SolveUpper(n, k, pl, 1, n, px, k);
        }
    }

    private unsafe void Factor()
    {
        int n = Order;
        if (n == 0)
        {
            return;
        }

        double[] bufferArray = ArrayPool<double>.Shared.Rent(Nb * n);
        try
        {
            fixed (double* a = _l)
            fixed (double* t = bufferArray)
            {
                FactorBlocked(a, 0, n, Nb, t);

                // The trailing updates leave partial values above the diagonal; L is lower triangular.
                for (int i = 0; i < n; i++)
                {
                    new Span<double>(a + (i * n) + i + 1, n - i - 1).Clear();
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(bufferArray);
        }
    }

    /// <summary>Right-looking blocked Cholesky of the diagonal block A[off:off+size, off:off+size] with block
    /// width nb. Diagonal blocks wider than <see cref="InnerNb"/> are factored by the same scheme with the
    /// narrower width, so that the O(nb^3) part also runs through the packed product.</summary>
    /// <param name="a">The n x n storage (leading dimension n).</param>
    /// <param name="off">First row and column of the block.</param>
    /// <param name="size">Order of the block.</param>
    /// <param name="nb">Block width.</param>
    /// <param name="t">Scratch of at least nb * (n - off) elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void FactorBlocked(double* a, int off, int size, int nb, double* t)
    {
        int n = Order;
        int end = off + size;
        for (int k0 = off; k0 < end; k0 += nb)
        {
            int kb = Math.Min(nb, end - k0);
            if (kb > InnerNb)
            {
                FactorBlocked(a, k0, kb, InnerNb, t);
            }
            else
            {
                FactorDiagonalBlock(a, k0, kb);
            }

            int rest = end - k0 - kb;
            if (rest == 0)
            {
                break;
            }

            // L21 = A21 L11^-T, done as L21^T = L11^-1 A21^T on a transposed copy: the copy
            // is then exactly the packed right operand L21^T of the trailing update.
            double* a21 = a + ((k0 + kb) * n) + k0;
            for (int i = 0; i < rest; i++)
            {
                double* row = a21 + (i * n);
                for (int p = 0; p < kb; p++)
                {
                    t[(p * rest) + i] = row[p];
                }
            }

            BlockKernels.SolveLower(kb, rest, a + (k0 * n) + k0, n, 1, unitDiagonal: false, t, rest);
            for (int i = 0; i < rest; i++)
            {
                double* row = a21 + (i * n);
                for (int p = 0; p < kb; p++)
                {
                    row[p] = t[(p * rest) + i];
                }
            }

            // A22 -= L21 L21^T on the lower triangle only (SYRK).
            BlockKernels.SubtractProduct(
                rest, rest, kb,
                a21, n, 1,
                t, rest, 1,
                a21 + kb, n,
                lowerOnly: true);
        }
    }

    /// <summary>Unblocked Cholesky of the kb x kb diagonal block at (k0, k0), whose earlier updates are
    /// already applied: row-oriented dot products over the block's own columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void FactorDiagonalBlock(double* a, int k0, int kb)
    {
        int n = Order;
        for (int j = k0; j < k0 + kb; j++)
        {
            var rowJ = new ReadOnlySpan<double>(a + (j * n) + k0, j - k0);
            double d = a[(j * n) + j] - TensorPrimitives.Dot(rowJ, rowJ);
            if (!(d > 0.0))
            {
                throw new MatrixNotPositiveDefiniteException(j, d);
            }

            double ljj = Math.Sqrt(d);
            a[(j * n) + j] = ljj;
            for (int i = j + 1; i < k0 + kb; i++)
            {
                var rowI = new ReadOnlySpan<double>(a + (i * n) + k0, j - k0);
                a[(i * n) + j] = (a[(i * n) + j] - TensorPrimitives.Dot(rowI, rowJ)) / ljj;
            }
        }
    }
}
