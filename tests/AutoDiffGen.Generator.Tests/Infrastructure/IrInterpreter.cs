using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.IR;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// A small, independent evaluator of scalar IR (doubles, ints, bools, structured control flow, the
/// tape statements of reverse mode), so transform tests can check what transformed IR computes
/// without going through Roslyn or the emitter. Arrays are not supported.
/// </summary>
internal sealed class IrInterpreter
{
    private readonly Dictionary<string, object> _vars = new(StringComparer.Ordinal);
    private readonly Stack<double> _doubles = new();
    private readonly Stack<int> _ints = new();

    private enum Signal
    {
        Normal,
        Break,
        Continue,
        Return,
    }

    public object? ReturnValue { get; private set; }

    public int TapeSize => _doubles.Count + _ints.Count;

    public object this[string name]
    {
        get => _vars.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException("No variable " + name);
        set => _vars[name] = value;
    }

    public double Double(string name) => (double)this[name];

    /// <summary>Runs statements; returns the value of a <c>return</c>, or null.</summary>
    public object? Run(IEnumerable<Stmt> body)
    {
        ReturnValue = null;
        Exec(body);
        return ReturnValue;
    }

    private Signal Exec(IEnumerable<Stmt> body)
    {
        foreach (var s in body)
        {
            var signal = Exec(s);
            if (signal != Signal.Normal)
            {
                return signal;
            }
        }

        return Signal.Normal;
    }

    private Signal Exec(Stmt s)
    {
        switch (s)
        {
            case Comment or ReserveTape:
                return Signal.Normal;
            case Declare d:
                _vars[d.Name] = d.Init is null ? Default(d.Type) : Coerce(Eval(d.Init), d.Type);
                return Signal.Normal;
            case Hoist h:
                _vars[h.Name] = Default(h.Type);
                return Signal.Normal;
            case Assign a:
                _vars[a.Name] = Coerce(Eval(a.Value), a.Value.Type);
                return Signal.Normal;
            case Accumulate a:
                _vars[a.Name] = (double)_vars[a.Name] + (double)Eval(a.Value);
                return Signal.Normal;
            case Push p:
                switch (Eval(p.Value))
                {
                    case double v:
                        _doubles.Push(v);
                        break;
                    case int v:
                        _ints.Push(v);
                        break;
                    case bool v:
                        _ints.Push(v ? 1 : 0);
                        break;
                }

                return Signal.Normal;
            case If i:
                return (bool)Eval(i.Condition) ? Exec(i.Then) : Exec(i.Else);
            case Loop l:
                return ExecLoop(l);
            case ReverseLoop r:
                {
                    int count = r.TripCount is null ? _ints.Pop() : (int)Eval(r.TripCount);
                    int start = r.StartName is null ? 0 : r.StartValue is null ? _ints.Pop() : (int)Eval(r.StartValue);
                    for (int it = count - 1; it >= 0; it--)
                    {
                        if (r.Counter is not null)
                        {
                            _vars[r.Counter] = start + (it * r.Step);
                        }

                        var signal = Exec(r.Body);
                        if (signal != Signal.Normal)
                        {
                            throw new InvalidOperationException("A jump inside a reverse loop.");
                        }
                    }

                    return Signal.Normal;
                }

            case Break:
                return Signal.Break;
            case Continue:
                return Signal.Continue;
            case Return r:
                ReturnValue = Eval(r.Value);
                return Signal.Return;
            default:
                throw new NotSupportedException("The test interpreter does not run " + s.GetType().Name);
        }
    }

    private Signal ExecLoop(Loop l)
    {
        var init = Exec(l.Init);
        if (init != Signal.Normal)
        {
            return init;
        }

        while (true)
        {
            if (l.Kind == LoopKind.While && !(bool)Eval(l.Condition))
            {
                return Signal.Normal;
            }

            // Continue ends the body early; the step still runs.
            var signal = Exec(l.Body);
            if (signal == Signal.Break)
            {
                return Signal.Normal;
            }

            if (signal == Signal.Return)
            {
                return signal;
            }

            var step = Exec(l.Step);
            if (step != Signal.Normal)
            {
                return step;
            }

            if (l.Kind == LoopKind.DoWhile && !(bool)Eval(l.Condition))
            {
                return Signal.Normal;
            }
        }
    }

    private static object Default(IrType type) => type switch
    {
        IrType.Double => 0.0,
        IrType.Int => 0,
        IrType.Bool => false,
        _ => throw new NotSupportedException("Arrays are not supported by the test interpreter."),
    };

    private static object Coerce(object value, IrType type) => type switch
    {
        IrType.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    private object Eval(Expr e)
    {
        switch (e)
        {
            case DoubleConst c:
                return c.Value;
            case IntConst c:
                return c.Value;
            case BoolConst c:
                return c.Value;
            case VarRef v:
                return this[v.Name];
            case Unary u:
                {
                    var operand = Eval(u.Operand);
                    return u.Op switch
                    {
                        UnaryOp.Negate when operand is double d => -d,
                        UnaryOp.Negate => -(int)operand,
                        UnaryOp.Not => !(bool)operand,
                        _ => ~(int)operand,
                    };
                }

            case Binary b:
                return EvalBinary(b.Op, Eval(b.Left), Eval(b.Right));
            case Conditional c:
                return (bool)Eval(c.Condition) ? Eval(c.WhenTrue) : Eval(c.WhenFalse);
            case OverflowContext o:
                // Hand-built IR does not overflow; the context only matters to the C# compiler.
                return Eval(o.Operand);
            case IR.Convert c:
                {
                    var operand = Eval(c.Operand);
                    return c.To == IrType.Double ? System.Convert.ToDouble(operand, CultureInfo.InvariantCulture) : (object)(int)System.Convert.ToDouble(operand, CultureInfo.InvariantCulture);
                }

            case MathCall m:
                {
                    var args = m.Args.Select(Eval).ToArray();
                    var method = typeof(Math).GetMethod(m.Name, args.Select(a => a.GetType()).ToArray())
                        ?? throw new NotSupportedException("No Math." + m.Name);
                    return method.Invoke(null, args)!;
                }

            case Popped { PoppedType: IrType.Double }:
                return _doubles.Pop();
            case Popped { PoppedType: IrType.Int }:
                return _ints.Pop();
            case Popped:
                return _ints.Pop() != 0;
            default:
                throw new NotSupportedException("The test interpreter does not evaluate " + e.GetType().Name);
        }
    }

    private static object EvalBinary(BinaryOp op, object left, object right)
    {
        if (left is bool bl && right is bool br)
        {
            return op switch
            {
                BinaryOp.And => bl && br,
                BinaryOp.Or => bl || br,
                BinaryOp.Equal => bl == br,
                BinaryOp.NotEqual => bl != br,
                _ => throw new NotSupportedException(op + " on bools"),
            };
        }

        if (left is int il && right is int ir)
        {
            return op switch
            {
                BinaryOp.Add => il + ir,
                BinaryOp.Subtract => il - ir,
                BinaryOp.Multiply => il * ir,
                BinaryOp.Divide => il / ir,
                BinaryOp.Remainder => il % ir,
                BinaryOp.Equal => il == ir,
                BinaryOp.NotEqual => il != ir,
                BinaryOp.Less => il < ir,
                BinaryOp.LessOrEqual => il <= ir,
                BinaryOp.Greater => il > ir,
                BinaryOp.GreaterOrEqual => il >= ir,
                _ => throw new NotSupportedException(op + " on ints"),
            };
        }

        double l = System.Convert.ToDouble(left, CultureInfo.InvariantCulture);
        double r = System.Convert.ToDouble(right, CultureInfo.InvariantCulture);
        return op switch
        {
            BinaryOp.Add => l + r,
            BinaryOp.Subtract => l - r,
            BinaryOp.Multiply => l * r,
            BinaryOp.Divide => l / r,
            BinaryOp.Equal => l == r,
            BinaryOp.NotEqual => l != r,
            BinaryOp.Less => l < r,
            BinaryOp.LessOrEqual => l <= r,
            BinaryOp.Greater => l > r,
            BinaryOp.GreaterOrEqual => l >= r,
            _ => throw new NotSupportedException(op + " on doubles"),
        };
    }
}
