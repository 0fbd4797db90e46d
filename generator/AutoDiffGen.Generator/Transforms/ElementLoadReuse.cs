using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// An array element read by several statements of a straight run of code, with no write to that
/// array or to the index's variables in between, is loaded once into a local. Derivative code
/// reads the same elements again and again (the tangent of <c>q[j] = a[k] * x[j]</c> reads
/// <c>a[k]</c> and <c>x[j]</c> once more right after the store to <c>q[j]</c>), and the JIT must
/// reload them: it cannot tell that the store went to another array. The generator can: local
/// arrays are separate arena allocations, parameter arrays are never written.
/// </summary>
/// <remarks>
/// Runs on the code about to be printed, after <see cref="InvariantReadHoisting"/>. A run ends at
/// any if or loop (whose bodies are runs of their own). A load moves up only to the first statement
/// that reads the element in every case (not under <c>?:</c>, <c>&amp;&amp;</c> or
/// <c>||</c>), so it never reads an element the code would not have read. Arrays sharing storage
/// (<see cref="SliceArray"/>) count as one.
/// </remarks>
internal sealed class ElementLoadReuse
{
    private readonly NameScope _names;
    private readonly SharedStorage _storage;

    private ElementLoadReuse(NameScope names, SharedStorage storage)
    {
        _names = names;
        _storage = storage;
    }

    public static EquatableArray<Stmt> Apply(IReadOnlyList<Stmt> body, NameScope names) =>
        new ElementLoadReuse(names, SharedStorage.Of(body)).List(body);

    private EquatableArray<Stmt> List(IReadOnlyList<Stmt> body)
    {
        // Nested blocks first: each is a run (or several) of its own.
        var statements = body.Select(s => s switch
        {
            If i => i with { Then = List(i.Then), Else = List(i.Else) },
            Loop l => l with { Init = List(l.Init), Body = List(l.Body), Step = List(l.Step) },
            ReverseLoop r => r with { Body = List(r.Body) },
            _ => s,
        }).ToList();

        // Windows: from the first unconditional read of an element to the statement that ends
        // its value (a write to the array or to a variable of the index), or the end of the run.
        var windows = new List<(ElementRef Read, int First, int Last, int Uses)>();
        var open = new Dictionary<ElementRef, (int First, int Uses)>();
        void Close(ElementRef read, int last)
        {
            var (first, uses) = open[read];
            if (uses >= 2) windows.Add((read, first, last, uses));
            open.Remove(read);
        }

        for (int k = 0; k < statements.Count; k++)
        {
            var s = statements[k];
            if (s is If or Loop or ReverseLoop)
            {
                foreach (var read in open.Keys.ToList()) Close(read, k - 1);
                continue;
            }

            foreach (var read in UnconditionalReads(s))
            {
                open[read] = open.TryGetValue(read, out var w) ? (w.First, w.Uses + 1) : (k, 1);
            }

            var written = Written(s);
            foreach (var read in open.Keys.Where(r => written.Contains(r.Array) || IrWalk.ReadNames(r.Index).Any(written.Contains)).ToList())
            {
                Close(read, k);
            }
        }

        foreach (var read in open.Keys.ToList()) Close(read, statements.Count - 1);
        if (windows.Count == 0)
        {
            return statements.ToEquatableArray();
        }

        var output = new List<Stmt>();
        var active = new Dictionary<ElementRef, VarRef>();
        for (int k = 0; k < statements.Count; k++)
        {
            foreach (var w in windows.Where(w => w.First == k))
            {
                var local = new VarRef(_names.Fresh(InvariantReadHoisting.LocalStem(w.Read)), w.Read.ElementType);
                output.Add(new Declare(local.Name, local.VarType, Substitute(w.Read, active)));
                active[w.Read] = local;
            }

            output.Add(active.Count == 0 ? statements[k] : InvariantReadHoisting.Substitute(statements[k], active));
            foreach (var w in windows.Where(w => w.Last == k))
            {
                active.Remove(w.Read);
            }
        }

        return output.ToEquatableArray();
    }

    private static Expr Substitute(ElementRef read, Dictionary<ElementRef, VarRef> active) =>
        active.Count == 0 ? read : read with { Index = InvariantReadHoisting.Substitute(read.Index, active) };

    /// <summary>Names the statement writes, with every array sharing storage with a written one.</summary>
    private HashSet<string> Written(Stmt s) => _storage.Written(IrWalk.Targets(s));

    /// <summary>The element reads a simple statement evaluates whatever the values (not under ?:, &amp;&amp; or ||).</summary>
    private static IEnumerable<ElementRef> UnconditionalReads(Stmt s)
    {
        var reads = new List<ElementRef>();
        void Visit(Expr e)
        {
            switch (e)
            {
                case ElementRef el:
                    reads.Add(el);
                    Visit(el.Index);
                    break;
                case Conditional c:
                    Visit(c.Condition);
                    break;
                case Binary { Op: BinaryOp.And or BinaryOp.Or } b:
                    Visit(b.Left);
                    break;
                case Binary b:
                    Visit(b.Left);
                    Visit(b.Right);
                    break;
                case Unary u:
                    Visit(u.Operand);
                    break;
                case Convert c:
                    Visit(c.Operand);
                    break;
                case MathCall m:
                    foreach (var a in m.Args) Visit(a);
                    break;
                case UserCall u:
                    foreach (var a in u.Args) Visit(a);
                    break;
            }
        }

        foreach (var e in IrWalk.ReadExpressions(s))
        {
            Visit(e);
        }

        return reads.Distinct();
    }
}
