using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Activity analysis: a value is active when it depends on a differentiable input (varied) and
/// its value can reach the result (useful). Flow-insensitive over whole variables and arrays,
/// iterated to a fixed point, so it is conservative in loops and branches.
/// </summary>
internal static class ActivityAnalysis
{
    /// <summary>Variables and arrays that depend on one of <paramref name="inputs"/>.</summary>
    public static HashSet<string> Varied(IReadOnlyList<Stmt> body, IEnumerable<string> inputs)
    {
        var varied = new HashSet<string>(inputs);
        var assignments = Assignments(body).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (target, sources) in assignments)
            {
                if (!varied.Contains(target) && sources.Any(varied.Contains))
                {
                    varied.Add(target);
                    changed = true;
                }
            }
        }

        return varied;
    }

    /// <summary>
    /// Variables and arrays whose value can flow into a returned value or into one of
    /// <paramref name="outputs"/> (output arrays of vector-valued methods, gradient slots of a pullback).
    /// </summary>
    public static HashSet<string> Useful(IReadOnlyList<Stmt> body, IEnumerable<string>? outputs = null)
    {
        var useful = new HashSet<string>(IrWalk.AllStatements(body).OfType<Return>().SelectMany(r => IrWalk.DerivativeSources(r.Value)));
        useful.UnionWith(outputs ?? []);
        var assignments = Assignments(body).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (target, sources) in assignments)
            {
                if (!useful.Contains(target))
                {
                    continue;
                }

                foreach (var source in sources)
                {
                    changed |= useful.Add(source);
                }
            }
        }

        return useful;
    }

    /// <summary>Active = varied and useful.</summary>
    public static HashSet<string> Active(IReadOnlyList<Stmt> body, IEnumerable<string> inputs, IEnumerable<string>? outputs = null)
    {
        var active = Varied(body, inputs);
        active.IntersectWith(Useful(body, outputs));
        return active;
    }

    /// <summary>
    /// Every write of a double variable or array with the names its new value depends on: primal
    /// assignments and stores, and in adjoint code accumulations (which also read their target) and
    /// the slots a pullback call accumulates into (which depend on the arguments and the seed).
    /// A value popped from the tape restores an earlier value of the same variable: no new flow.
    /// </summary>
    private static IEnumerable<(string Target, List<string> Sources)> Assignments(IReadOnlyList<Stmt> body)
    {
        foreach (var s in IrWalk.AllStatements(body))
        {
            switch (s)
            {
                case Declare { Init: { } init, Type: IrType.Double } d:
                    yield return (d.Name, IrWalk.DerivativeSources(init).ToList());
                    break;
                case Assign a when a.Value.Type == IrType.Double:
                    yield return (a.Name, IrWalk.DerivativeSources(a.Value).ToList());
                    break;
                case Store st:
                    yield return (st.Array, IrWalk.DerivativeSources(st.Value).ToList());
                    break;
                case Accumulate a:
                    yield return (a.Name, IrWalk.DerivativeSources(a.Value).ToList());
                    break;
                case AccumulateElement a:
                    yield return (a.Array, IrWalk.DerivativeSources(a.Value).ToList());
                    break;
                case SliceArray sa:
                    // The slice and its storage are the same memory: whatever one carries, so does the other.
                    yield return (sa.Name, [sa.Source.Name]);
                    yield return (sa.Source.Name, [sa.Name]);
                    break;
                case PullbackCall p:
                    {
                        var sources = new List<string>(IrWalk.DerivativeSources(p.Seed));
                        for (int i = 0; i < p.Args.Count; i++)
                        {
                            if (p.Callee.Parameters[i].IsDifferentiable) sources.AddRange(IrWalk.DerivativeSources(p.Args[i]));
                        }

                        foreach (var slot in p.Slots)
                        {
                            if (IrWalk.SlotName(slot.Target) is { } target) yield return (target, sources);
                        }

                        break;
                    }
            }
        }
    }
}
