using System;
using AutoDiffGen.CompilerServices;
using Xunit;

namespace AutoDiffGen.Runtime.Tests;

/// <summary>The tape and the Hessian helpers generated code relies on.</summary>
public sealed class CompilerServicesTests
{
    [Fact]
    public void AfterReserve_ThatManyPushesSucceedAndKeepWhatWasBelow()
    {
        var tape = new AdTape();
        tape.Push(1.5);
        tape.Push(7);
        tape.Reserve(100_000, 50_000);
        for (int i = 0; i < 100_000; i++)
        {
            tape.Push((double)i);
        }

        for (int i = 0; i < 50_000; i++)
        {
            tape.Push(i);
        }

        for (int i = 50_000 - 1; i >= 0; i--)
        {
            Assert.Equal(i, tape.PopInt());
        }

        for (int i = 100_000 - 1; i >= 0; i--)
        {
            Assert.Equal(i, tape.PopDouble());
        }

        Assert.Equal(7, tape.PopInt());
        Assert.Equal(1.5, tape.PopDouble());
    }

    [Fact]
    public void WithoutReserve_AFullTapeThrowsAndGrowKeepsWhatLiesBelowTheMark()
    {
        var tape = new AdTape();
        tape.Push(2.5);
        var mark = tape.Mark;
        Assert.Throws<TapeFullException>(() =>
        {
            for (int i = 0; i < 1_000_000; i++)
            {
                tape.Push(1.0);
            }
        });
        tape.Grow(mark);
        Assert.Equal(1, tape.DoubleCount);
        Assert.Equal(2.5, tape.PopDouble());
    }

    [Fact]
    public void Reserve_RejectsNegativeCounts()
    {
        var tape = new AdTape();
        Assert.Throws<OverflowException>(() => tape.Reserve(-1, 0));
        Assert.Throws<OverflowException>(() => tape.Reserve(0, -1));
    }

    [Fact]
    public void Symmetrize_GivesTheMeanOfTheMatrixAndItsTransposeExactlySymmetric()
    {
        double[] m = [1.0, 0.1, 0.7, 0.3, 2.0, 1e-17, 0.9, 3.0, 5.0];
        var original = (double[])m.Clone();
        AdHessian.Symmetrize(m, 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(original[(i * 3) + i], m[(i * 3) + i]);
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(m[(i * 3) + j], m[(j * 3) + i]);
                Assert.Equal(0.5 * (original[(i * 3) + j] + original[(j * 3) + i]), m[(i * 3) + j]);
            }
        }
    }

    [Fact]
    public void CheckLength_NamesTheSpanAndTheSizeNeeded()
    {
        AdHessian.CheckLength(9, 3, "hessian");
        AdHessian.CheckLength(0, 0, "hessian");
        var e = Assert.Throws<ArgumentException>(() => AdHessian.CheckLength(8, 3, "hessian"));
        Assert.Equal("hessian", e.ParamName);
        Assert.Contains("3 x 3 = 9", e.Message, StringComparison.Ordinal);
    }
}
