using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Three-address form for the derivative transforms: every double expression that can carry a
/// derivative becomes an atom (variable, array element, constant or derivative-free expression) or
/// one operation over atoms, with temporaries t0, t1, ... for the inner operations. Calls of
/// [Differentiable] methods get a temporary of their own. Conditions and indices carry no
/// derivative and stay as written. An operation whose target is one of its own operands and whose
/// partials read operand values goes through a temporary, so partials see the old value.
/// </summary>
internal sealed class Flattening
{
    private readonly HashSet<string> _varied;
    private readonly NameScope _names;
    private readonly HashSet<string> _readOnlyArrays;

    // Elements of read-only (parameter) arrays already loaded into a temporary in the current
    // straight-line block: a second read reuses the temporary, so its adjoint accumulates in a
    // local and reaches the gradient array once, as a hand-written gradient would.
    private Dictionary<ElementRef, VarRef> _loaded = new();

    private Flattening(HashSet<string> varied, NameScope names, HashSet<string> readOnlyArrays)
    {
        _varied = varied;
        _names = names;
        _readOnlyArrays = readOnlyArrays;
    }

    /// <param name="body">The lowered body.</param>
    /// <param name="varied">Variables that depend on differentiable inputs; temporaries are added.</param>
    /// <param name="names">Name scope of the method.</param>
    /// <param name="readOnlyArrays">Arrays never written in the body (the parameter arrays).</param>
    public static EquatableArray<Stmt> Apply(IReadOnlyList<Stmt> body, HashSet<string> varied, NameScope names, HashSet<string> readOnlyArrays) =>
        new Flattening(varied, names, readOnlyArrays).List(body);

    private EquatableArray<Stmt> List(IEnumerable<Stmt> body)
    {
        var outer = _loaded;
        _loaded = new Dictionary<ElementRef, VarRef>();
        var output = new List<Stmt>();
        foreach (var s in body)
        {
            Statement(s, output);
            switch (s)
            {
                case If or Loop or ReverseLoop or SliceArray:
                    _loaded.Clear();
                    break;
                case Declare or Assign:
                    {
                        var assigned = IrWalk.AssignedScalar(s)!;
                        foreach (var stale in _loaded.Keys.Where(k => IrWalk.ReadNames(k.Index).Contains(assigned)).ToList())
                        {
                            _loaded.Remove(stale);
                        }

                        break;
                    }
            }
        }

        _loaded = outer;
        return output.ToEquatableArray();
    }

    private void Statement(Stmt s, List<Stmt> output)
    {
        switch (s)
        {
            case Declare { Type: IrType.Double, Init: { } init } d when IsVaried(init):
                output.Add(Target(d.Name, init, output, declare: true));
                break;
            case Assign a when a.Value.Type == IrType.Double && IsVaried(a.Value):
                output.Add(Target(a.Name, a.Value, output, declare: false));
                break;
            case Store st when IsVaried(st.Value):
                {
                    var op = Operation(st.Value, output);
                    if (IsNonlinear(op) && IrWalk.Descendants(op).OfType<ElementRef>().Any(e => e.Array == st.Array))
                    {
                        op = Temp(op, output);
                    }

                    output.Add(st with { Value = op });
                    break;
                }

            // Adjoint code (flattened again for forward over reverse): an accumulation adds one
            // operation over atoms whose partials do not need its result.
            case Accumulate a when IsVaried(a.Value):
                output.Add(a with { Value = Increment(a.Value, output) });
                break;
            case AccumulateElement a when IsVaried(a.Value):
                output.Add(a with { Value = Increment(a.Value, output) });
                break;
            case ReverseLoop r:
                output.Add(r with { Body = List(r.Body) });
                break;
            case Return r when IsVaried(r.Value):
                output.Add(new Return(Atom(r.Value, output)));
                break;
            case If i:
                output.Add(i with { Then = List(i.Then), Else = List(i.Else) });
                break;
            case Loop l:
                output.Add(l with { Init = List(l.Init), Body = List(l.Body), Step = List(l.Step) });
                break;
            default:
                output.Add(s);
                break;
        }
    }

    private Stmt Target(string name, Expr value, List<Stmt> output, bool declare)
    {
        var op = Operation(value, output);
        if (IsNonlinear(op) && IrWalk.Descendants(op).OfType<VarRef>().Any(v => v.Name == name))
        {
            op = Temp(op, output);
        }

        return declare ? new Declare(name, IrType.Double, op) : new Assign(name, op);
    }

    private Expr Increment(Expr value, List<Stmt> output)
    {
        var op = Operation(value, output);
        return op is MathCall ? Temp(op, output) : op;
    }

    private bool IsVaried(Expr e) => IrWalk.DerivativeSources(e).Any(_varied.Contains);

    private static bool IsNonlinear(Expr op) => op switch
    {
        Binary { Op: BinaryOp.Multiply or BinaryOp.Divide } => true,
        MathCall or UserCall => true,
        _ => false,
    };

    /// <summary>An atom holding the value of <paramref name="e"/>.</summary>
    private Expr Atom(Expr e, List<Stmt> output)
    {
        if (e is ElementRef element && _readOnlyArrays.Contains(element.Array) && IsVaried(e))
        {
            if (!_loaded.TryGetValue(element, out var loaded))
            {
                loaded = Temp(element, output);
                _loaded[element] = loaded;
            }

            return loaded;
        }

        if (!IsVaried(e) || e is VarRef or ElementRef)
        {
            return e;
        }

        return Temp(Operation(e, output), output);
    }

    private VarRef Temp(Expr op, List<Stmt> output)
    {
        if (op is VarRef v)
        {
            return v;
        }

        var t = _names.Fresh(op is ElementRef element ? element.Array + "_" + (element.Index is VarRef i ? i.Name : "k") : "t");
        _varied.Add(t);
        output.Add(new Declare(t, IrType.Double, op));
        return new VarRef(t, IrType.Double);
    }

    /// <summary>One operation over atoms (or an atom) computing <paramref name="e"/>.</summary>
    private Expr Operation(Expr e, List<Stmt> output)
    {
        if (!IsVaried(e))
        {
            return e;
        }

        switch (e)
        {
            case VarRef:
                return e;
            case ElementRef:
                return Atom(e, output);
            case Binary b:
                return b with { Left = Atom(b.Left, output), Right = Atom(b.Right, output) };
            case Unary u:
                return u with { Operand = Atom(u.Operand, output) };
            case MathCall m:
                return m with { Args = m.Args.Select(a => Atom(a, output)).ToEquatableArray() };
            case UserCall u:
                {
                    var args = u.Args.Select((a, i) => u.Target.Parameters[i].Type == IrType.Double ? Atom(a, output) : a).ToEquatableArray();
                    return Temp(u with { Args = args }, output);
                }

            case Conditional c:
                {
                    // A varied ?: becomes an if/else assigning a temporary, so each branch differentiates on its own.
                    var t = _names.Fresh("t");
                    _varied.Add(t);
                    output.Add(new Declare(t, IrType.Double, null));

                    // Each branch is a block of its own: element loads made in one branch are not
                    // in scope in the other one, nor after the if.
                    var outer = _loaded;
                    _loaded = new Dictionary<ElementRef, VarRef>();
                    var whenTrue = new List<Stmt>();
                    whenTrue.Add(Target(t, c.WhenTrue, whenTrue, declare: false));
                    _loaded = new Dictionary<ElementRef, VarRef>();
                    var whenFalse = new List<Stmt>();
                    whenFalse.Add(Target(t, c.WhenFalse, whenFalse, declare: false));
                    _loaded = outer;
                    output.Add(new If(c.Condition, whenTrue.ToEquatableArray(), whenFalse.ToEquatableArray()));
                    return new VarRef(t, IrType.Double);
                }

            default:
                return e;
        }
    }
}
