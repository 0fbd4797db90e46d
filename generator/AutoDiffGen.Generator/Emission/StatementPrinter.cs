using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;

namespace AutoDiffGen.Generator.Emission;

/// <summary>Prints IR statements (primal, tangent and adjoint alike) as C# statements.</summary>
internal sealed class StatementPrinter
{
    private const string Span = "global::System.Span<double>";
    private readonly IndentedWriter _w;
    private readonly ExpressionPrinter _e;
    private readonly string _tape;
    private readonly string _arena;

    // For each enclosing loop, the label a 'continue' of that loop jumps to, or null when a plain
    // 'continue' is right (no step statements to run first).
    private readonly Stack<string?> _continueLabels = new();
    private int _labelCount;

    public StatementPrinter(IndentedWriter writer, string tape, string arena)
    {
        _w = writer;
        _tape = tape;
        _arena = arena;
        _e = new ExpressionPrinter(tape, arena);
    }

    public string Expr(Expr e) => _e.Print(e);

    public static string TypeName(IrType type) => type switch
    {
        IrType.Double => "double",
        IrType.Int => "int",
        IrType.Bool => "bool",
        _ => Span,
    };

    public void Block(IEnumerable<Stmt> body)
    {
        foreach (var s in body)
        {
            Statement(s);
        }
    }

    private void Braced(IEnumerable<Stmt> body)
    {
        _w.Open();
        Block(body);
        _w.Close();
    }

    public void Statement(Stmt s)
    {
        switch (s)
        {
            case Comment c:
                _w.Line("// " + c.Text);
                break;
            case Declare d:
                _w.Line(TypeName(d.Type) + " " + d.Name + (d.Init is null ? string.Empty : " = " + Expr(d.Init)) + ";");
                break;
            case Hoist h:
                _w.Line(TypeName(h.Type) + " " + h.Name + " = " + (h.Type switch { IrType.Double => "0.0", IrType.Int => "0", IrType.Bool => "false", _ => "default" }) + ";");
                break;
            case Assign { Value: VarRef v } a when v.Name == a.Name:
                // x = x is a no-op (e.g. the tangent of x++ on a double), and warning CS1717.
                break;
            case Assign a:
                _w.Line(a.Name + " = " + Expr(a.Value) + ";");
                break;
            case Store { Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract } update } st when update.Left.Equals(new ElementRef(st.Array, st.Index, IrType.Double)):
                // a[i] = a[i] + v as a[i] += v: the same value, one bounds check instead of two.
                _w.Line(st.Array + "[" + Expr(st.Index) + "] " + (update.Op == BinaryOp.Add ? "+=" : "-=") + " " + Expr(update.Right) + ";");
                break;
            case Store { Value: Binary { Op: BinaryOp.Add } update } st when update.Right.Equals(new ElementRef(st.Array, st.Index, IrType.Double)):
                _w.Line(st.Array + "[" + Expr(st.Index) + "] += " + Expr(update.Left) + ";");
                break;
            case Store st:
                _w.Line(st.Array + "[" + Expr(st.Index) + "] = " + Expr(st.Value) + ";");
                break;
            case Accumulate a when a.Value is Unary { Op: UnaryOp.Negate } neg:
                _w.Line(a.Name + " -= " + Expr(neg.Operand) + ";");
                break;
            case Accumulate a:
                _w.Line(a.Name + " += " + Expr(a.Value) + ";");
                break;
            case AccumulateElement a when a.Value is Unary { Op: UnaryOp.Negate } neg:
                _w.Line(a.Array + "[" + Expr(a.Index) + "] -= " + Expr(neg.Operand) + ";");
                break;
            case AccumulateElement a:
                _w.Line(a.Array + "[" + Expr(a.Index) + "] += " + Expr(a.Value) + ";");
                break;
            case Push p:
                _w.Line(_tape + ".Push(" + (p.Value.Type == IrType.Bool ? "(" + Expr(p.Value) + ") ? 1 : 0" : Expr(p.Value)) + ");");
                break;
            case ReserveTape r:
                _w.Line(_tape + ".Reserve(" + Expr(r.Doubles) + ", " + Expr(r.Ints) + ");");
                break;
            case AllocateArray a:
                AllocateArray(a);
                break;
            case SliceArray sa:
                _w.Line(sa.Name + " = " + Expr(sa.Source) + ".Slice(" + Expr(sa.Start) + ", " + Expr(sa.Length) + ");");
                break;
            case RebindArray r:
                _w.Line(r.HandleName + " = " + _tape + ".PopInt();");
                _w.Line(r.Shadow is null
                    ? r.Name + " = " + _arena + ".Get(" + r.HandleName + ");"
                    : _arena + ".GetPair(" + r.HandleName + ", out " + r.Name + ", out " + r.Shadow + ");");
                break;
            case If i:
                _w.Line("if (" + Expr(i.Condition) + ")");
                Braced(i.Then);
                if (i.Else.Any(x => x is not Comment))
                {
                    _w.Line("else");
                    Braced(i.Else);
                }

                break;
            case Loop l:
                {
                    Block(l.Init);

                    // In C#, 'continue' skips the rest of the body, so it would skip the step
                    // statements printed there: a continue of a loop with a step jumps to a
                    // label in front of the step instead.
                    string? label = l.Step.Any(x => x is not Comment) && ContinuesLoop(l.Body)
                        ? "continue_" + (++_labelCount).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : null;
                    _w.Line(l.Kind == LoopKind.DoWhile ? "do" : "while (" + Expr(l.Condition) + ")");
                    _w.Open();
                    _continueLabels.Push(label);
                    Block(l.Body);
                    _continueLabels.Pop();
                    if (label is not null)
                    {
                        _w.Line(label + ":;");
                    }

                    Block(l.Step);
                    if (l.Kind == LoopKind.DoWhile)
                    {
                        _w.Close("}");
                        _w.Line("while (" + Expr(l.Condition) + ");");
                    }
                    else
                    {
                        _w.Close();
                    }

                    break;
                }

            case ReverseLoop r:
                {
                    var header = "for (int " + r.IterationName + " = " + (r.TripCount is null ? _tape + ".PopInt()" : Expr(r.TripCount)) + " - 1";
                    if (r.StartName is not null) header += ", " + r.StartName + " = " + (r.StartValue is null ? _tape + ".PopInt()" : Expr(r.StartValue));
                    _w.Line(header + "; " + r.IterationName + " >= 0; " + r.IterationName + "--)");
                    _w.Open();
                    if (r.Counter is not null)
                    {
                        var magnitude = System.Math.Abs(r.Step);
                        var offset = magnitude == 1 ? r.IterationName : r.IterationName + " * " + magnitude.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        _w.Line(r.Counter + " = " + r.StartName + (r.Step > 0 ? " + " : " - ") + offset + ";");
                    }

                    Block(r.Body);
                    _w.Close();
                    break;
                }

            case Break:
                _w.Line("break;");
                break;
            case Continue:
                _w.Line(_continueLabels.Count > 0 && _continueLabels.Peek() is { } target ? "goto " + target + ";" : "continue;");
                break;
            case Return r:
                _w.Line("return " + Expr(r.Value) + ";");
                break;
            case JvpCall j:
                {
                    var args = j.Args.Select(Expr).Concat(j.Tangents.Select(TangentArgument));
                    var call = j.Callee.ContainingType + "." + j.Callee.Name + "Jvp(" + string.Join(", ", args) + ", out " + (j.Declare ? "double " : string.Empty) + j.TargetTangent + ")";
                    _w.Line((j.Declare ? "double " : string.Empty) + j.Target + " = " + call + ";");
                    break;
                }

            case PullbackCall p:
                _w.Line(p.Callee.ContainingType + "." + p.Callee.Name + "Pullback(" + string.Join(", ", p.Args.Select(Expr).Append(Expr(p.Seed)).Concat(p.Slots.Select(Slot))) + ");");
                break;
            case PullbackJvpCall p:
                {
                    var args = p.Args.Select(Expr).Concat(p.ArgTangents.Select(TangentArgument))
                        .Append(Expr(p.Seed)).Append(p.SeedTangent is null ? "0.0" : Expr(p.SeedTangent))
                        .Concat(p.Slots.Select(Slot)).Concat(p.SlotTangents.Select(Slot));
                    _w.Line(p.Callee.ContainingType + "." + p.Callee.Name + "PullbackJvp(" + string.Join(", ", args) + ");");
                    break;
                }

            default:
                throw new System.InvalidOperationException("Cannot print " + s.GetType().Name);
        }
    }

    /// <summary>A tangent argument of a callee's companion; a missing one is a zero of the argument's shape.</summary>
    private string TangentArgument(TangentArg t) => t.Value is not null
        ? Expr(t.Value)
        : t.Argument.Type == IrType.DoubleArray ? _arena + ".Zeros(" + Expr(new LengthOf(((VarRef)t.Argument).Name)) + ")" : "0.0";

    /// <summary>Where a callee's pullback accumulates: a span, or a double passed by reference.</summary>
    private string Slot(AdjointSlot slot) => slot.Target!.Type == IrType.DoubleArray ? Expr(slot.Target) : "ref " + Expr(slot.Target);

    /// <summary>True when <paramref name="body"/> has a continue of its own loop (not of a nested one).</summary>
    private static bool ContinuesLoop(IEnumerable<Stmt> body) => body.Any(s => s switch
    {
        Continue => true,
        If i => ContinuesLoop(i.Then) || ContinuesLoop(i.Else),
        _ => false,
    });

    private void AllocateArray(AllocateArray a)
    {
        var length = Expr(a.Length);
        var prefix = a.Declare ? Span + " " : string.Empty;
        if (a.HandleName is null)
        {
            _w.Line(prefix + a.Name + " = " + _arena + ".Allocate(" + length + ");");
            if (a.Shadow is not null)
            {
                _w.Line(prefix + a.Shadow + " = " + _arena + ".Allocate(" + length + ");");
            }

            return;
        }

        _w.Line(a.Shadow is null
            ? a.Name + " = " + _arena + ".Allocate(" + length + ", out " + a.HandleName + ");"
            : a.HandleName + " = " + _arena + ".AllocatePair(" + length + ", out " + a.Name + ", out " + a.Shadow + ");");
    }
}
