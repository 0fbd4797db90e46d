using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Reads of array elements that no iteration of a loop changes (<c>x[i]</c> inside a loop over j)
/// are read once, into a local, before the loop. The JIT cannot do this itself: it does not know
/// that the loop's stores go to other arrays. The generator does (local arrays are separate arena
/// allocations, parameter arrays are never written), and derivative code has many such reads: the
/// tangent of <c>q[j] += a[l] * x[i]</c> reads both <c>x[i]</c> and <c>x_dot[i]</c>, the adjoint of it
/// <c>x[i]</c> again.
/// </summary>
/// <remarks>
/// Runs last, on the code about to be printed. A read is hoisted only when every iteration
/// evaluates it (a statement at the top level of the loop body, not under an if or in a nested
/// loop), so the hoisted read fails exactly when the loop's first read would; the loop is entered
/// through a test of its condition (a reverse loop: of its trip count) so a loop that runs no
/// iteration reads nothing. Loops with break, continue or return are left alone. An array counts
/// as written when any array it shares storage with (see <see cref="SliceArray"/>) is written.
/// </remarks>
internal sealed class InvariantReadHoisting
{
    private readonly NameScope _names;
    private readonly SharedStorage _storage;

    private InvariantReadHoisting(NameScope names, SharedStorage storage)
    {
        _names = names;
        _storage = storage;
    }

    public static EquatableArray<Stmt> Apply(IReadOnlyList<Stmt> body, NameScope names) =>
        new InvariantReadHoisting(names, SharedStorage.Of(body)).List(body);

    private EquatableArray<Stmt> List(IEnumerable<Stmt> body)
    {
        var output = new List<Stmt>();
        foreach (var s in body)
        {
            switch (s)
            {
                case If i:
                    output.Add(i with { Then = List(i.Then), Else = List(i.Else) });
                    break;
                case Loop l:
                    HoistFrom(l with { Init = List(l.Init), Body = List(l.Body), Step = List(l.Step) }, output);
                    break;
                case ReverseLoop r:
                    HoistFrom(r with { Body = List(r.Body) }, output);
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }

        return output.ToEquatableArray();
    }

    private void HoistFrom(Loop l, List<Stmt> output)
    {
        var reads = HasJumps(l.Body.Concat(l.Step)) ? [] : InvariantReads(l.Body, Written(l.Body.Concat(l.Step)));
        if (reads.Count == 0)
        {
            output.Add(l);
            return;
        }

        var (locals, hoisted, body) = Plan(reads, l.Body, l.Step, IrWalk.ReadNames(l.Condition));
        var loop = l with
        {
            Kind = LoopKind.DoWhile,
            Init = EquatableArray<Stmt>.Empty,
            Condition = Substitute(l.Condition, locals),
            Body = body,
            Step = Substitute(l.Step, locals),
        };
        output.AddRange(l.Init);
        var entered = hoisted.Append(loop).ToEquatableArray();
        if (l.Kind == LoopKind.DoWhile)
        {
            output.AddRange(entered);
        }
        else
        {
            output.Add(new If(l.Condition, entered, EquatableArray<Stmt>.Empty));
        }
    }

    private void HoistFrom(ReverseLoop r, List<Stmt> output)
    {
        if (r.TripCount is null || HasJumps(r.Body))
        {
            output.Add(r);
            return;
        }

        var written = Written(r.Body);
        written.UnionWith(new[] { r.Counter, r.IterationName, r.StartName }.Where(n => n is not null).Select(n => n!));
        var reads = InvariantReads(r.Body, written);
        if (reads.Count == 0)
        {
            output.Add(r);
            return;
        }

        var (_, hoisted, body) = Plan(reads, r.Body, EquatableArray<Stmt>.Empty, []);
        var entered = hoisted.Append(r with { Body = body }).ToEquatableArray();
        output.Add(new If(new Binary(BinaryOp.Greater, r.TripCount, new IntConst(0), IrType.Bool), entered, EquatableArray<Stmt>.Empty));
    }

    /// <summary>
    /// A local for each hoisted read, the statements that set them before the loop, and the loop
    /// body reading the locals. A body statement that only loads the element into a variable
    /// (<c>v = a[i]</c>, the only write of v in the loop, with no read of v before it) moves out
    /// whole and v serves as the local.
    /// </summary>
    private (Dictionary<ElementRef, VarRef> Locals, List<Stmt> Hoisted, EquatableArray<Stmt> Body) Plan(
        List<ElementRef> reads, EquatableArray<Stmt> body, EquatableArray<Stmt> step, IEnumerable<string> conditionReads)
    {
        var locals = new Dictionary<ElementRef, VarRef>();
        var hoisted = new List<Stmt>();
        var moved = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        var writes = IrWalk.AllStatements(body.Concat(step)).SelectMany(IrWalk.Targets).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var readBefore = new HashSet<string>(conditionReads);
        foreach (var s in body)
        {
            var load = s switch
            {
                Declare { Init: ElementRef e } => e,
                Assign { Value: ElementRef e } => e,
                _ => null,
            };
            var name = IrWalk.AssignedScalar(s);
            if (load is not null && name is not null && reads.Contains(load) && !locals.ContainsKey(load) && writes[name] == 1 && !readBefore.Contains(name))
            {
                locals[load] = new VarRef(name, load.ElementType);
                hoisted.Add(s);
                moved.Add(s);
            }

            readBefore.UnionWith(IrWalk.AllStatements([s]).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.ReadNames));
        }

        foreach (var e in reads.Where(e => !locals.ContainsKey(e)))
        {
            var local = new VarRef(_names.Fresh(LocalStem(e)), e.ElementType);
            locals[e] = local;
            hoisted.Add(new Declare(local.Name, local.VarType, e));
        }

        return (locals, hoisted, Substitute(body.Where(s => !moved.Contains(s)).ToEquatableArray(), locals));
    }

    /// <summary>The name stem of a local holding element <paramref name="e"/>: x_i for x[i], x_0 for x[0], x_k otherwise.</summary>
    internal static string LocalStem(ElementRef e) => e.Array + "_" + e.Index switch
    {
        VarRef v => v.Name,
        IntConst c => c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "k",
    };

    private static bool HasJumps(IEnumerable<Stmt> body) => IrWalk.AllStatements(body).Any(s => s is Break or Continue or Return);

    /// <summary>Names the statements write, with every array that shares storage with a written one.</summary>
    private HashSet<string> Written(IEnumerable<Stmt> body) => _storage.Written(IrWalk.AllStatements(body).SelectMany(IrWalk.Targets));

    /// <summary>The element reads every iteration evaluates whose array and index the loop does not write, in order of appearance.</summary>
    private static List<ElementRef> InvariantReads(IEnumerable<Stmt> body, HashSet<string> written)
    {
        var reads = new List<ElementRef>();
        foreach (var s in body)
        {
            var expressions = s switch
            {
                If i => [i.Condition],
                Loop or ReverseLoop => [],
                _ => IrWalk.ReadExpressions(s),
            };
            foreach (var e in expressions.SelectMany(IrWalk.Descendants).OfType<ElementRef>())
            {
                if (!written.Contains(e.Array) && !IrWalk.ReadNames(e.Index).Any(written.Contains) && !reads.Contains(e))
                {
                    reads.Add(e);
                }
            }
        }

        return reads;
    }

    private static EquatableArray<Stmt> Substitute(EquatableArray<Stmt> body, Dictionary<ElementRef, VarRef> locals) =>
        body.Select(s => Substitute(s, locals)).ToEquatableArray();

    /// <summary>
    /// The statement with the given element reads replaced by locals (statement kinds without such
    /// reads are returned as they are; where results go, such as pullback slots, is never replaced).
    /// </summary>
    internal static Stmt Substitute(Stmt s, Dictionary<ElementRef, VarRef> locals)
    {
        Expr E(Expr e) => Substitute(e, locals);
        Expr? N(Expr? e) => e is null ? null : Substitute(e, locals);
        TangentArg Tangent(TangentArg t) => t with { Value = N(t.Value) };
        return s switch
        {
            Declare d => d with { Init = N(d.Init) },
            Assign a => a with { Value = E(a.Value) },
            Store st => st with { Index = E(st.Index), Value = E(st.Value) },
            Accumulate a => a with { Value = E(a.Value) },
            AccumulateElement a => a with { Index = E(a.Index), Value = E(a.Value) },
            Push p => p with { Value = E(p.Value) },
            If i => i with { Condition = E(i.Condition), Then = Substitute(i.Then, locals), Else = Substitute(i.Else, locals) },
            Loop l => l with { Init = Substitute(l.Init, locals), Condition = E(l.Condition), Body = Substitute(l.Body, locals), Step = Substitute(l.Step, locals) },
            ReverseLoop r => r with { Body = Substitute(r.Body, locals), TripCount = N(r.TripCount), StartValue = N(r.StartValue) },
            JvpCall j => j with { Args = j.Args.Select(E).ToEquatableArray(), Tangents = j.Tangents.Select(Tangent).ToEquatableArray() },
            PullbackCall p => p with { Args = p.Args.Select(E).ToEquatableArray(), Seed = E(p.Seed) },
            PullbackJvpCall p => p with
            {
                Args = p.Args.Select(E).ToEquatableArray(),
                ArgTangents = p.ArgTangents.Select(Tangent).ToEquatableArray(),
                Seed = E(p.Seed),
                SeedTangent = N(p.SeedTangent),
            },
            _ => s,
        };
    }

    internal static Expr Substitute(Expr e, Dictionary<ElementRef, VarRef> locals) => e switch
    {
        ElementRef el when locals.TryGetValue(el, out var local) => local,
        ElementRef el => el with { Index = Substitute(el.Index, locals) },
        Unary u => u with { Operand = Substitute(u.Operand, locals) },
        Binary b => b with { Left = Substitute(b.Left, locals), Right = Substitute(b.Right, locals) },
        Conditional c => c with { Condition = Substitute(c.Condition, locals), WhenTrue = Substitute(c.WhenTrue, locals), WhenFalse = Substitute(c.WhenFalse, locals) },
        Convert c => c with { Operand = Substitute(c.Operand, locals) },
        MathCall m => m with { Args = m.Args.Select(a => Substitute(a, locals)).ToEquatableArray() },
        UserCall u => u with { Args = u.Args.Select(a => Substitute(a, locals)).ToEquatableArray() },
        _ => e,
    };
}
