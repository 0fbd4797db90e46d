using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// An adjoint accumulation into a variable that is known to hold zero (<c>b_bar += v</c> right after
/// <c>b_bar = 0.0</c> of the previous statement or iteration) becomes an assignment
/// (<c>b_bar = v</c>). The JIT may not fold <c>0.0 + v</c> (it is +0.0, not v, when v is -0.0), so
/// every such add stays in the code and lengthens the dependency chain of the adjoint updates.
/// </summary>
/// <remarks>
/// A forward data-flow analysis over the structured code about to be printed: a double is known
/// to be zero after its hoisted declaration or an assignment of the constant 0, until anything
/// else writes it; at a branch join only what both branches know survives, and a loop keeps at
/// its head only what holds both on entry and at the end of its body. Only accumulations change,
/// so the primal computation is untouched; a gradient component that was -0.0 may come out +0.0
/// or the other way round, nothing else differs.
/// </remarks>
internal static class KnownZeroAccumulation
{
    /// <param name="body">Statements in execution order.</param>
    /// <param name="zeroAtEntry">Doubles known to be zero before <paramref name="body"/>.</param>
    /// <returns>The rewritten statements and the doubles known to be zero after them.</returns>
    public static (EquatableArray<Stmt> Body, HashSet<string> ZeroAtExit) Apply(IReadOnlyList<Stmt> body, IEnumerable<string> zeroAtEntry)
    {
        var zero = new HashSet<string>(zeroAtEntry);
        var output = List(body, zero, rewrite: true);
        return (output, zero);
    }

    /// <summary>The doubles the hoisted declarations of <paramref name="declarations"/> leave at zero.</summary>
    public static HashSet<string> ZeroAfter(IReadOnlyList<Stmt> declarations)
    {
        var zero = new HashSet<string>();
        List(declarations, zero, rewrite: false);
        return zero;
    }

    /// <summary>Walks <paramref name="body"/>, updating <paramref name="zero"/> from before to after it.</summary>
    private static EquatableArray<Stmt> List(IEnumerable<Stmt> body, HashSet<string> zero, bool rewrite)
    {
        var output = new List<Stmt>();
        foreach (var s in body)
        {
            output.Add(Statement(s, zero, rewrite));
        }

        return output.ToEquatableArray();
    }

    private static Stmt Statement(Stmt s, HashSet<string> zero, bool rewrite)
    {
        switch (s)
        {
            case Hoist { Type: IrType.Double } h:
                zero.Add(h.Name);
                return s;
            case Declare { Type: IrType.Double, Init: DoubleConst c } d when IsPositiveZero(c):
                zero.Add(d.Name);
                return s;
            case Assign { Value: DoubleConst c } a when IsPositiveZero(c):
                zero.Add(a.Name);
                return s;
            case Accumulate a when zero.Contains(a.Name):
                zero.Remove(a.Name);
                return rewrite ? new Assign(a.Name, a.Value) : s;
            case If i:
                {
                    var then = new HashSet<string>(zero);
                    var otherwise = new HashSet<string>(zero);
                    var rewritten = i with { Then = List(i.Then, then, rewrite), Else = List(i.Else, otherwise, rewrite) };
                    zero.IntersectWith(then);
                    zero.IntersectWith(otherwise);
                    return rewritten;
                }

            case Loop l:
                {
                    var init = List(l.Init, zero, rewrite);
                    var head = Head(zero, l.Body.Concat(l.Step));
                    var end = new HashSet<string>(head);
                    var rewritten = l with { Init = init, Body = List(l.Body, end, rewrite), Step = List(l.Step, end, rewrite) };
                    zero.Clear();
                    zero.UnionWith(head);
                    zero.IntersectWith(end);
                    return rewritten;
                }

            case ReverseLoop r:
                {
                    var head = Head(zero, r.Body);
                    var end = new HashSet<string>(head);
                    var rewritten = r with { Body = List(r.Body, end, rewrite) };
                    zero.Clear();
                    zero.UnionWith(head);
                    zero.IntersectWith(end);
                    return rewritten;
                }

            default:
                zero.ExceptWith(IrWalk.Targets(s));
                return s;
        }
    }

    private static bool IsPositiveZero(DoubleConst c) => System.BitConverter.DoubleToInt64Bits(c.Value) == 0;

    /// <summary>What is known at a loop's head: known on entry and still known after any number of passes.</summary>
    private static HashSet<string> Head(HashSet<string> entry, IEnumerable<Stmt> pass)
    {
        var statements = pass.ToList();
        var head = new HashSet<string>(entry);
        while (true)
        {
            var end = new HashSet<string>(head);
            List(statements, end, rewrite: false);
            if (head.IsSubsetOf(end))
            {
                return head;
            }

            head.IntersectWith(end);
        }
    }
}
