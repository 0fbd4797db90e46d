using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Tests.Infrastructure;
using AutoDiffGen.Generator.Transforms;
using Xunit;
using static AutoDiffGen.Generator.IR.IrType;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The analyses and transforms on hand-built IR, with no Roslyn involved. Results are checked
/// structurally and, through <see cref="IrInterpreter"/>, numerically against closed forms and
/// central finite differences.
/// </summary>
public sealed class TransformTests
{
    // ------------------------------------------------------------------ IR construction helpers

    private static VarRef D(string name) => new(name, IrType.Double);

    private static VarRef I(string name) => new(name, Int);

    private static DoubleConst C(double value) => new(value);

    private static IntConst C(int value) => new(value);

    private static Binary Op(BinaryOp op, Expr left, Expr right) =>
        new(op, left, right, op is BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual or BinaryOp.Equal or BinaryOp.NotEqual or BinaryOp.And or BinaryOp.Or ? Bool : left.Type);

    private static Binary Mul(Expr a, Expr b) => Op(BinaryOp.Multiply, a, b);

    private static Binary Add(Expr a, Expr b) => Op(BinaryOp.Add, a, b);

    private static EquatableArray<Stmt> Block(params Stmt[] statements) => statements.ToEquatableArray();

    private static Loop While(Expr condition, params Stmt[] body) => new(LoopKind.While, Block(), condition, Block(body), Block());

    private static NameScope Names(params string[] reserved) => new(reserved);

    private static double Relative(double expected, double actual) => Math.Abs(expected - actual) / Math.Max(1.0, Math.Abs(expected));

    /// <summary>Runs <paramref name="body"/> with the given variable values; returns the result as double.</summary>
    private static double Evaluate(IEnumerable<Stmt> body, params (string Name, object Value)[] inputs)
    {
        var interpreter = new IrInterpreter();
        foreach (var (name, value) in inputs)
        {
            interpreter[name] = value;
        }

        return System.Convert.ToDouble(interpreter.Run(body), System.Globalization.CultureInfo.InvariantCulture);
    }

    // ------------------------------------------------------------------ activity analysis

    [Fact]
    public void ActivityAnalysis_ActiveMeansVariedAndUseful()
    {
        // a = 2x; c = 3y; d = x + 1; k = 3; s = 0; while (k > 0) { s = s + a; k = k - 1; } return s * c;
        var body = Block(
            new Declare("a", IrType.Double, Mul(D("x"), C(2.0))),
            new Declare("c", IrType.Double, Mul(D("y"), C(3.0))),
            new Declare("d", IrType.Double, Add(D("x"), C(1.0))),
            new Declare("k", Int, C(3)),
            new Declare("s", IrType.Double, C(0.0)),
            While(Op(BinaryOp.Greater, I("k"), C(0)), new Assign("s", Add(D("s"), D("a"))), new Assign("k", Op(BinaryOp.Subtract, I("k"), C(1)))),
            new Return(Mul(D("s"), D("c"))));

        var varied = ActivityAnalysis.Varied(body, ["x"]);
        var useful = ActivityAnalysis.Useful(body);
        var active = ActivityAnalysis.Active(body, ["x"]);

        Assert.Superset(new HashSet<string> { "x", "a", "d", "s" }, varied);
        Assert.DoesNotContain("c", varied);
        Assert.DoesNotContain("y", varied);
        Assert.Superset(new HashSet<string> { "s", "c", "a", "x", "y" }, useful);
        Assert.DoesNotContain("d", useful);
        Assert.Equal(new HashSet<string> { "x", "a", "s" }, active);
    }

    [Fact]
    public void ActivityAnalysis_FollowsDependenciesAgainstStatementOrderInLoops()
    {
        // u = 0; v = 0; while (k < 3) { v = 2u; u = x; k++; } return v;  -- v depends on x only through the back edge.
        var body = Block(
            new Declare("u", IrType.Double, C(0.0)),
            new Declare("v", IrType.Double, C(0.0)),
            new Declare("k", Int, C(0)),
            While(
                Op(BinaryOp.Less, I("k"), C(3)),
                new Assign("v", Mul(C(2.0), D("u"))),
                new Assign("u", D("x")),
                new Assign("k", Add(I("k"), C(1)))),
            new Return(D("v")));

        var active = ActivityAnalysis.Active(body, ["x"]);
        Assert.Equal(new HashSet<string> { "x", "u", "v" }, active);
    }

    // ------------------------------------------------------------------ forward mode

    private static EquatableArray<Stmt> TangentOf(EquatableArray<Stmt> body, Dictionary<string, string> tangents, params string[] reserved)
    {
        var names = Names([.. reserved, .. tangents.Keys, .. tangents.Values, "tangent"]);
        var inputs = tangents.Keys.ToList();
        var flat = Flattening.Apply(body, ActivityAnalysis.Varied(body, inputs), names, []);
        return TangentTransform.Apply(flat, ActivityAnalysis.Active(flat, inputs), tangents, names, "tangent");
    }

    [Fact]
    public void TangentTransform_OfXTimesX_ContainsTheProductRuleTangent()
    {
        // y = x * x; return y;
        var body = Block(new Declare("y", IrType.Double, Mul(D("x"), D("x"))), new Return(D("y")));
        var tangent = TangentOf(body, new() { ["x"] = "dx" }, "y");

        // y_dot = dx * x + dx * x, computed right after y, and handed out before the return.
        var expected = new Declare("y_dot", IrType.Double, Add(Mul(D("dx"), D("x")), Mul(D("dx"), D("x"))));
        var statements = tangent.Items.Where(s => s is not Comment).ToList();
        Assert.Equal(
            [new Declare("y", IrType.Double, Mul(D("x"), D("x"))), expected, new Assign("tangent", D("y_dot")), new Return(D("y"))],
            statements);

        var interpreter = new IrInterpreter { ["x"] = 1.7, ["dx"] = 0.3 };
        Assert.Equal(1.7 * 1.7, (double)interpreter.Run(tangent)!, 15);
        Assert.Equal(2.0 * 1.7 * 0.3, interpreter.Double("tangent"), 15);
    }

    [Fact]
    public void TangentTransform_ThroughBranchesLoopsAndMath_MatchesCentralDifferences()
    {
        // s = 0; k = 0; while (k < n) { if (s < 1) s = s + sin(x * y) else s = s * y; k = k + 1; } return s / (1 + x * x);
        var body = Block(
            new Declare("s", IrType.Double, C(0.0)),
            new Declare("k", Int, C(0)),
            While(
                Op(BinaryOp.Less, I("k"), I("n")),
                new If(
                    Op(BinaryOp.Less, D("s"), C(1.0)),
                    Block(new Assign("s", Add(D("s"), new MathCall("Sin", EquatableArray.Of<Expr>(Mul(D("x"), D("y"))), IrType.Double)))),
                    Block(new Assign("s", Mul(D("s"), D("y"))))),
                new Assign("k", Add(I("k"), C(1)))),
            new Return(Op(BinaryOp.Divide, D("s"), Add(C(1.0), Mul(D("x"), D("x"))))));
        var tangent = TangentOf(body, new() { ["x"] = "dx", ["y"] = "dy" }, "s", "k", "n");

        const double h = 1e-6;
        foreach (var (x, y, dx, dy) in new[] { (0.3, 0.9, 1.0, 0.0), (0.3, 0.9, 0.0, 1.0), (1.1, 1.3, 0.7, -0.4) })
        {
            double Primal(double t) => Evaluate(body, ("x", x + (t * dx)), ("y", y + (t * dy)), ("n", 6));
            double fd = (Primal(h) - Primal(-h)) / (2 * h);

            var interpreter = new IrInterpreter { ["x"] = x, ["y"] = y, ["dx"] = dx, ["dy"] = dy, ["n"] = 6 };
            double value = (double)interpreter.Run(tangent)!;
            Assert.Equal(Primal(0.0), value, 14);
            Assert.True(Relative(fd, interpreter.Double("tangent")) < 1e-6, "tangent " + interpreter.Double("tangent") + " vs central difference " + fd);
        }
    }

    // ------------------------------------------------------------------ jump elimination

    /// <summary>
    /// s = 0; i = 0;
    /// while (i &lt; n) { i = i + 1; if (i == 2) continue; if (s &gt; 10) break; if (i == 7) return s * x; s = s + x * i; }
    /// return s;
    /// </summary>
    private static EquatableArray<Stmt> JumpyBody() => Block(
        new Declare("s", IrType.Double, C(0.0)),
        new Declare("i", Int, C(0)),
        While(
            Op(BinaryOp.Less, I("i"), I("n")),
            new Assign("i", Add(I("i"), C(1))),
            new If(Op(BinaryOp.Equal, I("i"), C(2)), Block(new Continue()), Block()),
            new If(Op(BinaryOp.Greater, D("s"), C(10.0)), Block(new Break()), Block()),
            new If(Op(BinaryOp.Equal, I("i"), C(7)), Block(new Return(Mul(D("s"), D("x")))), Block()),
            new Assign("s", Add(D("s"), Mul(D("x"), new IR.Convert(I("i"), IrType.Double))))),
        new Return(D("s")));

    [Fact]
    public void JumpElimination_RemovesBreakContinueAndEarlyReturn()
    {
        var body = JumpyBody();
        var structured = JumpElimination.Apply(body, Names("s", "i", "n", "x", "result"), "result");

        var all = IrWalk.AllStatements(structured).ToList();
        Assert.DoesNotContain(all, s => s is Break or Continue);
        var returns = all.OfType<Return>().ToList();
        Assert.Equal(new Return(D("result")), Assert.Single(returns));
        Assert.Same(returns[0], structured[structured.Count - 1]);

        // Same results on every path: no loop, continue only, break, early return, normal exit.
        foreach (int n in new[] { 0, 1, 2, 3, 5, 7, 8, 20 })
        {
            foreach (double x in new[] { 0.25, 1.5, 4.0 })
            {
                double expected = Evaluate(body, ("x", x), ("n", n));
                double actual = Evaluate(structured, ("x", x), ("n", n));
                Assert.True(expected == actual, $"n={n}, x={x}: {expected} before, {actual} after jump elimination");
            }
        }
    }

    // ------------------------------------------------------------------ reverse mode

    private static readonly ParamInfo X = new("x", "double", IrType.Double, true, false);
    private static readonly ParamInfo N = new("n", "int", Int, false, false);

    /// <summary>The reverse-mode pipeline of the emitter: flatten, remove jumps, adjoint transform.</summary>
    private static AdjointProgram AdjointOf(EquatableArray<Stmt> body, params string[] reserved)
    {
        var names = Names([.. reserved, "x", "n"]);
        var flat = Flattening.Apply(body, ActivityAnalysis.Varied(body, ["x"]), names, []);
        var structured = JumpElimination.Apply(flat, names, names.Fresh("result"));
        var active = ActivityAnalysis.Active(structured, ["x"]);
        return AdjointTransform.Apply(structured, active, [X, N], new Dictionary<string, string>(), names);
    }

    /// <summary>Runs the forward and reverse sweeps; returns the value, d/dx and what is left on the tape.</summary>
    private static (double Value, double Gradient, int TapeLeft) RunAdjoint(AdjointProgram program, double x, int n)
    {
        var interpreter = new IrInterpreter { ["x"] = x, ["n"] = n };
        interpreter.Run(program.Declarations);
        interpreter.Run(program.Forward);
        double value = interpreter.Double(program.Result);
        Assert.NotNull(program.ResultAdjoint);
        interpreter[program.ResultAdjoint] = 1.0;
        interpreter.Run(program.Reverse);
        return (value, interpreter.Double(program.AdjointNames["x"]), interpreter.TapeSize);
    }

    [Fact]
    public void AdjointTransform_OfAWhileLoop_PushesTheTripCountAndReplaysIterationsBackwards()
    {
        // p = 1; k = 0; while (k < n) { p = p * x; k = k + 1; } return p;   (p = x^n)
        var body = Block(
            new Declare("p", IrType.Double, C(1.0)),
            new Declare("k", Int, C(0)),
            While(Op(BinaryOp.Less, I("k"), I("n")), new Assign("p", Mul(D("p"), D("x"))), new Assign("k", Add(I("k"), C(1)))),
            new Return(D("p")));
        var program = AdjointOf(body, "p", "k");

        // Forward sweep: the loop counts its iterations and the count is pushed right after it.
        var forward = program.Forward.Items.Where(s => s is not Comment).ToList();
        int loopAt = forward.FindIndex(s => s is Loop);
        Assert.True(loopAt >= 0, "No loop in the forward sweep");
        var loop = (Loop)forward[loopAt];
        var counter = Assert.IsType<Assign>(loop.Body[0]);
        Assert.Equal(Add(I(counter.Name), C(1)), counter.Value);
        Assert.Equal(new Push(I(counter.Name)), forward[loopAt + 1]);
        Assert.Contains(forward.Take(loopAt), s => s is Assign { Value: IntConst { Value: 0 } } a && a.Name == counter.Name);

        // The overwritten p is taped inside the loop; the reverse sweep replays a reverse loop.
        Assert.Contains(IrWalk.AllStatements(loop.Body), s => s is Push { Value: VarRef { Name: "p" } });
        Assert.Contains(IrWalk.AllStatements(program.Reverse), s => s is ReverseLoop { Counter: null });

        foreach (var (x, n) in new[] { (1.3, 0), (1.3, 1), (0.7, 5), (-1.2, 4) })
        {
            var (value, gradient, tapeLeft) = RunAdjoint(program, x, n);
            Assert.Equal(Math.Pow(x, n), value, 12);
            Assert.True(Relative(n * Math.Pow(x, n - 1), gradient) < 1e-12, $"x={x}, n={n}: gradient {gradient}");
            Assert.Equal(0, tapeLeft);
        }
    }

    [Fact]
    public void AdjointTransform_OfACountedLoopWithBreak_RecomputesTheCounterAndMatchesCentralDifferences()
    {
        // p = 0; for (int i = 0; i < n; i = i + 1) { if (p > 50) break; p = p * x + sin(i * x); } return p;
        var loop = new Loop(
            LoopKind.While,
            Block(new Declare("i", Int, C(0))),
            Op(BinaryOp.Less, I("i"), I("n")),
            Block(
                new If(Op(BinaryOp.Greater, D("p"), C(50.0)), Block(new Break()), Block()),
                new Assign("p", Add(Mul(D("p"), D("x")), new MathCall("Sin", EquatableArray.Of<Expr>(Mul(new IR.Convert(I("i"), IrType.Double), D("x"))), IrType.Double)))),
            Block(new Assign("i", Add(I("i"), C(1)))));
        var body = Block(new Declare("p", IrType.Double, C(0.0)), loop, new Return(D("p")));
        var program = AdjointOf(body, "p", "i");

        var reverseLoop = Assert.Single(IrWalk.AllStatements(program.Reverse).OfType<ReverseLoop>());
        Assert.Equal("i", reverseLoop.Counter);
        Assert.Equal(1, reverseLoop.Step);
        Assert.NotNull(reverseLoop.StartName);

        const double h = 1e-6;
        foreach (var (x, n) in new[] { (0.9, 6), (1.7, 12), (2.5, 30), (0.4, 0) })
        {
            var (value, gradient, tapeLeft) = RunAdjoint(program, x, n);
            double Primal(double t) => Evaluate(body, ("x", x + t), ("n", n));
            Assert.Equal(Primal(0.0), value, 12);
            double fd = (Primal(h) - Primal(-h)) / (2 * h);
            Assert.True(Relative(fd, gradient) < 1e-6, $"x={x}, n={n}: gradient {gradient} vs central difference {fd}");
            Assert.Equal(0, tapeLeft);
        }
    }

    // ------------------------------------------------------------------ second order (forward over reverse)

    /// <summary>The second-order pipeline of the emitter over <paramref name="body"/> (input x, int n).</summary>
    private static EquatableArray<Stmt> SecondOrderOf(EquatableArray<Stmt> body, params string[] reserved)
    {
        var names = Names([.. reserved, "x", "n", "dx", "seed", "dseed", "gradX", "dgradX", "value"]);
        var flat = Flattening.Apply(body, ActivityAnalysis.Varied(body, ["x"]), names, []);
        var structured = JumpElimination.Apply(flat, names, names.Fresh("result"));
        var active = ActivityAnalysis.Active(structured, ["x"]);
        var program = AdjointTransform.Apply(structured, active, [X, N], new Dictionary<string, string>(), names);
        return ForwardOverReverse.Apply(
            program,
            active,
            [X, N],
            new Dictionary<string, string> { ["x"] = "gradX" },
            "seed",
            "value",
            new Dictionary<string, string> { ["x"] = "dx", ["seed"] = "dseed", ["gradX"] = "dgradX" },
            names);
    }

    /// <summary>Runs second-order code with seed 1 along dx = 1: returns the value, f', f'' and what is left on the tape.</summary>
    private static (double Value, double Gradient, double Second, int TapeLeft) RunSecondOrder(EquatableArray<Stmt> code, double x, int n, double seedTangent = 0.0)
    {
        var interpreter = new IrInterpreter
        {
            ["x"] = x,
            ["n"] = n,
            ["dx"] = 1.0,
            ["seed"] = 1.0,
            ["dseed"] = seedTangent,
            ["gradX"] = 0.0,
            ["dgradX"] = 0.0,
        };
        interpreter.Run(code);
        return (interpreter.Double("value"), interpreter.Double("gradX"), interpreter.Double("dgradX"), interpreter.TapeSize);
    }

    [Fact]
    public void ForwardOverReverse_OfAWhileLoop_TapesTangentsAboveValuesAndGivesTheSecondDerivative()
    {
        // p = 1; k = 0; while (k < n) { p = p * x; k = k + 1; } return p;   (p = x^n, p'' = n (n - 1) x^(n - 2))
        var body = Block(
            new Declare("p", IrType.Double, C(1.0)),
            new Declare("k", Int, C(0)),
            While(Op(BinaryOp.Less, I("k"), I("n")), new Assign("p", Mul(D("p"), D("x"))), new Assign("k", Add(I("k"), C(1)))),
            new Return(D("p")));
        var code = SecondOrderOf(body, "p", "k");

        // The overwritten p is pushed, then its tangent; the reverse sweep pops the tangent first.
        var all = IrWalk.AllStatements(code).Where(s => s is not Comment).ToList();
        int push = all.FindIndex(s => s is Push { Value: VarRef { Name: "p" } });
        Assert.True(push >= 0, "p is not taped");
        var tangentPush = Assert.IsType<Push>(all[push + 1]);
        var tangentName = Assert.IsType<VarRef>(tangentPush.Value).Name;
        int pop = all.FindIndex(s => s is Assign { Name: "p", Value: Popped });
        Assert.True(pop > 0 && all[pop - 1] is Assign { Value: Popped } before && before.Name == tangentName, "The tangent of p is not popped right before p");

        foreach (var (x, n) in new[] { (1.3, 0), (1.3, 1), (1.3, 2), (0.7, 5), (-1.2, 4) })
        {
            var (value, gradient, second, tapeLeft) = RunSecondOrder(code, x, n);
            Assert.Equal(Math.Pow(x, n), value, 12);
            Assert.True(Relative(n * Math.Pow(x, n - 1), gradient) < 1e-12, $"x={x}, n={n}: gradient {gradient}");
            Assert.True(Relative(n * (n - 1) * Math.Pow(x, n - 2), second) < 1e-12, $"x={x}, n={n}: second derivative {second}");
            Assert.Equal(0, tapeLeft);
        }

        // The seed's tangent scales the gradient into the gradient's tangent: d(seed f')/d... = dseed f'.
        var (_, g, withSeed, _) = RunSecondOrder(code, 0.7, 5, seedTangent: 0.25);
        Assert.True(Relative((5 * 4 * Math.Pow(0.7, 3)) + (0.25 * g), withSeed) < 1e-12);
    }

    [Fact]
    public void ForwardOverReverse_OfACountedLoopWithBreak_MatchesCentralDifferencesOfTheGradient()
    {
        // p = 0; for (int i = 0; i < n; i = i + 1) { if (p > 50) break; p = p * x + sin(i * x); } return p;
        var loop = new Loop(
            LoopKind.While,
            Block(new Declare("i", Int, C(0))),
            Op(BinaryOp.Less, I("i"), I("n")),
            Block(
                new If(Op(BinaryOp.Greater, D("p"), C(50.0)), Block(new Break()), Block()),
                new Assign("p", Add(Mul(D("p"), D("x")), new MathCall("Sin", EquatableArray.Of<Expr>(Mul(new IR.Convert(I("i"), IrType.Double), D("x"))), IrType.Double)))),
            Block(new Assign("i", Add(I("i"), C(1)))));
        var body = Block(new Declare("p", IrType.Double, C(0.0)), loop, new Return(D("p")));
        var code = SecondOrderOf(body, "p", "i");
        var firstOrder = AdjointOf(body, "p", "i");

        const double h = 1e-5;
        foreach (var (x, n) in new[] { (0.9, 6), (1.7, 12), (1.2, 30), (0.4, 0) })
        {
            var (value, gradient, second, tapeLeft) = RunSecondOrder(code, x, n);
            Assert.Equal(RunAdjoint(firstOrder, x, n).Value, value, 12);
            Assert.Equal(RunAdjoint(firstOrder, x, n).Gradient, gradient, 12);
            double fd = (RunAdjoint(firstOrder, x + h, n).Gradient - RunAdjoint(firstOrder, x - h, n).Gradient) / (2 * h);
            Assert.True(Relative(fd, second) < 1e-5, $"x={x}, n={n}: second derivative {second} vs differenced gradient {fd}");
            Assert.Equal(0, tapeLeft);
        }
    }

    [Fact]
    public void DeadCodeElimination_DropsDeadAssignmentsButKeepsLoopCarriedValuesAndPops()
    {
        // s = 0; d = 0; k = 0; while (k < n) { d = s * 2; s = s + x; u = pop; k = k + 1; } value = s;
        var body = Block(
            new Declare("s", IrType.Double, C(0.0)),
            new Declare("d", IrType.Double, C(0.0)),
            new Declare("u", IrType.Double, C(0.0)),
            new Declare("k", Int, C(0)),
            While(
                Op(BinaryOp.Less, I("k"), I("n")),
                new Assign("d", Mul(D("s"), C(2.0))),
                new Assign("s", Add(D("s"), D("x"))),
                new Assign("u", new Popped(IrType.Double)),
                new Assign("k", Add(I("k"), C(1)))),
            new Declare("value", IrType.Double, D("s")));
        var kept = DeadCodeElimination.Apply(body, ["value"]);
        var all = IrWalk.AllStatements(kept).ToList();

        Assert.DoesNotContain(all, s => s is Assign { Name: "d" });
        Assert.Contains(all, s => s is Assign { Name: "s" });
        Assert.Contains(all, s => s is Assign { Name: "k" });
        Assert.Contains(all, s => s is Assign { Name: "u", Value: Popped });
        Assert.Contains(all, s => s is Declare { Name: "s", Init: not null });

        var interpreter = new IrInterpreter { ["x"] = 0.5, ["n"] = 3 };
        for (int k = 0; k < 3; k++)
        {
            interpreter.Run([new Push(C(1.0 * k))]);
        }

        interpreter.Run(kept);
        Assert.Equal(1.5, interpreter.Double("value"));
        Assert.Equal(0, interpreter.TapeSize);
    }

    // ------------------------------------------------------------------ fused final sum

    /// <summary>Reverse mode as the emitter runs it, with the seed given, so a final sum may be fused.</summary>
    private static AdjointProgram SeededAdjointOf(EquatableArray<Stmt> body, params string[] reserved)
    {
        var names = Names([.. reserved, "x", "n", "seed"]);
        var flat = Flattening.Apply(body, ActivityAnalysis.Varied(body, ["x"]), names, []);
        var structured = JumpElimination.Apply(flat, names, names.Fresh("result"));
        var active = ActivityAnalysis.Active(structured, ["x"]);
        return AdjointTransform.Apply(structured, active, [X, N], new Dictionary<string, string>(), names, "seed");
    }

    private static (double Value, double Gradient, int TapeLeft) RunSeeded(AdjointProgram program, double x, int n)
    {
        var interpreter = new IrInterpreter { ["x"] = x, ["n"] = n, ["seed"] = 1.0 };
        interpreter.Run(program.Declarations);
        interpreter.Run(program.Forward);
        double value = interpreter.Double(program.Result);
        if (!program.Seeded)
        {
            interpreter[program.ResultAdjoint!] = 1.0;
        }

        interpreter.Run(program.Reverse);
        return (value, interpreter.Double(program.AdjointNames["x"]), interpreter.TapeSize);
    }

    [Fact]
    public void AdjointTransform_OfAFinalSum_FusesEachIterationWithItsReverse()
    {
        // s = 0; for (int i = 0; i < n; i = i + 1) { double u = sin(i * x); s = s + u * u; } return s;
        var loop = new Loop(
            LoopKind.While,
            Block(new Declare("i", Int, C(0))),
            Op(BinaryOp.Less, I("i"), I("n")),
            Block(
                new Declare("u", IrType.Double, new MathCall("Sin", EquatableArray.Of<Expr>(Mul(new IR.Convert(I("i"), IrType.Double), D("x"))), IrType.Double)),
                new Assign("s", Add(D("s"), Mul(D("u"), D("u"))))),
            Block(new Assign("i", Add(I("i"), C(1)))));
        var body = Block(new Declare("s", IrType.Double, C(0.0)), loop, new Return(D("s")));
        var program = SeededAdjointOf(body, "s", "i", "u");

        // One pass: no reverse loop anywhere, the seed is given to s before the loop runs.
        Assert.True(program.Seeded);
        Assert.DoesNotContain(IrWalk.AllStatements(program.Forward.Concat(program.Reverse)), st => st is ReverseLoop);
        Assert.Contains(program.Forward, st => st is Assign { Value: VarRef { Name: "seed" } });

        foreach (var (x, n) in new[] { (0.3, 0), (0.3, 1), (1.1, 7), (-0.8, 20) })
        {
            var (value, gradient, tapeLeft) = RunSeeded(program, x, n);
            double expectedValue = 0, expectedGradient = 0;
            for (int i = 0; i < n; i++)
            {
                expectedValue += Math.Sin(i * x) * Math.Sin(i * x);
                expectedGradient += 2 * Math.Sin(i * x) * Math.Cos(i * x) * i;
            }

            Assert.Equal(expectedValue, value, 12);
            Assert.True(Relative(expectedGradient, gradient) < 1e-12, $"x={x}, n={n}: gradient {gradient} vs {expectedGradient}");
            Assert.Equal(0, tapeLeft);
        }
    }

    [Fact]
    public void AdjointTransform_DoesNotFuseALoopThatCarriesADerivativeAcrossIterations()
    {
        // p = 1; s = 0; for (...) { p = p * x; s = s + p; } return s;   (p's adjoint flows backwards through iterations)
        var loop = new Loop(
            LoopKind.While,
            Block(new Declare("i", Int, C(0))),
            Op(BinaryOp.Less, I("i"), I("n")),
            Block(new Assign("p", Mul(D("p"), D("x"))), new Assign("s", Add(D("s"), D("p")))),
            Block(new Assign("i", Add(I("i"), C(1)))));
        var body = Block(new Declare("p", IrType.Double, C(1.0)), new Declare("s", IrType.Double, C(0.0)), loop, new Return(D("s")));
        var program = SeededAdjointOf(body, "p", "s", "i");

        Assert.False(program.Seeded);
        Assert.Contains(IrWalk.AllStatements(program.Reverse), st => st is ReverseLoop);
        foreach (var (x, n) in new[] { (0.7, 1), (1.2, 6) })
        {
            var (value, gradient, tapeLeft) = RunSeeded(program, x, n);
            double expectedValue = 0, expectedGradient = 0;
            for (int k = 1; k <= n; k++)
            {
                expectedValue += Math.Pow(x, k);
                expectedGradient += k * Math.Pow(x, k - 1);
            }

            Assert.Equal(expectedValue, value, 12);
            Assert.True(Relative(expectedGradient, gradient) < 1e-12, $"x={x}, n={n}: gradient {gradient} vs {expectedGradient}");
            Assert.Equal(0, tapeLeft);
        }
    }

    [Fact]
    public void AdjointTransform_FusesASumThatReachesTheResultThroughAConstantFactor()
    {
        // s = 0; for (...) { double u = sin(i * x); s = s + u * u; } double r = 3 * s; double q = r - x * x; return q;
        var loop = new Loop(
            LoopKind.While,
            Block(new Declare("i", Int, C(0))),
            Op(BinaryOp.Less, I("i"), I("n")),
            Block(
                new Declare("u", IrType.Double, new MathCall("Sin", EquatableArray.Of<Expr>(Mul(new IR.Convert(I("i"), IrType.Double), D("x"))), IrType.Double)),
                new Assign("s", Add(D("s"), Mul(D("u"), D("u"))))),
            Block(new Assign("i", Add(I("i"), C(1)))));
        var body = Block(
            new Declare("s", IrType.Double, C(0.0)),
            loop,
            new Declare("r", IrType.Double, Mul(C(3.0), D("s"))),
            new Declare("q", IrType.Double, Op(BinaryOp.Subtract, D("r"), Mul(D("x"), D("x")))),
            new Return(D("q")));
        var program = SeededAdjointOf(body, "s", "i", "u", "r", "q");

        Assert.True(program.Seeded);
        Assert.Contains(program.Forward, st => st is Assign { Value: Binary { Op: BinaryOp.Multiply, Left: DoubleConst { Value: 3.0 }, Right: VarRef { Name: "seed" } } });
        foreach (var (x, n) in new[] { (0.3, 0), (1.1, 7), (-0.8, 20) })
        {
            var (value, gradient, tapeLeft) = RunSeeded(program, x, n);
            double expectedValue = -x * x, expectedGradient = -2 * x;
            for (int i = 0; i < n; i++)
            {
                expectedValue += 3 * Math.Sin(i * x) * Math.Sin(i * x);
                expectedGradient += 6 * Math.Sin(i * x) * Math.Cos(i * x) * i;
            }

            Assert.Equal(expectedValue, value, 12);
            Assert.True(Relative(expectedGradient, gradient) < 1e-12, $"x={x}, n={n}: gradient {gradient} vs {expectedGradient}");
            Assert.Equal(0, tapeLeft);
        }
    }

    [Fact]
    public void AdjointTransform_DoesNotFuseASumWhoseResultDependsOnItNonlinearly()
    {
        // s = 0; for (...) { s = s + x * i; } return s * s;
        var loop = new Loop(
            LoopKind.While,
            Block(new Declare("i", Int, C(0))),
            Op(BinaryOp.Less, I("i"), I("n")),
            Block(new Assign("s", Add(D("s"), Mul(D("x"), new IR.Convert(I("i"), IrType.Double))))),
            Block(new Assign("i", Add(I("i"), C(1)))));
        var body = Block(new Declare("s", IrType.Double, C(0.0)), loop, new Return(Mul(D("s"), D("s"))));
        var program = SeededAdjointOf(body, "s", "i");

        Assert.False(program.Seeded);
        var (value, gradient, _) = RunSeeded(program, 0.7, 5);
        Assert.Equal(Math.Pow(0.7 * 10, 2), value, 12);
        Assert.True(Relative(2 * 0.7 * 100, gradient) < 1e-12);
    }
}
