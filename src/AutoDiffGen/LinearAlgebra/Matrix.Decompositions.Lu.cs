using System;

namespace AutoDiffGen.LinearAlgebra;

/// <content>Determinant, inverse and linear solves through the LU, Cholesky and QR factorisations.</content>
public sealed partial class Matrix
{
    /// <summary>Factors this square matrix as P A = L U (GETRF). See <see cref="LuDecomposition"/>.</summary>
    /// <exception cref="ArgumentException">The matrix is not square, or contains NaN or infinity.</exception>
    public LuDecomposition Lu() => new(this);

    /// <summary>Factors this symmetric positive definite matrix as A = L L^T (POTRF), reading only its lower triangle.
    /// See <see cref="CholeskyDecomposition"/>.</summary>
    /// <exception cref="ArgumentException">The matrix is not square, or its lower triangle contains NaN or infinity.</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException">A pivot is not positive.</exception>
    public CholeskyDecomposition Cholesky() => new(this);

    /// <summary>Factors this m x n matrix (m &gt;= n) as A = Q R by Householder reflections (GEQRF). See <see cref="QrDecomposition"/>.</summary>
    /// <exception cref="ArgumentException">The matrix has fewer rows than columns, or contains NaN or infinity.</exception>
    public QrDecomposition Qr() => new(this);

    /// <summary>The determinant, through LU with partial pivoting; exactly 0 for an exactly singular matrix, 1 for 0 x 0.
    /// May overflow to infinity for large matrices (see <see cref="LogDeterminant(out int)"/>).</summary>
    /// <exception cref="ArgumentException">The matrix is not square (the message names its shape), or contains NaN or infinity.</exception>
    public double Determinant() => new LuDecomposition(this).Determinant;

    /// <summary>log |det(A)| through LU, without overflow, and the sign of det(A) (+1, -1, or 0 when singular,
    /// in which case the result is negative infinity).</summary>
    /// <param name="sign">Receives the sign of the determinant.</param>
    /// <exception cref="ArgumentException">The matrix is not square, or contains NaN or infinity.</exception>
    public double LogDeterminant(out int sign)
    {
        var lu = new LuDecomposition(this);
        sign = lu.DeterminantSign;
        return lu.LogAbsDeterminant;
    }

    /// <summary>The inverse, through LU with partial pivoting (GETRF + GETRS against the identity).</summary>
    /// <exception cref="ArgumentException">The matrix is not square, or contains NaN or infinity.</exception>
    /// <exception cref="SingularMatrixException">The matrix is exactly singular; the exception names the zero pivot.</exception>
    public Matrix Inverse() => new LuDecomposition(this).Inverse();

    /// <summary>Solves A X = B for square A through LU with partial pivoting (GESV). NaN or infinity in the right-hand side propagates into
    /// the solution; for least squares with a non-square A use <see cref="Qr"/>.</summary>
    /// <param name="b">An n x k matrix of right-hand sides.</param>
    /// <returns>The n x k solution.</returns>
    /// <exception cref="ArgumentException">A is not square, B does not have n rows (the message names both shapes),
    /// or A contains NaN or infinity.</exception>
    /// <exception cref="SingularMatrixException">A is exactly singular.</exception>
    public Matrix Solve(Matrix b)
    {
        ArgumentNullException.ThrowIfNull(b);
        CheckSolveShape(b.Rows, b.ShapeText);
        return new LuDecomposition(this).Solve(b);
    }

    /// <summary>Solves A x = b for square A through LU with partial pivoting (GESV). NaN or infinity in the right-hand side propagates into
    /// the solution; for least squares with a non-square A use <see cref="Qr"/>.</summary>
    /// <param name="b">The right-hand side, length n.</param>
    /// <returns>The solution, a new array of length n.</returns>
    /// <exception cref="ArgumentException">A is not square, b does not have length n (the message names both shapes),
    /// or A contains NaN or infinity.</exception>
    /// <exception cref="SingularMatrixException">A is exactly singular.</exception>
    public double[] Solve(ReadOnlySpan<double> b)
    {
        CheckSolveShape(b.Length, $"a vector of length {b.Length}");
        var x = new double[b.Length];
        new LuDecomposition(this).Solve(b, x);
        return x;
    }

    private void CheckSolveShape(int rhsRows, string rhsText)
    {
        if (!IsSquare || rhsRows != Rows)
        {
            throw new ArgumentException(
                $"Shape mismatch: A is {ShapeText} and the right-hand side is {rhsText}; A must be square with as many rows as the right-hand side.",
                "b");
        }
    }
}
