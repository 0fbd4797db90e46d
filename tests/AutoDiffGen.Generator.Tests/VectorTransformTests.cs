using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Transforms;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The adjoint transform with an output array (the result span of a vector-valued method) on
/// hand-built IR: its elements change during the forward sweep like a local array's, so an element
/// overwritten after the reverse sweep has read it is taped, while a first write is not.
/// </summary>
public sealed class VectorTransformTests
{
    private static readonly ParamInfo X = new("x", "double", IrType.Double, true, false);
    private static readonly ParamInfo R = new("r", "global::System.Span<double>", IrType.DoubleArray, false, true);

    private static ElementRef R0 => new("r", new IntConst(0), IrType.Double);

    private static VarRef Var(string name) => new(name, IrType.Double);

    /// <summary>r[0] = x; t = r[0] * x; r[0] = t; then three times: u = r[0] * x; r[1] = u.</summary>
    private static EquatableArray<Stmt> Body() => EquatableArray.Of<Stmt>(
        new Declare("ret", IrType.Double, null),
        new Store("r", new IntConst(0), Var("x")),
        new Declare("t", IrType.Double, new Binary(BinaryOp.Multiply, R0, Var("x"), IrType.Double)),
        new Store("r", new IntConst(0), Var("t")),
        new Declare("k", IrType.Int, new IntConst(0)),
        new Loop(
            LoopKind.While,
            EquatableArray<Stmt>.Empty,
            new Binary(BinaryOp.Less, new VarRef("k", IrType.Int), new IntConst(3), IrType.Bool),
            EquatableArray.Of<Stmt>(
                new Declare("u", IrType.Double, new Binary(BinaryOp.Multiply, R0, Var("x"), IrType.Double)),
                new Store("r", new IntConst(1), Var("u")),
                new Assign("k", new Binary(BinaryOp.Add, new VarRef("k", IrType.Int), new IntConst(1), IrType.Int))),
            EquatableArray<Stmt>.Empty),
        new Return(Var("ret")));

    private static AdjointProgram Transform()
    {
        var body = Body();
        var active = ActivityAnalysis.Active(body, ["x"], outputs: ["r"]);
        Assert.Contains("r", active);
        return AdjointTransform.Apply(body, active, [X, R], new System.Collections.Generic.Dictionary<string, string> { ["r"] = "r_bar" }, new NameScope(["x", "r", "ret", "t", "k", "u"]), outputs: ["r"]);
    }

    [Fact]
    public void AnOutputElementOverwrittenAfterItIsReadIsTapedAndItsFirstWriteIsNot()
    {
        var program = Transform();
        var forward = IrWalk.AllStatements(program.Forward).ToList();
        var stores = forward.Select((s, i) => (s, i)).Where(p => p.s is Store { Array: "r" }).ToList();
        Assert.Equal(3, stores.Count);

        // r[0] = x: the caller's contents are never read, nothing to restore.
        Assert.False(stores[0].i > 0 && forward[stores[0].i - 1] is Push, "the first write of r[0] is taped");

        // r[0] = t after t = r[0] * x read it: the reverse sweep must see the old value again.
        Assert.Equal(new Push(R0), forward[stores[1].i - 1]);
        Assert.Contains(IrWalk.AllStatements(program.Reverse), s => s is Store { Array: "r", Value: Popped });

        // The reverse sweep seeds from the output's adjoint and reads r[0] for t's partial.
        Assert.Contains(IrWalk.AllStatements(program.Reverse).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.ReadNames), n => n == "r_bar");
    }

    [Fact]
    public void AValueReadFromAnOutputInsideALoopIsNotRecomputedFromItsLaterContents()
    {
        // while (k < 3) { u = r[0] * x; r[0] = x; w = u * u; r[1] = w; k = k + 1; }: u is declared
        // once in the loop body from values that would be stable if r were an input array, but
        // r[0] changes before u's last use, so recomputing u in the reverse sweep (at the start of
        // a reverse iteration, or before that use) would read the wrong value: u must be taped.
        var body = EquatableArray.Of<Stmt>(
            new Declare("ret", IrType.Double, null),
            new Store("r", new IntConst(0), Var("x")),
            new Declare("k", IrType.Int, new IntConst(0)),
            new Loop(
                LoopKind.While,
                EquatableArray<Stmt>.Empty,
                new Binary(BinaryOp.Less, new VarRef("k", IrType.Int), new IntConst(3), IrType.Bool),
                EquatableArray.Of<Stmt>(
                    new Declare("u", IrType.Double, new Binary(BinaryOp.Multiply, R0, Var("x"), IrType.Double)),
                    new Store("r", new IntConst(0), Var("x")),
                    new Declare("w", IrType.Double, new Binary(BinaryOp.Multiply, Var("u"), Var("u"), IrType.Double)),
                    new Store("r", new IntConst(1), Var("w")),
                    new Assign("k", new Binary(BinaryOp.Add, new VarRef("k", IrType.Int), new IntConst(1), IrType.Int))),
                EquatableArray<Stmt>.Empty),
            new Return(Var("ret")));
        var active = ActivityAnalysis.Active(body, ["x"], outputs: ["r"]);
        var program = AdjointTransform.Apply(body, active, [X, R], new System.Collections.Generic.Dictionary<string, string> { ["r"] = "r_bar" }, new NameScope(["x", "r", "ret", "k", "u", "w"]), outputs: ["r"]);

        var reverseLoop = Assert.Single(IrWalk.AllStatements(program.Reverse).OfType<ReverseLoop>());
        var assignments = IrWalk.AllStatements(reverseLoop.Body).OfType<Assign>().Where(a => a.Name == "u").ToList();
        Assert.NotEmpty(assignments);
        Assert.All(assignments, a => Assert.IsType<Popped>(a.Value));
    }
}
