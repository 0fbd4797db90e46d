using System.Collections.Generic;
using System.Linq;

namespace AutoDiffGen.Generator.IR;

/// <summary>Queries over IR trees shared by the analyses and transforms.</summary>
internal static class IrWalk
{
    /// <summary>Every sub-expression of <paramref name="e"/>, itself included, in pre-order.</summary>
    public static IEnumerable<Expr> Descendants(Expr e)
    {
        yield return e;
        IEnumerable<Expr> children = e switch
        {
            ElementRef el => [el.Index],
            Unary u => [u.Operand],
            Binary b => [b.Left, b.Right],
            Conditional c => [c.Condition, c.WhenTrue, c.WhenFalse],
            Convert c => [c.Operand],
            OverflowContext o => [o.Operand],
            MathCall m => m.Args,
            UserCall u => u.Args,
            ScratchSpan s => [s.Length],
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }

    /// <summary>Names of all variables and arrays read anywhere in <paramref name="e"/> (indices included).</summary>
    public static IEnumerable<string> ReadNames(Expr e) => Descendants(e).SelectMany(d => d switch
    {
        VarRef v => [v.Name],
        ElementRef el => [el.Array],
        LengthOf l => [l.Array],
        _ => System.Array.Empty<string>(),
    });

    /// <summary>
    /// Names through which a derivative can flow into the value of <paramref name="e"/>: double
    /// variables, double arrays whose elements are read, and arguments in differentiable positions
    /// of [Differentiable] calls. Conditions, indices and integer parts carry no derivative.
    /// </summary>
    public static IEnumerable<string> DerivativeSources(Expr e)
    {
        switch (e)
        {
            case VarRef { VarType: IrType.Double or IrType.DoubleArray } v:
                yield return v.Name;
                break;
            case ElementRef { ElementType: IrType.Double } el:
                yield return el.Array;
                break;
            case Unary { ResultType: IrType.Double } u:
                foreach (var n in DerivativeSources(u.Operand)) yield return n;
                break;
            case Binary { ResultType: IrType.Double } b:
                foreach (var n in DerivativeSources(b.Left)) yield return n;
                foreach (var n in DerivativeSources(b.Right)) yield return n;
                break;
            case Conditional { ResultType: IrType.Double } c:
                foreach (var n in DerivativeSources(c.WhenTrue)) yield return n;
                foreach (var n in DerivativeSources(c.WhenFalse)) yield return n;
                break;
            case MathCall { ResultType: IrType.Double } m:
                foreach (var a in m.Args)
                {
                    foreach (var n in DerivativeSources(a)) yield return n;
                }

                break;
            case UserCall u:
                for (int i = 0; i < u.Args.Count; i++)
                {
                    if (u.Target.Parameters[i].IsDifferentiable)
                    {
                        foreach (var n in DerivativeSources(u.Args[i])) yield return n;
                    }
                }

                break;
        }
    }

    /// <summary>Every statement in <paramref name="body"/>, nested ones included, in pre-order.</summary>
    public static IEnumerable<Stmt> AllStatements(IEnumerable<Stmt> body)
    {
        foreach (var s in body)
        {
            yield return s;
            IEnumerable<Stmt> nested = s switch
            {
                If i => i.Then.Concat(i.Else),
                Loop l => l.Init.Concat(l.Body).Concat(l.Step),
                ReverseLoop r => r.Body,
                _ => [],
            };
            foreach (var n in AllStatements(nested))
            {
                yield return n;
            }
        }
    }

    /// <summary>Every expression a statement evaluates directly (not those of nested statements).</summary>
    public static IEnumerable<Expr> OwnExpressions(Stmt s) => s switch
    {
        Declare { Init: { } init } => [init],
        Assign a => [a.Value],
        Store st => [st.Index, st.Value],
        DeclareArray da => [da.Length],
        If i => [i.Condition],
        Loop l => [l.Condition],
        Return r => [r.Value],
        Push p => [p.Value],
        ReserveTape r => [r.Doubles, r.Ints],
        Accumulate a => [a.Value],
        AccumulateElement a => [a.Index, a.Value],
        AllocateArray a => [a.Length],
        SliceArray sa => [sa.Source, sa.Start, sa.Length],
        JvpCall j => j.Args.Concat(j.Tangents.SelectMany(t => t.Value is null ? [t.Argument] : new[] { t.Value, t.Argument })),
        ReverseLoop { TripCount: { } trip, StartValue: { } start } => [trip, start],
        ReverseLoop { TripCount: { } trip } => [trip],
        PullbackCall p => p.Args.Append(p.Seed).Concat(p.Slots.SelectMany(t => t.Target is null ? [t.Argument] : new[] { t.Target, t.Argument })),
        PullbackJvpCall p => p.Args.Concat(p.ArgTangents.Where(t => t.Value is not null).Select(t => t.Value!)).Append(p.Seed)
            .Concat(p.SeedTangent is null ? [] : [p.SeedTangent])
            .Concat(p.Slots.Concat(p.SlotTangents).Where(t => t.Target is not null).Select(t => t.Target!)),
        _ => [],
    };

    /// <summary>
    /// The expressions a statement evaluates for their values: <see cref="OwnExpressions"/> without
    /// the adjoint slots of pullback calls, which are where results go (<c>ref a_bar[i]</c>).
    /// </summary>
    public static IEnumerable<Expr> ReadExpressions(Stmt s) => s switch
    {
        PullbackCall p => p.Args.Append(p.Seed),
        PullbackJvpCall p => p.Args.Concat(p.ArgTangents.Where(t => t.Value is not null).Select(t => t.Value!)).Append(p.Seed)
            .Concat(p.SeedTangent is null ? [] : [p.SeedTangent]),
        _ => OwnExpressions(s),
    };

    /// <summary>The variable a statement assigns, if it assigns a scalar.</summary>
    public static string? AssignedScalar(Stmt s) => s switch
    {
        Declare d => d.Name,
        Assign a => a.Name,
        _ => null,
    };

    /// <summary>Names a statement writes, whole or in part (not in nested statements).</summary>
    public static IEnumerable<string> Targets(Stmt s) => s switch
    {
        Declare d => [d.Name],
        Assign a => [a.Name],
        Accumulate a => [a.Name],
        Store st => [st.Array],
        AccumulateElement a => [a.Array],
        DeclareArray da => [da.Name],
        AllocateArray a => new[] { a.Name, a.Shadow, a.HandleName }.Where(n => n is not null).Select(n => n!),
        RebindArray r => new[] { r.Name, r.Shadow, r.HandleName }.Where(n => n is not null).Select(n => n!),
        SliceArray sa => [sa.Name],
        JvpCall j => [j.Target, j.TargetTangent],
        ReverseLoop { Counter: { } counter } => [counter],
        PullbackCall p => SlotNames(p.Slots),
        PullbackJvpCall p => SlotNames(p.Slots.Concat(p.SlotTangents)),
        _ => [],
    };

    /// <summary>Every name a statement reads or writes (not in nested statements); a reverse loop's own names too.</summary>
    public static IEnumerable<string> Mentions(Stmt s) => OwnExpressions(s).SelectMany(ReadNames).Concat(Targets(s)).Concat(s switch
    {
        ReverseLoop r => new[] { r.IterationName, r.StartName }.Where(n => n is not null).Select(n => n!),
        _ => [],
    });

    /// <summary>The variable or array a pullback accumulates into through a slot; null for a scratch span.</summary>
    public static string? SlotName(Expr? target) => target switch
    {
        VarRef v => v.Name,
        ElementRef e => e.Array,
        _ => null,
    };

    private static IEnumerable<string> SlotNames(IEnumerable<AdjointSlot> slots) =>
        slots.Select(slot => SlotName(slot.Target)).Where(n => n is not null).Select(n => n!);
}
