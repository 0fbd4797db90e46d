using AutoDiffGen.LinearAlgebra;
using Xunit;

namespace AutoDiffGen.Runtime.Tests;

public class MatrixTests
{
    [Fact]
    public void IdentityHasOnesOnTheDiagonal()
    {
        var m = Matrix.Identity(3);
        Assert.Equal(1.0, m[1, 1]);
        Assert.Equal(0.0, m[1, 2]);
    }

    [Fact]
    public void WrongStorageLengthNamesTheShape()
    {
        var ex = Assert.Throws<System.ArgumentException>(() => new Matrix(2, 3, new double[5]));
        Assert.Contains("2 x 3", ex.Message, System.StringComparison.Ordinal);
    }
}
