using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace AutoDiffGen.LinearAlgebra;

public sealed partial class Matrix
{
    /// <summary>The element-wise sum a + b, a new matrix.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand, of the same shape.</param>
    /// <returns>A new matrix of the same shape. NaN and infinities propagate element-wise.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static Matrix operator +(Matrix a, Matrix b) => Add(a, b);

    /// <summary>The element-wise difference a - b, a new matrix.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand, of the same shape.</param>
    /// <returns>A new matrix of the same shape. NaN and infinities propagate element-wise.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static Matrix operator -(Matrix a, Matrix b) => Subtract(a, b);

    /// <summary>The negation -a, a new matrix.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>A new matrix of the same shape with every sign flipped (NaN stays NaN).</returns>
    /// <exception cref="ArgumentNullException">The operand is null.</exception>
    public static Matrix operator -(Matrix a) => Multiply(-1.0, a);

    /// <summary>The matrix product a * b, computed by <see cref="Kernels.Gemm(MatrixOp, MatrixOp, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int)"/> (DGEMM).</summary>
    /// <param name="a">The left factor, m x k.</param>
    /// <param name="b">The right factor, k x n.</param>
    /// <returns>A new m x n matrix. NaN and infinities propagate as in IEEE arithmetic.</returns>
    /// <exception cref="ArgumentNullException">A factor is null.</exception>
    /// <exception cref="ArgumentException">The columns of a differ from the rows of b; the message names both shapes.</exception>
    public static Matrix operator *(Matrix a, Matrix b) => Multiply(a, b);

    /// <summary>The scalar multiple s * a, a new matrix.</summary>
    /// <param name="s">The factor.</param>
    /// <param name="a">The matrix.</param>
    /// <returns>A new matrix of the same shape (0 * infinity and 0 * NaN give NaN).</returns>
    /// <exception cref="ArgumentNullException">The matrix is null.</exception>
    public static Matrix operator *(double s, Matrix a) => Multiply(s, a);

    /// <summary>The scalar multiple a * s, a new matrix.</summary>
    /// <param name="a">The matrix.</param>
    /// <param name="s">The factor.</param>
    /// <returns>A new matrix of the same shape (0 * infinity and 0 * NaN give NaN).</returns>
    /// <exception cref="ArgumentNullException">The matrix is null.</exception>
    public static Matrix operator *(Matrix a, double s) => Multiply(s, a);

    /// <summary>The matrix-vector product a * x (DGEMV), a new array.</summary>
    /// <param name="a">The matrix, m x n.</param>
    /// <param name="x">The vector, length n.</param>
    /// <returns>A new array of length m.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">The length of x differs from the columns of a; the message names the shape and the length.</exception>
    public static double[] operator *(Matrix a, double[] x)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(x);
        return a.Multiply(x);
    }

    /// <summary>The element-wise sum a + b, a new matrix.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static Matrix Add(Matrix a, Matrix b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Guard.SameShape(a, b, nameof(b));
        var result = new Matrix(a.Rows, a.Columns);
        TensorPrimitives.Add(a._data, b._data, result._data);
        return result;
    }

    /// <summary>The element-wise difference a - b, a new matrix.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static Matrix Subtract(Matrix a, Matrix b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Guard.SameShape(a, b, nameof(b));
        var result = new Matrix(a.Rows, a.Columns);
        TensorPrimitives.Subtract(a._data, b._data, result._data);
        return result;
    }

    /// <summary>The scalar multiple s * a, a new matrix.</summary>
    /// <param name="s">The factor.</param>
    /// <param name="a">The matrix.</param>
    /// <returns>A new matrix of the same shape (0 * infinity and 0 * NaN give NaN).</returns>
    /// <exception cref="ArgumentNullException">The matrix is null.</exception>
    public static Matrix Multiply(double s, Matrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var result = new Matrix(a.Rows, a.Columns);
        TensorPrimitives.Multiply(a._data, s, result._data);
        return result;
    }

    /// <summary>The matrix product a * b (DGEMM), a new matrix.</summary>
    /// <param name="a">The left factor, m x k.</param>
    /// <param name="b">The right factor, k x n.</param>
    /// <returns>A new m x n matrix; an m x 0 times 0 x n product is the m x n zero matrix.</returns>
    /// <exception cref="ArgumentNullException">A factor is null.</exception>
    /// <exception cref="ArgumentException">The columns of a differ from the rows of b; the message names both shapes.</exception>
    public static Matrix Multiply(Matrix a, Matrix b) => Multiply(a, MatrixOp.None, b, MatrixOp.None);

    /// <summary>
    /// The product op(a) * op(b) (DGEMM), where op is the identity or the transpose, without forming
    /// the transposes: for example a^T * b for <c>Multiply(a, MatrixOp.Transpose, b, MatrixOp.None)</c>.
    /// </summary>
    /// <param name="a">The left factor; op(a) is m x k.</param>
    /// <param name="opA">Whether to use a or its transpose.</param>
    /// <param name="b">The right factor; op(b) is k x n.</param>
    /// <param name="opB">Whether to use b or its transpose.</param>
    /// <returns>A new m x n matrix.</returns>
    /// <exception cref="ArgumentNullException">A factor is null.</exception>
    /// <exception cref="ArgumentException">The inner dimensions of op(a) and op(b) differ; the message names both shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An op is not a defined <see cref="MatrixOp"/> value.</exception>
    public static Matrix Multiply(Matrix a, MatrixOp opA, Matrix b, MatrixOp opB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        bool ta = opA == MatrixOp.Transpose, tb = opB == MatrixOp.Transpose;
        int m = ta ? a.Columns : a.Rows, k = ta ? a.Rows : a.Columns;
        int kb = tb ? b.Columns : b.Rows, n = tb ? b.Rows : b.Columns;
        if (k != kb)
        {
            string left = ta ? $"{a.ShapeText} (transposed)" : a.ShapeText;
            string right = tb ? $"{b.ShapeText} (transposed)" : b.ShapeText;
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Shape mismatch: {left} and {right} cannot be multiplied; the inner dimensions {k} and {kb} differ."),
                nameof(b));
        }

        var result = new Matrix(m, n);
        Kernels.Gemm(opA, opB, m, n, k, 1.0, a._data, a.Columns, b._data, b.Columns, 0.0, result._data, n);
        return result;
    }

    /// <summary>The matrix-vector product this * x (DGEMV), a new array.</summary>
    /// <param name="x">The vector, of length <see cref="Columns"/>.</param>
    /// <returns>A new array of length <see cref="Rows"/>.</returns>
    /// <exception cref="ArgumentException">The length of x differs from <see cref="Columns"/>; the message names the shape and the length.</exception>
    public double[] Multiply(ReadOnlySpan<double> x)
    {
        if (x.Length != Columns)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Shape mismatch: {ShapeText} and a vector of length {x.Length}."),
                nameof(x));
        }

        var y = new double[Rows];
        Kernels.Gemv(Rows, Columns, 1.0, _data, x, 0.0, y);
        return y;
    }

    /// <summary>The transpose, a new Columns x Rows matrix.</summary>
    /// <returns>The transpose; values (including NaN payloads) are copied exactly.</returns>
    public Matrix Transpose()
    {
        var result = new Matrix(Columns, Rows);
        Kernels.Transpose(Rows, Columns, _data, result._data);
        return result;
    }

    /// <summary>The trace, the sum of the diagonal elements (0 for a 0 x 0 matrix).</summary>
    /// <returns>The trace; NaN or infinity on the diagonal propagates.</returns>
    /// <exception cref="ArgumentException">The matrix is not square; the message names its shape.</exception>
    public double Trace()
    {
        Guard.Square(this, "this");
        double sum = 0;
        for (int i = 0; i < Rows; i++)
        {
            sum += _data[(i * Columns) + i];
        }

        return sum;
    }

    /// <summary>
    /// The Frobenius norm sqrt(sum_ij a_ij^2) (LAPACK DLANGE with NORM = 'F'), computed without
    /// overflow or underflow by <see cref="Kernels.Norm2(ReadOnlySpan{double})"/>.
    /// </summary>
    /// <returns>The norm; 0 for an empty matrix, NaN if any element is NaN, otherwise +infinity if any element is infinite.</returns>
    public double FrobeniusNorm() => Kernels.Norm2(_data);
}
