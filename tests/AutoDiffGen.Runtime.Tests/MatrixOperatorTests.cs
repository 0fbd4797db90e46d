using System;
using AutoDiffGen.LinearAlgebra;
using Xunit;

namespace AutoDiffGen.Runtime.Tests;

/// <summary>Matrix operators, products, transpose, trace and Frobenius norm, with exact small cases and shape errors.</summary>
public class MatrixOperatorTests
{
    private static readonly Matrix A = Matrix.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
    private static readonly Matrix B = Matrix.FromArray(new double[,] { { 7, 8 }, { 9, 10 }, { 11, 12 } });

    [Fact]
    public void ProductOfSmallMatricesIsExact()
    {
        Matrix c = A * B;
        Assert.Equal(2, c.Rows);
        Assert.Equal(2, c.Columns);
        Assert.Equal([58.0, 64.0, 139.0, 154.0], c.Data.ToArray());
    }

    [Fact]
    public void TransposedProductsAvoidFormingTransposes()
    {
        Matrix expected = A.Transpose() * B.Transpose();
        Matrix actual = Matrix.Multiply(A, MatrixOp.Transpose, B, MatrixOp.Transpose);
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
        Assert.Equal((A * A.Transpose()).Data.ToArray(), Matrix.Multiply(A, MatrixOp.None, A, MatrixOp.Transpose).Data.ToArray());
    }

    [Fact]
    public void SumDifferenceNegationAndScalarMultiples()
    {
        Matrix twice = A + A;
        Assert.Equal((2.0 * A).Data.ToArray(), twice.Data.ToArray());
        Assert.Equal((A * 2.0).Data.ToArray(), twice.Data.ToArray());
        Assert.Equal(A.Data.ToArray(), (twice - A).Data.ToArray());
        Assert.Equal([-1.0, -2.0, -3.0, -4.0, -5.0, -6.0], (-A).Data.ToArray());
    }

    [Fact]
    public void MatrixVectorProduct()
    {
        Assert.Equal([14.0, 32.0], A * new double[] { 1, 2, 3 });
        Assert.Equal([14.0, 32.0], A.Multiply([1.0, 2.0, 3.0]));
    }

    [Fact]
    public void TransposeSwapsIndices()
    {
        Matrix t = A.Transpose();
        Assert.Equal(3, t.Rows);
        Assert.Equal(2, t.Columns);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(A[i, j], t[j, i]);
            }
        }
    }

    [Fact]
    public void TraceAndFrobeniusNorm()
    {
        var m = Matrix.FromArray(new double[,] { { 2, 1 }, { 1, 3 } });
        Assert.Equal(5.0, m.Trace());
        Assert.Equal(Math.Sqrt(15.0), m.FrobeniusNorm(), 1e-15);
        Assert.Equal(0.0, new Matrix(0, 0).Trace());
        Assert.Equal(0.0, new Matrix(0, 3).FrobeniusNorm());
        Assert.Equal(5e300, Matrix.FromArray(new double[,] { { 3e300, 4e300 } }).FrobeniusNorm(), 1e286);
    }

    [Fact]
    public void LargeProductMatchesNaiveLoops()
    {
        var random = new Random(21);
        var a = new Matrix(70, 130, Kernels.GemmTests.RandomArray(70 * 130, random));
        var b = new Matrix(130, 90, Kernels.GemmTests.RandomArray(130 * 90, random));
        Matrix c = a * b;
        for (int i = 0; i < 70; i++)
        {
            for (int j = 0; j < 90; j++)
            {
                double sum = 0;
                for (int q = 0; q < 130; q++)
                {
                    sum += a[i, q] * b[q, j];
                }

                Assert.Equal(sum, c[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void EmptyInnerDimensionGivesZeroMatrix()
    {
        Matrix c = new Matrix(2, 0) * new Matrix(0, 3);
        Assert.Equal(new double[6], c.Data.ToArray());
    }

    [Fact]
    public void ProductShapeMismatchNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => A * A);
        Assert.Contains("Shape mismatch: 2 x 3 and 2 x 3", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Matrix.Multiply(new Matrix(2, 3), new Matrix(4, 5)));
        Assert.Contains("Shape mismatch: 2 x 3 and 4 x 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SumShapeMismatchNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => A + B);
        Assert.Contains("Shape mismatch: 2 x 3 and 3 x 2", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => A - B);
        Assert.Contains("Shape mismatch: 2 x 3 and 3 x 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VectorLengthMismatchNamesShapeAndLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => A * new double[2]);
        Assert.Contains("2 x 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("length 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceOfNonSquareMatrixThrows()
    {
        var ex = Assert.Throws<ArgumentException>(() => A.Trace());
        Assert.Contains("2 x 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullOperandsThrow()
    {
        Assert.Throws<ArgumentNullException>(() => A + null!);
        Assert.Throws<ArgumentNullException>(() => null! * A);
        Assert.Throws<ArgumentNullException>(() => 2.0 * (Matrix)null!);
    }
}
