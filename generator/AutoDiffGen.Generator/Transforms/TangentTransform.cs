using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using static AutoDiffGen.Generator.IR.Build;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Forward mode, IR to IR: every active value v gets a tangent v_dot computed right after v,
/// as the sum over operands of local partial * operand tangent. Control flow is kept as written.
/// A <c>return e</c> becomes <c>tangentOut = e_dot; return e;</c>. Local arrays come from the
/// arena, so a call allocates nothing.
/// </summary>
/// <remarks>
/// The same transform runs over the output of <see cref="AdjointTransform"/> (flattened again) to
/// give Hessian-vector products, forward over reverse. Adjoint code adds tape traffic, whose
/// tangents ride on the same tape (a pushed active value is followed by its tangent, so the
/// reverse sweep pops the tangent first), accumulations, whose tangents accumulate, arena groups,
/// whose tangents are a second group with a handle of its own, and pullback calls, which become
/// calls of the callee's <c>PullbackJvp</c>.
/// </remarks>
internal sealed class TangentTransform
{
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _tangentNames;
    private readonly NameScope _names;
    private readonly string _tangentOut;
    private readonly Dictionary<string, string> _handleTangents = new();
    private string? _discard;

    private TangentTransform(HashSet<string> active, Dictionary<string, string> tangentNames, NameScope names, string tangentOut)
    {
        _active = active;
        _tangentNames = tangentNames;
        _names = names;
        _tangentOut = tangentOut;
    }

    /// <param name="body">Flattened body.</param>
    /// <param name="active">Active variables and arrays.</param>
    /// <param name="parameterTangents">Tangent names of the differentiable parameters.</param>
    /// <param name="names">Name scope of the method.</param>
    /// <param name="tangentOut">Name of the out parameter receiving the directional derivative.</param>
    public static EquatableArray<Stmt> Apply(IReadOnlyList<Stmt> body, HashSet<string> active, IReadOnlyDictionary<string, string> parameterTangents, NameScope names, string tangentOut)
    {
        var transform = new TangentTransform(active, parameterTangents.ToDictionary(p => p.Key, p => p.Value), names, tangentOut);
        foreach (var a in IrWalk.AllStatements(body).OfType<AllocateArray>())
        {
            if (a.HandleName is { } handle && transform.TangentGroup(a.Name, a.Shadow) is not null && !transform._handleTangents.ContainsKey(handle))
            {
                transform._handleTangents[handle] = names.Fresh(handle + "_dot");
            }
        }

        var output = transform.List(body);
        return transform._discard is null ? output : output.Prepend(new Hoist(transform._discard, IrType.Double)).ToEquatableArray();
    }

    /// <summary>The tangents of an arena group (a local array and its adjoint), or null when neither is active.</summary>
    private (string First, string? Second)? TangentGroup(string name, string? shadow)
    {
        var tangents = new[] { name, shadow }.Where(n => n is not null && IsActive(n)).Select(n => Dot(n!)).ToList();
        return tangents.Count == 0 ? null : (tangents[0], tangents.Count > 1 ? tangents[1] : null);
    }

    private EquatableArray<Stmt> List(IEnumerable<Stmt> body)
    {
        var output = new List<Stmt>();
        foreach (var s in body)
        {
            Statement(s, output);
        }

        return output.ToEquatableArray();
    }

    private string Dot(string name)
    {
        if (!_tangentNames.TryGetValue(name, out var dot))
        {
            dot = _names.Fresh(name + "_dot");
            _tangentNames[name] = dot;
        }

        return dot;
    }

    private bool IsActive(string name) => _active.Contains(name);

    private void Statement(Stmt s, List<Stmt> output)
    {
        switch (s)
        {
            // Adjoint code: tape traffic, accumulation, arena groups and pullback calls.
            case Hoist { Type: IrType.Double or IrType.DoubleArray } h when IsActive(h.Name):
                output.Add(h);
                output.Add(new Hoist(Dot(h.Name), h.Type));
                break;
            case Declare { Type: IrType.Int } d when _handleTangents.TryGetValue(d.Name, out var handleDot):
                output.Add(d);
                output.Add(d with { Name = handleDot });
                break;
            case Push { Value: VarRef { VarType: IrType.Int } v } p when _handleTangents.TryGetValue(v.Name, out var handleDot):
                output.Add(p);
                output.Add(new Push(Int(handleDot)));
                break;
            case Push { Value: { Type: IrType.Double } value } p when AtomTangent(value) is { } tangent:
                output.Add(p);
                output.Add(new Push(tangent));
                break;
            case Assign { Value: Popped } a when IsActive(a.Name):
                output.Add(new Assign(Dot(a.Name), a.Value));
                output.Add(a);
                break;
            case Store { Value: Popped } st when IsActive(st.Array):
                output.Add(st with { Array = Dot(st.Array) });
                output.Add(st);
                break;
            case Accumulate a when IsActive(a.Name):
                if (Tangent(a.Value, a.Value) is var dt && !IsConst(dt, 0.0)) output.Add(new Accumulate(Dot(a.Name), dt));
                output.Add(a);
                break;
            case AccumulateElement a when IsActive(a.Array):
                if (Tangent(a.Value, a.Value) is var de && !IsConst(de, 0.0)) output.Add(new AccumulateElement(Dot(a.Array), a.Index, de));
                output.Add(a);
                break;
            case AllocateArray a:
                output.Add(a);
                if (TangentGroup(a.Name, a.Shadow) is { } group)
                {
                    output.Add(new AllocateArray(group.First, group.Second, a.Length, a.HandleName is null ? null : _handleTangents[a.HandleName], a.Declare));
                }

                break;
            case RebindArray r:
                if (TangentGroup(r.Name, r.Shadow) is { } rebound)
                {
                    output.Add(new RebindArray(rebound.First, rebound.Second, _handleTangents[r.HandleName]));
                }

                output.Add(r);
                break;
            case SliceArray sa:
                output.Add(sa);
                if (IsActive(sa.Name))
                {
                    output.Add(new SliceArray(Dot(sa.Name), new VarRef(Dot(sa.Source.Name), IrType.DoubleArray), sa.Start, sa.Length));
                }

                break;
            case ReverseLoop r:
                output.Add(r with { Body = List(r.Body) });
                break;
            case ReserveTape r:
                // Every pushed value may get its tangent pushed after it.
                output.Add(new ReserveTape(new Binary(BinaryOp.Multiply, new IntConst(2), r.Doubles, IrType.Int), new Binary(BinaryOp.Multiply, new IntConst(2), r.Ints, IrType.Int)));
                break;
            case PullbackCall p:
                output.Add(PullbackTangent(p));
                break;

            // Primal code.
            case Declare { Type: IrType.Double, Init: UserCall call } d when IsActive(d.Name):
                output.Add(Call(d.Name, call, declare: true));
                break;
            case Assign { Value: UserCall call } a when IsActive(a.Name):
                output.Add(Call(a.Name, call, declare: false));
                break;
            case Declare { Type: IrType.Double } d when IsActive(d.Name):
                output.Add(d);
                output.Add(new Declare(Dot(d.Name), IrType.Double, d.Init is null ? Zero : Tangent(d.Init, new VarRef(d.Name, IrType.Double))));
                break;
            case Assign a when a.Value.Type == IrType.Double && IsActive(a.Name):
                output.Add(a);
                output.Add(new Assign(Dot(a.Name), Tangent(a.Value, new VarRef(a.Name, IrType.Double))));
                break;
            case Store st when IsActive(st.Array):
                output.Add(st);
                output.Add(new Store(Dot(st.Array), st.Index, Tangent(st.Value, new ElementRef(st.Array, st.Index, IrType.Double))));
                break;
            case DeclareArray da:
                output.Add(new AllocateArray(da.Name, IsActive(da.Name) ? Dot(da.Name) : null, da.Length, null, Declare: true));
                break;
            case Return r:
                output.Add(new Assign(_tangentOut, Tangent(r.Value, r.Value)));
                output.Add(r);
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

    /// <summary>Tangent of a three-address operation whose value is held by <paramref name="result"/>.</summary>
    private Expr Tangent(Expr op, Expr result) =>
        Sum(LocalPartials.Of(op, result).Select(p => p.Partial is null ? null : Scale(AtomTangent(p.Operand), p.Partial))) ?? Zero;

    private Expr? AtomTangent(Expr atom) => atom switch
    {
        VarRef { VarType: IrType.Double } v when IsActive(v.Name) => new VarRef(Dot(v.Name), IrType.Double),
        ElementRef { ElementType: IrType.Double } e when IsActive(e.Array) => new ElementRef(Dot(e.Array), e.Index, IrType.Double),
        _ => null,
    };

    private JvpCall Call(string target, UserCall call, bool declare) =>
        new(target, Dot(target), declare, call.Target, call.Args, ArgumentTangents(call.Target, call.Args));

    private EquatableArray<TangentArg> ArgumentTangents(CallTarget callee, EquatableArray<Expr> args)
    {
        var tangents = new List<TangentArg>();
        for (int i = 0; i < args.Count; i++)
        {
            var parameter = callee.Parameters[i];
            if (!parameter.IsDifferentiable)
            {
                continue;
            }

            var arg = args[i];
            Expr? tangent = arg switch
            {
                VarRef { VarType: IrType.DoubleArray } v when IsActive(v.Name) => new VarRef(Dot(v.Name), IrType.DoubleArray),
                VarRef { VarType: IrType.DoubleArray } => null,
                _ => AtomTangent(arg) ?? Zero,
            };
            tangents.Add(new TangentArg(tangent, arg));
        }

        return tangents.ToEquatableArray();
    }

    /// <summary>
    /// The tangent of a pullback call: the callee's PullbackJvp, given the tangents of the arguments
    /// and of the seed, accumulates the tangents of the adjoints it adds to. A slot whose tangent
    /// nobody reads gets a discard local or the arena's discard span.
    /// </summary>
    private PullbackJvpCall PullbackTangent(PullbackCall p)
    {
        var slotTangents = p.Slots.Select(slot => new AdjointSlot(
            slot.Target switch
            {
                VarRef { VarType: IrType.DoubleArray } v when IsActive(v.Name) => new VarRef(Dot(v.Name), IrType.DoubleArray),
                VarRef { VarType: IrType.DoubleArray } or ScratchSpan => new ScratchSpan(new LengthOf(((VarRef)slot.Argument).Name)),
                _ when slot.Target is not null && AtomTangent(slot.Target) is { } tangent => tangent,
                _ => Double(_discard ??= _names.Fresh("discard_dot")),
            },
            slot.Argument)).ToEquatableArray();
        return new PullbackJvpCall(p.Callee, p.Args, ArgumentTangents(p.Callee, p.Args), p.Seed, AtomTangent(p.Seed), p.Slots, slotTangents);
    }
}
