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
internal sealed class TangentTransform
{
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _tangentNames;
    private readonly NameScope _names;
    private readonly string _tangentOut;

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
        return transform.List(body);
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

    private JvpCall Call(string target, UserCall call, bool declare)
    {
        var tangents = new List<TangentArg>();
        for (int i = 0; i < call.Args.Count; i++)
        {
            var parameter = call.Target.Parameters[i];
            if (!parameter.IsDifferentiable)
            {
                continue;
            }

            var arg = call.Args[i];
            Expr? tangent = arg switch
            {
                VarRef { VarType: IrType.DoubleArray } v when IsActive(v.Name) => new VarRef(Dot(v.Name), IrType.DoubleArray),
                VarRef { VarType: IrType.DoubleArray } => null,
                _ => AtomTangent(arg) ?? Zero,
            };
            tangents.Add(new TangentArg(tangent, arg));
        }

        return new JvpCall(target, Dot(target), declare, call.Target, call.Args, tangents.ToEquatableArray());
    }
}
