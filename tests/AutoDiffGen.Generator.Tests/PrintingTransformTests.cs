using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Transforms;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The two transforms that run on code about to be printed, on hand-built IR: accumulations into
/// known zeros, and element reads hoisted out of loops. What they may not do matters as much as
/// what they do, so most cases here are ones they must leave alone.
/// </summary>
public sealed class PrintingTransformTests
{
    private static VarRef D(string name) => new(name, IrType.Double);

    private static VarRef I(string name) => new(name, IrType.Int);

    private static EquatableArray<Stmt> Block(params Stmt[] statements) => statements.ToEquatableArray();

    private static Binary Less(Expr a, Expr b) => new(BinaryOp.Less, a, b, IrType.Bool);

    private static Assign Increment(string name) => new(name, new Binary(BinaryOp.Add, I(name), new IntConst(1), IrType.Int));

    private static Loop While(Expr condition, params Stmt[] body) => new(LoopKind.While, Block(), condition, Block(body), Block());

    private static Stmt[] ZeroPass(params Stmt[] body) => KnownZeroAccumulation.Apply(body, []).Body.ToArray();

    [Fact]
    public void AnAccumulationIntoAHoistedOrClearedDouble_BecomesAnAssignment()
    {
        var output = ZeroPass(new Hoist("a", IrType.Double), new Accumulate("a", D("x")), new Assign("a", new DoubleConst(0.0)), new Accumulate("a", D("y")));
        Assert.Equal(new Assign("a", D("x")), output[1]);
        Assert.Equal(new Assign("a", D("y")), output[3]);
    }

    [Fact]
    public void WhatMayNotBeZero_KeepsItsAccumulation()
    {
        // Carried across iterations.
        var carried = ZeroPass(new Hoist("a", IrType.Double), While(Less(I("i"), I("n")), new Accumulate("a", D("x")), Increment("i")));
        Assert.IsType<Accumulate>(((Loop)carried[1]).Body[0]);

        // Written on one branch only.
        var branch = ZeroPass(new Hoist("a", IrType.Double), new If(D("c"), Block(new Assign("a", D("x"))), Block()), new Accumulate("a", D("y")));
        Assert.IsType<Accumulate>(branch[2]);

        // Popped from the tape, or cleared to -0.0 (0.0 + v is not v for v = -0.0 either way, but keep the rule exact).
        var popped = ZeroPass(new Hoist("a", IrType.Double), new Assign("a", new Popped(IrType.Double)), new Accumulate("a", D("y")));
        Assert.IsType<Accumulate>(popped[2]);
        var negative = ZeroPass(new Assign("a", new DoubleConst(-0.0)), new Accumulate("a", D("y")));
        Assert.IsType<Accumulate>(negative[1]);

        // Written by a pullback call through a slot.
        var target = new CallTarget("T", "F", EquatableArray.Of(new ParamInfo("x", "double", IrType.Double, true, false)));
        var call = new PullbackCall(target, EquatableArray.Of<Expr>(D("x")), D("s"), EquatableArray.Of(new AdjointSlot(D("a"), D("x"))));
        var slot = ZeroPass(new Hoist("a", IrType.Double), call, new Accumulate("a", D("y")));
        Assert.IsType<Accumulate>(slot[2]);
    }

    [Fact]
    public void ALoopThatClearsWhatItUses_KeepsItZeroAtItsHead()
    {
        var output = ZeroPass(
            new Hoist("a", IrType.Double),
            While(Less(I("i"), I("n")), new Accumulate("a", D("x")), new Assign("b", D("a")), new Assign("a", new DoubleConst(0.0)), Increment("i")));
        Assert.Equal(new Assign("a", D("x")), ((Loop)output[1]).Body[0]);
    }

    private static EquatableArray<Stmt> Hoist(params Stmt[] body) => InvariantReadHoisting.Apply(body, new NameScope(["x", "y", "i", "j", "n", "s"]));

    private static ElementRef At(string array, Expr index) => new(array, index, IrType.Double);

    [Fact]
    public void AReadTheLoopDoesNotChange_IsReadOnceBehindATestOfTheCondition()
    {
        var loop = While(Less(I("j"), I("n")), new Assign("s", new Binary(BinaryOp.Add, D("s"), new Binary(BinaryOp.Multiply, At("x", I("j")), At("y", I("i")), IrType.Double), IrType.Double)), Increment("j"));
        var output = Hoist(loop);
        var guard = Assert.IsType<If>(Assert.Single(output));
        Assert.Equal(loop.Condition, guard.Condition);
        var read = Assert.IsType<Declare>(guard.Then[0]);
        Assert.Equal(At("y", I("i")), read.Init);
        var moved = Assert.IsType<Loop>(guard.Then[1]);
        Assert.Equal(LoopKind.DoWhile, moved.Kind);
        var update = (Binary)((Assign)moved.Body[0]).Value;
        Assert.Equal(D(read.Name), ((Binary)update.Right).Right);
    }

    [Fact]
    public void WrittenArrays_ChangingIndices_ConditionalReadsAndJumps_StayInTheLoop()
    {
        // y is written in the loop (through a slice sharing its storage, too).
        var written = Hoist(While(Less(I("j"), I("n")), new Assign("s", At("y", I("i"))), new Store("y", I("j"), D("s")), Increment("j")));
        Assert.IsType<Loop>(Assert.Single(written));
        var shared = Hoist(
            new SliceArray("y", new VarRef("all", IrType.DoubleArray), new IntConst(0), I("n")),
            While(Less(I("j"), I("n")), new Assign("s", At("y", I("i"))), new Store("all", I("j"), D("s")), Increment("j")));
        Assert.IsType<Loop>(shared[1]);

        // The index changes in the loop.
        var moving = Hoist(While(Less(I("j"), I("n")), new Assign("s", At("y", I("j"))), Increment("j")));
        Assert.IsType<Loop>(Assert.Single(moving));

        // Read only under a condition.
        var conditional = Hoist(While(Less(I("j"), I("n")), new If(D("c"), Block(new Assign("s", At("y", I("i")))), Block()), Increment("j")));
        Assert.IsType<Loop>(Assert.Single(conditional));

        // A loop with a break.
        var jumps = Hoist(While(Less(I("j"), I("n")), new Assign("s", At("y", I("i"))), new Break(), Increment("j")));
        Assert.IsType<Loop>(Assert.Single(jumps));
    }

    private static Stmt[] Reuse(params Stmt[] body) => ElementLoadReuse.Apply(body, new NameScope(["x", "y", "i", "j", "s", "t"])).ToArray();

    private static Binary Times(Expr a, Expr b) => new(BinaryOp.Multiply, a, b, IrType.Double);

    [Fact]
    public void AnElementTwoStatementsRead_IsLoadedOnce()
    {
        var output = Reuse(new Assign("s", Times(At("x", I("i")), D("a"))), new Assign("t", Times(At("x", I("i")), D("b"))));
        var load = Assert.IsType<Declare>(output[0]);
        Assert.Equal(At("x", I("i")), load.Init);
        Assert.Equal(new Assign("s", Times(D(load.Name), D("a"))), output[1]);
        Assert.Equal(new Assign("t", Times(D(load.Name), D("b"))), output[2]);
    }

    [Fact]
    public void AWriteBetween_AConditionalFirstRead_OrASlot_KeepTheReadsAsTheyAre()
    {
        // A write to the array, or to the index, between the reads.
        var store = Reuse(new Assign("s", At("x", I("i"))), new Store("x", I("j"), D("a")), new Assign("t", At("x", I("i"))));
        Assert.Equal(3, store.Length);
        var index = Reuse(new Assign("s", At("x", I("i"))), Increment("i"), new Assign("t", At("x", I("i"))));
        Assert.Equal(3, index.Length);

        // The only other read is under ?: : it does not count, so nothing is loaded early.
        var conditional = Reuse(
            new Assign("s", new Conditional(D("c"), At("x", I("i")), D("a"), IrType.Double)),
            new Assign("t", new Conditional(D("c"), At("x", I("i")), D("b"), IrType.Double)));
        Assert.Equal(2, conditional.Length);

        // Where a pullback accumulates (ref a_bar[i]) is not a read.
        var target = new CallTarget("T", "F", EquatableArray.Of(new ParamInfo("x", "double", IrType.Double, true, false)));
        var call = new PullbackCall(target, EquatableArray.Of<Expr>(D("y")), D("s"), EquatableArray.Of(new AdjointSlot(At("x_bar", I("i")), D("y"))));
        var slot = Reuse(new Assign("s", At("x_bar", I("i"))), call);
        Assert.Equal(call, slot[^1]);
    }
}
