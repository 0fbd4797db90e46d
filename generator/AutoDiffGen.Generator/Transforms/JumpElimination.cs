using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Removes break, continue and early return, IR to IR, so the adjoint transform sees only
/// structured, single-exit code: each jump sets a flag, the rest of the enclosing statement list
/// is guarded by the flags it may set, loop conditions test them first, and every <c>return e</c>
/// becomes an assignment to one result variable returned at the end.
/// </summary>
internal sealed class JumpElimination
{
    private readonly NameScope _names;
    private readonly string _result;
    private string? _returned;

    private JumpElimination(NameScope names, string result)
    {
        _names = names;
        _result = result;
    }

    /// <summary>The transformed body ends with <c>return result;</c>, where result is <paramref name="resultName"/>.</summary>
    public static EquatableArray<Stmt> Apply(IReadOnlyList<Stmt> body, NameScope names, string resultName)
    {
        var transform = new JumpElimination(names, resultName);
        var statements = body.ToList();

        // A final top-level return needs no flag: nothing follows it.
        Return? last = null;
        int lastIndex = statements.FindLastIndex(s => s is not Comment);
        if (lastIndex >= 0 && statements[lastIndex] is Return r)
        {
            last = r;
            statements.RemoveAt(lastIndex);
        }

        var output = new List<Stmt> { new Declare(resultName, IrType.Double, null) };
        var transformed = transform.List(statements, null);
        if (transform._returned is not null)
        {
            output.Add(new Declare(transform._returned, IrType.Bool, new BoolConst(false)));
        }

        output.AddRange(transformed);
        if (last is not null)
        {
            var assign = new Assign(resultName, last.Value);
            output.Add(transform._returned is null ? assign : Guard([transform._returned], [assign]));
        }

        output.Add(new Return(new VarRef(resultName, IrType.Double)));
        return output.ToEquatableArray();
    }

    private sealed class LoopFlags
    {
        public string? Break;
        public string? Continue;
    }

    private EquatableArray<Stmt> List(IReadOnlyList<Stmt> body, LoopFlags? loop)
    {
        var output = new List<Stmt>();
        for (int i = 0; i < body.Count; i++)
        {
            var flags = new List<string>();
            output.AddRange(Statement(body[i], loop, flags));
            if (flags.Count > 0 && i + 1 < body.Count)
            {
                var rest = List(body.Skip(i + 1).ToList(), loop);
                if (rest.Count > 0)
                {
                    output.Add(Guard(flags.Distinct(), rest));
                }

                break;
            }
        }

        return output.ToEquatableArray();
    }

    private static If Guard(IEnumerable<string> flags, IEnumerable<Stmt> body) =>
        new(new Unary(UnaryOp.Not, AnyOf(flags), IrType.Bool), body.ToEquatableArray(), EquatableArray<Stmt>.Empty);

    private static Expr AnyOf(IEnumerable<string> flags) =>
        flags.Select(f => (Expr)new VarRef(f, IrType.Bool)).Aggregate((a, b) => new Binary(BinaryOp.Or, a, b, IrType.Bool));

    /// <summary>Transforms one statement; adds to <paramref name="flags"/> the flags it may set that concern the enclosing list.</summary>
    private IEnumerable<Stmt> Statement(Stmt s, LoopFlags? loop, List<string> flags)
    {
        switch (s)
        {
            case Return r:
                _returned ??= _names.Fresh("returned");
                flags.Add(_returned);
                return [new Assign(_result, r.Value), new Assign(_returned, new BoolConst(true))];
            case Break:
                loop!.Break ??= _names.Fresh("broke");
                flags.Add(loop.Break);
                return [new Assign(loop.Break, new BoolConst(true))];
            case Continue:
                loop!.Continue ??= _names.Fresh("continued");
                flags.Add(loop.Continue);
                return [new Assign(loop.Continue, new BoolConst(true))];
            case If i:
                {
                    var then = List(i.Then, loop);
                    var otherwise = List(i.Else, loop);
                    flags.AddRange(FlagsSetIn(then, loop));
                    flags.AddRange(FlagsSetIn(otherwise, loop));
                    return [i with { Then = then, Else = otherwise }];
                }

            case Loop l:
                return LoopStatement(l, flags);
            default:
                return [s];
        }
    }

    private IEnumerable<Stmt> LoopStatement(Loop l, List<string> flags)
    {
        var inner = new LoopFlags();
        var body = List(l.Body, inner);
        bool mayReturn = _returned is not null && IrWalk.AllStatements(body).OfType<Assign>().Any(a => a.Name == _returned);

        var exitFlags = new List<string>();
        if (inner.Break is not null) exitFlags.Add(inner.Break);
        if (mayReturn) exitFlags.Add(_returned!);

        var output = new List<Stmt>();
        if (inner.Break is not null) output.Add(new Declare(inner.Break, IrType.Bool, new BoolConst(false)));
        if (inner.Continue is not null)
        {
            output.Add(new Declare(inner.Continue, IrType.Bool, new BoolConst(false)));
            body = new[] { (Stmt)new Assign(inner.Continue, new BoolConst(false)) }.Concat(body).ToEquatableArray();
        }

        var condition = l.Condition;
        var step = l.Step;
        if (exitFlags.Count > 0)
        {
            condition = new Binary(BinaryOp.And, new Unary(UnaryOp.Not, AnyOf(exitFlags), IrType.Bool), condition, IrType.Bool);
            if (step.Count > 0)
            {
                step = EquatableArray.Of<Stmt>(Guard(exitFlags, step));
            }
        }

        output.Add(l with { Condition = condition, Body = body, Step = step });
        if (mayReturn)
        {
            flags.Add(_returned!);
        }

        return output;
    }

    private IEnumerable<string> FlagsSetIn(IEnumerable<Stmt> body, LoopFlags? loop)
    {
        var candidates = new HashSet<string>();
        if (_returned is not null) candidates.Add(_returned);
        if (loop?.Break is not null) candidates.Add(loop.Break);
        if (loop?.Continue is not null) candidates.Add(loop.Continue);

        // Flags of loops nested in body belong to those loops; only their return flag escapes.
        return Assigned(body).Where(candidates.Contains).Distinct();
    }

    private static IEnumerable<string> Assigned(IEnumerable<Stmt> body)
    {
        foreach (var s in body)
        {
            switch (s)
            {
                case Assign { Value: BoolConst { Value: true } } a:
                    yield return a.Name;
                    break;
                case If i:
                    foreach (var n in Assigned(i.Then).Concat(Assigned(i.Else))) yield return n;
                    break;
                case Loop l:
                    foreach (var n in Assigned(l.Body)) yield return n;
                    break;
            }
        }
    }
}
