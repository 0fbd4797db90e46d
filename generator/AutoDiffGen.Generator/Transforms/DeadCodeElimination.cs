using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Removes assignments of scalars whose value nothing reads afterwards (a backward liveness
/// analysis over the structured IR, iterated to a fixed point around loops), and then the
/// hoisted declarations nobody mentions any more. Forward over reverse needs it: the tangent
/// transform gives every active assignment of the forward sweep a tangent, but where the reverse
/// sweep recomputes a value it recomputes the tangent too, so the forward sweep's copy is dead.
/// </summary>
/// <remarks>
/// Only scalar assignments are removed. Tape traffic, element stores and accumulations, arena
/// bindings and calls with outputs stay (a pop must stay to keep the tape aligned). Bodies with
/// jumps (break, continue, return) are returned unchanged: the transforms run it after
/// <see cref="JumpElimination"/>, where there are none.
/// </remarks>
internal static class DeadCodeElimination
{
    /// <param name="body">Structured body without jumps.</param>
    /// <param name="liveAtExit">Scalars read after the body: the returned value, ref outputs.</param>
    /// <param name="discardedArrays">Arrays nobody reads: element writes into them are dropped too.</param>
    public static EquatableArray<Stmt> Apply(IReadOnlyList<Stmt> body, IEnumerable<string> liveAtExit, IEnumerable<string>? discardedArrays = null)
    {
        if (IrWalk.AllStatements(body).Any(s => s is Break or Continue or Return))
        {
            return body.ToEquatableArray();
        }

        var discarded = new HashSet<string>(discardedArrays ?? []);
        if (discarded.Count > 0)
        {
            body = DropWritesInto(body, discarded);
        }

        var (kept, _) = List(body, new HashSet<string>(liveAtExit), remove: true);

        // Declarations left without a use: hoisted ones, and those whose initialiser was dead.
        var mentions = IrWalk.AllStatements(kept).SelectMany(IrWalk.Mentions).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        return Prune(kept, name => mentions.TryGetValue(name, out var c) ? c : 0);
    }

    /// <summary>
    /// The restores (<c>x = pop</c>) in <paramref name="body"/> after which nothing reads x before
    /// it is written again: the value they restore is dead (by the same liveness as
    /// <see cref="Apply"/>; statements compared by reference).
    /// </summary>
    public static HashSet<Stmt> DeadRestores(IReadOnlyList<Stmt> body, IEnumerable<string> liveAtExit)
    {
        var dead = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        if (!IrWalk.AllStatements(body).Any(s => s is Break or Continue or Return))
        {
            List(body, new HashSet<string>(liveAtExit), remove: true, dead);
        }

        return dead;
    }

    private static EquatableArray<Stmt> DropWritesInto(IEnumerable<Stmt> body, HashSet<string> arrays) => body
        .Where(s => s is not (AccumulateElement or Store) || !IrWalk.Targets(s).Any(arrays.Contains))
        .Select(s => s switch
        {
            If i => i with { Then = DropWritesInto(i.Then, arrays), Else = DropWritesInto(i.Else, arrays) },
            Loop l => l with { Init = DropWritesInto(l.Init, arrays), Body = DropWritesInto(l.Body, arrays), Step = DropWritesInto(l.Step, arrays) },
            ReverseLoop r => r with { Body = DropWritesInto(r.Body, arrays) },
            _ => s,
        })
        .ToEquatableArray();

    private static EquatableArray<Stmt> Prune(IEnumerable<Stmt> body, System.Func<string, int> mentions) => body
        .Where(s => s switch
        {
            Hoist h => mentions(h.Name) > 0,
            Declare { Init: null } d => mentions(d.Name) > 1,
            _ => true,
        })
        .Select(s => s switch
        {
            If i => i with { Then = Prune(i.Then, mentions), Else = Prune(i.Else, mentions) },
            Loop l => l with { Init = Prune(l.Init, mentions), Body = Prune(l.Body, mentions), Step = Prune(l.Step, mentions) },
            ReverseLoop r => r with { Body = Prune(r.Body, mentions) },
            _ => s,
        })
        .ToEquatableArray();

    /// <summary>Walks <paramref name="body"/> backwards from the live set after it; returns the kept statements and the live set before.</summary>
    private static (List<Stmt> Kept, HashSet<string> LiveBefore) List(IReadOnlyList<Stmt> body, HashSet<string> liveAfter, bool remove, HashSet<Stmt>? deadRestores = null)
    {
        var live = new HashSet<string>(liveAfter);
        var kept = new List<Stmt>();
        for (int k = body.Count - 1; k >= 0; k--)
        {
            var s = Statement(body[k], live, remove, deadRestores);
            if (s is not null)
            {
                kept.Add(s);
            }
        }

        kept.Reverse();
        return (kept, live);
    }

    /// <summary>Updates <paramref name="live"/> from after to before the statement; returns it, rewritten, or null when dead.</summary>
    private static Stmt? Statement(Stmt s, HashSet<string> live, bool remove, HashSet<Stmt>? deadRestores)
    {
        switch (s)
        {
            case Declare { Init: not Popped } or Assign { Value: not Popped }:
                {
                    var name = IrWalk.AssignedScalar(s)!;
                    var value = IrWalk.OwnExpressions(s).ToList();
                    if (!live.Contains(name) && remove)
                    {
                        return s is Declare d ? d with { Init = null } : null;
                    }

                    if (!live.Contains(name))
                    {
                        return null;
                    }

                    live.Remove(name);
                    live.UnionWith(value.SelectMany(IrWalk.ReadNames));
                    return s;
                }

            case Accumulate a:
                if (!live.Contains(a.Name))
                {
                    return null;
                }

                live.UnionWith(IrWalk.ReadNames(a.Value));
                return s;
            case JvpCall { Declare: false } j when !live.Contains(j.Target) && !live.Contains(j.TargetTangent):
                return null;
            case JvpCall j:
                live.Remove(j.Target);
                live.Remove(j.TargetTangent);
                live.UnionWith(IrWalk.OwnExpressions(j).SelectMany(IrWalk.ReadNames));
                return s;
            case If i:
                {
                    var (then, liveThen) = List(i.Then, live, remove, deadRestores);
                    var (otherwise, liveElse) = List(i.Else, live, remove, deadRestores);
                    live.Clear();
                    live.UnionWith(liveThen);
                    live.UnionWith(liveElse);
                    live.UnionWith(IrWalk.ReadNames(i.Condition));
                    return i with { Then = then.ToEquatableArray(), Else = otherwise.ToEquatableArray() };
                }

            case Loop l:
                {
                    // Live at the test: after the loop, or through the body and step back to the test.
                    var head = new HashSet<string>(live);
                    head.UnionWith(IrWalk.ReadNames(l.Condition));
                    while (true)
                    {
                        var (_, bodyIn) = List(l.Body.Concat(l.Step).ToList(), head, remove: false);
                        var next = new HashSet<string>(head);
                        next.UnionWith(bodyIn);
                        if (next.SetEquals(head)) break;
                        head = next;
                    }

                    var (body, liveBody) = List(l.Body.ToList(), List(l.Step, head, remove: false).LiveBefore, remove, deadRestores);
                    var (step, _) = List(l.Step, head, remove, deadRestores);
                    var entry = l.Kind == LoopKind.DoWhile ? liveBody : head;
                    var (init, liveInit) = List(l.Init, entry, remove, deadRestores);
                    live.Clear();
                    live.UnionWith(liveInit);
                    return l with { Init = init.ToEquatableArray(), Body = body.ToEquatableArray(), Step = step.ToEquatableArray() };
                }

            case ReverseLoop r:
                {
                    // Each pass sets the counter first; the header reads the trip count and start value.
                    var top = new HashSet<string>(live);
                    while (true)
                    {
                        var (_, bodyIn) = List(r.Body, top, remove: false);
                        var next = new HashSet<string>(top);
                        next.UnionWith(bodyIn.Where(n => n != r.Counter));
                        if (next.SetEquals(top)) break;
                        top = next;
                    }

                    var (body, _) = List(r.Body, top, remove, deadRestores);
                    live.Clear();
                    live.UnionWith(top);
                    live.UnionWith(IrWalk.OwnExpressions(r).SelectMany(IrWalk.ReadNames));
                    return r with { Body = body.ToEquatableArray() };
                }

            default:
                {
                    // Kept: tape traffic, pops, element writes, arena bindings, calls of other methods.
                    // Pops and bindings overwrite their targets; element writes and calls update
                    // part of theirs, so those stay live.
                    if (deadRestores is not null && s is Assign { Value: Popped } restore && !live.Contains(restore.Name))
                    {
                        deadRestores.Add(s);
                    }

                    IEnumerable<string> overwritten = s switch
                    {
                        Declare or Assign or AllocateArray or RebindArray or SliceArray => IrWalk.Targets(s),
                        _ => [],
                    };
                    live.ExceptWith(overwritten);
                    live.UnionWith(IrWalk.OwnExpressions(s).SelectMany(IrWalk.ReadNames));
                    return s;
                }
        }
    }
}
