namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// The operation op(X) applied to a matrix operand of <see cref="Kernels.Gemm(MatrixOp, MatrixOp, int, int, int, double, System.ReadOnlySpan{double}, int, System.ReadOnlySpan{double}, int, double, System.Span{double}, int)"/>:
/// the matrix as stored, or its transpose (the TRANSA/TRANSB argument of BLAS DGEMM, 'N' or 'T').
/// </summary>
public enum MatrixOp
{
    /// <summary>op(X) = X: the operand is used as stored.</summary>
    None = 0,

    /// <summary>op(X) = X^T: the operand is stored transposed.</summary>
    Transpose = 1,
}
