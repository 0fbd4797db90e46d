using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using static AutoDiffGen.Generator.IR.Build;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// The output of the adjoint transform: declarations, forward sweep and reverse sweep. The caller
/// sets <see cref="ResultAdjoint"/> to the seed between the sweeps, unless <see cref="Seeded"/>
/// says the program does it itself (a fused final loop needs the seed before the loop runs).
/// </summary>
internal sealed record AdjointProgram(
    EquatableArray<Stmt> Declarations,
    EquatableArray<Stmt> Forward,
    EquatableArray<Stmt> Reverse,
    string Result,
    string? ResultAdjoint,
    bool UsesTape,
    bool UsesArena,
    IReadOnlyDictionary<string, string> AdjointNames,
    bool Seeded = false);

/// <summary>
/// Reverse mode, IR to IR, over structured single-exit code (after <see cref="JumpElimination"/>).
/// The forward sweep runs the primal and pushes on the tape only what the reverse sweep needs and
/// the primal overwrites: old values of needed variables assigned more than once or in a loop,
/// old elements of needed local arrays, branch decisions, loop trip counts (and the start of
/// counted loops) and arena ids of local arrays re-created in loops. The reverse sweep walks the
/// statements backwards, scattering each result's adjoint into its operands through the local
/// partials and popping what the forward sweep pushed, so every partial sees the values of its
/// own statement. Calls of [Differentiable] methods call their pullbacks.
/// </summary>
internal sealed class AdjointTransform
{
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _adjointNames;
    private readonly NameScope _names;
    private readonly HashSet<string> _primalNames;
    private readonly HashSet<string> _assignedInLoop = new();
    private readonly HashSet<string> _declaredInLoop = new();
    private readonly Dictionary<string, int> _assignmentCount = new();
    private readonly HashSet<string> _arraysInLoop = new();
    private readonly HashSet<string> _countedCounters = new();
    private readonly HashSet<string> _recomputed = new();
    private readonly HashSet<string> _singleUse = new();
    private readonly HashSet<string> _recomputedInPlace = new();
    private readonly HashSet<Store> _untapedStores = new(ReferenceComparer<Store>.Instance);
    private readonly Dictionary<string, Expr> _arrayLengths = new();
    private readonly Dictionary<Loop, (Expr Start, Expr TripCount)> _staticTrips = new(ReferenceComparer<Loop>.Instance);
    private readonly Dictionary<Stmt, List<Declare>> _recomputeBefore = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Loop, List<Declare>> _recomputeIn = new(ReferenceComparer<Loop>.Instance);
    private readonly Dictionary<string, string> _arrayHandles = new();
    private readonly Dictionary<Loop, (string Count, string Iteration, string Start, string First)> _loopNames = new(ReferenceComparer<Loop>.Instance);
    private readonly Dictionary<string, string> _adjNames = new();
    private readonly Dictionary<Loop, List<Expansion>> _expansions = new(ReferenceComparer<Loop>.Instance);
    private readonly Dictionary<string, Expansion> _expanded = new();
    private readonly Dictionary<Stmt, Stmt> _popSources = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _untapedScalars = new(ReferenceComparer<Stmt>.Instance);
    private readonly string _discard;
    private HashSet<string> _outputs = new();
    private HashSet<string> _parameterNames = new();
    private HashSet<string> _needed = new();
    private bool _usesDiscard;

    private AdjointTransform(HashSet<string> active, Dictionary<string, string> adjointNames, NameScope names, HashSet<string> primalNames)
    {
        _active = active;
        _adjointNames = adjointNames;
        _names = names;
        _primalNames = primalNames;
        _discard = names.Fresh("discard");
    }

    /// <param name="body">Flattened body without jumps, ending in <c>return result;</c>.</param>
    /// <param name="active">Active variables and arrays.</param>
    /// <param name="parameters">The method's parameters.</param>
    /// <param name="parameterAdjoints">Adjoint names of the differentiable parameters.</param>
    /// <param name="names">Name scope of the method.</param>
    /// <param name="seed">
    /// Name of the result's adjoint given by the caller; when set, a final loop that only sums
    /// into the result may be fused with its reverse (see <see cref="FusableSums"/>).
    /// </param>
    /// <param name="outputs">
    /// Parameter arrays the body writes (the result span of a vector-valued method): like local
    /// arrays, their elements change during the forward sweep, so they are neither stable for
    /// recomputation nor exempt from taping; unlike local arrays, they hold the caller's values at entry.
    /// </param>
    public static AdjointProgram Apply(IReadOnlyList<Stmt> body, HashSet<string> active, IReadOnlyList<ParamInfo> parameters, IReadOnlyDictionary<string, string> parameterAdjoints, NameScope names, string? seed = null, IReadOnlyCollection<string>? outputs = null)
    {
        var statements = body.ToList();
        var final = (Return)statements[statements.Count - 1];
        statements.RemoveAt(statements.Count - 1);
        var result = ((VarRef)final.Value).Name;

        var primalNames = new HashSet<string>(parameters.Select(p => p.Name));
        foreach (var s in IrWalk.AllStatements(statements))
        {
            if (s is Declare d) primalNames.Add(d.Name);
            if (s is DeclareArray a) primalNames.Add(a.Name);
        }

        var transform = new AdjointTransform(active, parameterAdjoints.ToDictionary(p => p.Key, p => p.Value), names, primalNames);
        transform._outputs = new HashSet<string>(outputs ?? []);
        transform._parameterNames = new HashSet<string>(parameters.Where(p => !transform._outputs.Contains(p.Name)).Select(p => p.Name));
        transform.Survey(statements, inLoop: false, parameters.Where(p => !transform._outputs.Contains(p.Name)).ToList());
        var uses = IrWalk.AllStatements(statements).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.ReadNames)
            .GroupBy(n => n).Where(g => g.Count() == 1).Select(g => g.Key);
        var (assignedIn, usedIn) = InnermostLoops(statements);
        foreach (var name in uses)
        {
            // A use inside a loop that the assignment is not in runs on every iteration, so the
            // adjoint must accumulate over them.
            if (transform._assignmentCount.TryGetValue(name, out var c) && c == 1 && !parameters.Any(p => p.Name == name) &&
                assignedIn.TryGetValue(name, out var assignedLoop) && usedIn.TryGetValue(name, out var usedLoop) && ReferenceEquals(assignedLoop, usedLoop))
            {
                transform._singleUse.Add(name);
            }
        }

        transform.FindRecomputable(statements, new HashSet<string>(parameters.Where(p => p.Type is IrType.DoubleArray or IrType.IntArray && !transform._outputs.Contains(p.Name)).Select(p => p.Name)));
        transform.FindRecomputableInPlace(statements);

        // What the reverse sweep reads decides what the forward sweep must tape; taping element
        // values makes their indices needed in turn, so iterate to a fixed point.
        EquatableArray<Stmt> reverse;
        while (true)
        {
            reverse = transform.ReverseList(statements);
            var needed = new HashSet<string>(IrWalk.AllStatements(reverse).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.ReadNames).Where(primalNames.Contains));
            foreach (var r in IrWalk.AllStatements(reverse).OfType<ReverseLoop>().Where(r => r.Counter is not null))
            {
                needed.Add(r.Counter!);
            }

            if (needed.IsSubsetOf(transform._needed))
            {
                break;
            }

            transform._needed.UnionWith(needed);
        }

        transform.FindUntapedStores(statements);
        EquatableArray<Stmt> forward;
        var fused = seed is not null && active.Contains(result) ? transform.FusableSums(statements, result) : [];
        // A fused loop may push only what each iteration pops again, and only as much as can be
        // reserved before the loop: its pushes must not fail (see below).
        var bounds = new Dictionary<Stmt, (Expr Doubles, Expr Ints)>(ReferenceComparer<Stmt>.Instance);
        foreach (var loop in fused.Keys.ToList())
        {
            var assigned = new HashSet<string>(Writes(loop));
            if (transform.PushBound(((Loop)loop).Body, assigned) is { } bound)
            {
                bounds[loop] = bound;
            }
            else
            {
                fused.Remove(loop);
            }
        }

        List<EquatableArray<Stmt>> Forwards() => statements.Select(s =>
        {
            if (!fused.TryGetValue(s, out var sum))
            {
                return transform.ForwardList([s]);
            }

            var seeding = new Assign(transform.Bar(sum.Sum), sum.Coefficient == 1.0 ? Double(seed!) : Mul(D(sum.Coefficient), Double(seed!)));
            var loop = transform.FusedLoop((Loop)s).ToList();
            var (doubles, ints) = bounds[s];
            bool pushes = IrWalk.AllStatements(loop).Any(x => x is Push);
            return (pushes ? new Stmt[] { seeding, new ReserveTape(doubles, ints) } : [seeding]).Concat(loop).ToEquatableArray();
        }).ToList();

        // A full tape makes the method run again from the start, which is only right while nothing
        // has been added to the caller's adjoints yet. Fused loops add to them during the forward
        // sweep, so from the first fused loop on only fused loops (whose pushes are reserved) may
        // push: drop fused loops from the front until that holds.
        var forwards = Forwards();
        while (fused.Count > 0)
        {
            int first = statements.FindIndex(fused.ContainsKey);
            if (!Enumerable.Range(first, statements.Count - first).Where(k => !fused.ContainsKey(statements[k]))
                .SelectMany(k => IrWalk.AllStatements(forwards[k])).Any(s => s is Push))
            {
                break;
            }

            fused.Remove(statements[first]);
            forwards = Forwards();
        }

        // Array expansion needs to know which loops run fused; it only removes pushes, so the
        // loops stay fusable and their reserves stay upper bounds (recomputed smaller here).
        if (transform.ChooseExpansions(statements, fused))
        {
            transform.FindUntapedStores(statements);
            foreach (var loop in fused.Keys.ToList())
            {
                bounds[loop] = transform.PushBound(((Loop)loop).Body, new HashSet<string>(Writes(loop)))!.Value;
            }

            forwards = Forwards();
        }

        (EquatableArray<Stmt> Forward, EquatableArray<Stmt> Reverse) Sweeps()
        {
            if (fused.Count == 0)
            {
                return (transform.ForwardList(statements), transform.ReverseList(statements));
            }

            // The seed, times the sum's coefficient in the result, goes straight into the sum's
            // adjoint before its loop, which runs each iteration's reverse right after it. The
            // reverse sweep skips fused loops; what it adds to their sums' adjoints is never read.
            return (
                forwards.SelectMany(f => f).ToEquatableArray(),
                transform.ReverseList(statements.Where(s => !fused.ContainsKey(s))).Prepend(new Assign(transform.Bar(result), Double(seed!))).ToEquatableArray());
        }

        (forward, reverse) = Sweeps();

        // Restored values nothing reads need no tape: build again without their pushes and pops
        // (which only makes fused loops push less, so their reserves stay upper bounds).
        if (transform.DropDeadRestores(forward, reverse))
        {
            foreach (var loop in fused.Keys.ToList())
            {
                bounds[loop] = transform.PushBound(((Loop)loop).Body, new HashSet<string>(Writes(loop)))!.Value;
            }

            forwards = Forwards();
            (forward, reverse) = Sweeps();
        }

        bool seeded = fused.Count > 0;

        // Hoisted names the sweeps no longer mention (a fused loop's trip count, the result's adjoint).
        var mentioned = new HashSet<string>(IrWalk.AllStatements(forward.Concat(reverse)).SelectMany(IrWalk.Mentions));
        mentioned.UnionWith(transform._adjointNames.Values);
        if (!seeded && active.Contains(result)) mentioned.Add(transform.Bar(result));
        var declarations = transform.Declarations(statements, parameters).Where(d => d is not Hoist h || mentioned.Contains(h.Name) || h.Name == result).ToEquatableArray();
        var all = IrWalk.AllStatements(forward.Concat(reverse)).ToList();
        bool usesTape = all.Any(s => s is Push or ReverseLoop { TripCount: null } or RebindArray) || all.OfType<If>().Any(i => i.Condition is Popped);
        bool usesArena = all.Any(s => s is AllocateArray) || all.SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.Descendants).Any(e => e is ScratchSpan);
        return new AdjointProgram(declarations, forward, reverse, result, active.Contains(result) ? transform.Bar(result) : null, usesTape, usesArena, transform._adjointNames, seeded);
    }

    private bool IsActive(string name) => _active.Contains(name);

    /// <summary>For each scalar assigned and each name read, the innermost loop (null: none) where that happens.</summary>
    private static (Dictionary<string, Loop?> Assigned, Dictionary<string, Loop?> Used) InnermostLoops(IEnumerable<Stmt> body)
    {
        var assigned = new Dictionary<string, Loop?>();
        var used = new Dictionary<string, Loop?>();
        void Walk(IEnumerable<Stmt> statements, Loop? loop)
        {
            foreach (var s in statements)
            {
                if (s is Declare { Init: not null } or Assign)
                {
                    assigned[IrWalk.AssignedScalar(s)!] = loop;
                }

                foreach (var name in IrWalk.OwnExpressions(s).SelectMany(IrWalk.ReadNames))
                {
                    used[name] = s is Loop own ? own : loop;
                }

                switch (s)
                {
                    case If i:
                        Walk(i.Then, loop);
                        Walk(i.Else, loop);
                        break;
                    case Loop l:
                        Walk(l.Init, loop);
                        Walk(l.Body, l);
                        Walk(l.Step, l);
                        break;
                }
            }
        }

        Walk(body, null);
        return (assigned, used);
    }

    private string Bar(string name)
    {
        if (!_adjointNames.TryGetValue(name, out var bar))
        {
            bar = _names.Fresh(name + "_bar");
            _adjointNames[name] = bar;
        }

        return bar;
    }

    /// <summary>Records where variables are assigned, which loops are counted, and array handles.</summary>
    private void Survey(IEnumerable<Stmt> body, bool inLoop, IReadOnlyList<ParamInfo>? parameters = null)
    {
        if (parameters is not null)
        {
            // A parameter starts with the caller's value: any assignment overwrites it.
            foreach (var p in parameters)
            {
                _assignmentCount[p.Name] = 1;
            }
        }

        foreach (var s in body)
        {
            switch (s)
            {
                case Declare { Init: null } d:
                    if (inLoop) _assignedInLoop.Add(d.Name);
                    if (inLoop) _declaredInLoop.Add(d.Name);
                    break;
                case Declare or Assign:
                    {
                        var name = IrWalk.AssignedScalar(s)!;
                        _assignmentCount[name] = _assignmentCount.TryGetValue(name, out var c) ? c + 1 : 1;
                        if (inLoop) _assignedInLoop.Add(name);
                        if (inLoop && s is Declare) _declaredInLoop.Add(name);
                        break;
                    }

                case DeclareArray a:
                    if (inLoop)
                    {
                        _arraysInLoop.Add(a.Name);
                        _arrayHandles[a.Name] = _names.Fresh(a.Name + "_id");
                    }

                    break;
                case If i:
                    Survey(i.Then, inLoop);
                    Survey(i.Else, inLoop);
                    break;
                case Loop l:
                    Survey(l.Init, inLoop);
                    Survey(l.Body, inLoop: true);
                    Survey(l.Step, inLoop: true);
                    _loopNames[l] = (_names.Fresh("count"), _names.Fresh("iteration"), _names.Fresh("start"), _names.Fresh("first"));
                    if (CountedCounter(l) is { } counter)
                    {
                        _countedCounters.Add(counter.Name);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// For <c>for (int i = a; ...; i += c)</c> with i not assigned in the body, the counter and its
    /// step: the reverse sweep recomputes i from the start value and the iteration number.
    /// </summary>
    private static (string Name, int Step)? CountedCounter(Loop l)
    {
        var init = l.Init.Where(s => s is not Comment).ToList();
        if (init.Count != 1 || init[0] is not Declare { Type: IrType.Int, Init: not null } d)
        {
            return null;
        }

        var step = l.Step.Where(s => s is not Comment).ToList();
        if (step.Count == 1 && step[0] is If { Else.Count: 0 } guard)
        {
            step = guard.Then.Where(s => s is not Comment).ToList();
        }

        if (step.Count != 1 || step[0] is not Assign { Value: Binary { Left: VarRef left, Right: IntConst c } b } a || a.Name != d.Name || left.Name != d.Name)
        {
            return null;
        }

        int delta = b.Op switch { BinaryOp.Add => c.Value, BinaryOp.Subtract => -c.Value, _ => 0 };
        if (delta == 0 || IrWalk.AllStatements(l.Body).Any(s => IrWalk.AssignedScalar(s) == d.Name))
        {
            return null;
        }

        return (d.Name, delta);
    }

    /// <summary>
    /// A declaration outside loops runs once, before any other write of its variable, so the
    /// value it replaces is the hoisted default that nothing reads: no need to tape it.
    /// </summary>
    private bool IsTapedAtDeclaration(string name) => IsTaped(name) && _declaredInLoop.Contains(name);

    private bool IsTaped(string name) =>
        _needed.Contains(name) && !_countedCounters.Contains(name) && !_recomputed.Contains(name) &&
        (_assignedInLoop.Contains(name) || (_assignmentCount.TryGetValue(name, out var c) && c > 1));

    /// <summary>
    /// <c>i = i + c</c> on an int with a constant c is undone exactly in the reverse sweep by
    /// <c>i = i - c</c>, so induction variables need no tape.
    /// </summary>
    private static bool IsInvertible(string name, Expr value) =>
        value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarRef { VarType: IrType.Int } left, Right: IntConst } && left.Name == name;

    private static Expr Inverse(Expr value)
    {
        var b = (Binary)value;
        return b with { Op = b.Op == BinaryOp.Add ? BinaryOp.Subtract : BinaryOp.Add };
    }

    /// <summary>
    /// Recomputation instead of taping: a variable declared once at the top level of a loop body,
    /// never assigned again, whose initialiser reads only values that are the same in the
    /// reverse sweep (parameters never assigned, parameter arrays, variables assigned once outside
    /// loops, counters of counted loops around it, and earlier such variables), is recomputed at the
    /// start of each reverse iteration rather than pushed and popped.
    /// </summary>
    private void FindRecomputable(IEnumerable<Stmt> body, HashSet<string> stable)
    {
        foreach (var name in _assignmentCount.Where(a => a.Value == 1 && !_assignedInLoop.Contains(a.Key)).Select(a => a.Key))
        {
            stable.Add(name);
        }

        // Parameters assigned in the body are not stable: their count is above one.
        FindRecomputableIn(body, stable);
    }

    private void FindRecomputableIn(IEnumerable<Stmt> body, HashSet<string> stable)
    {
        foreach (var s in body)
        {
            switch (s)
            {
                case If i:
                    FindRecomputableIn(i.Then, stable);
                    FindRecomputableIn(i.Else, stable);
                    break;
                case Loop l:
                    {
                        var inner = new HashSet<string>(stable);
                        if (CountedCounter(l) is { } counter)
                        {
                            inner.Add(counter.Name);
                            if (StaticTripCount(l, counter, stable) is { } trip) _staticTrips[l] = trip;
                        }

                        var list = new List<Declare>();
                        foreach (var d in l.Body.OfType<Declare>())
                        {
                            if (d.Init is { } init && init is not UserCall && init.Type is IrType.Double or IrType.Int &&
                                _assignmentCount.TryGetValue(d.Name, out var c) && c == 1 &&
                                IrWalk.ReadNames(init).All(inner.Contains))
                            {
                                list.Add(d);
                                inner.Add(d.Name);
                                _recomputed.Add(d.Name);
                            }
                        }

                        _recomputeIn[l] = list;
                        FindRecomputableIn(l.Body, inner);
                        break;
                    }
            }
        }
    }

    private bool StoreIsTaped(Store st) => _needed.Contains(st.Array) && !_untapedStores.Contains(st);

    /// <summary>
    /// Which element stores need not tape the value they overwrite. A local array is "dirty" from
    /// a point where the reverse sweep reads its values (a partial, a pullback call, a
    /// recomputation) until it is created anew or every element is overwritten by a fill loop
    /// (<c>for (int j = 0; j &lt; n; j++) a[j] = ...</c> over an array created with length n) whose
    /// own stores are taped. A store to a clean array overwrites values the reverse sweep never
    /// reads, so it is not taped; the taped store before it restores the element.
    /// </summary>
    private void FindUntapedStores(IReadOnlyList<Stmt> body)
    {
        foreach (var d in IrWalk.AllStatements(body).OfType<DeclareArray>())
        {
            // Only arrays whose length expression is the same wherever they are created.
            if (_arrayLengths.TryGetValue(d.Name, out var other) && !other.Equals(d.Length))
            {
                _arrayLengths[d.Name] = new IntConst(-1);
            }
            else
            {
                _arrayLengths[d.Name] = d.Length;
            }
        }

        foreach (var output in _outputs)
        {
            // Tracked like a local array that is clean at entry (nothing read its values yet),
            // never known to be filled.
            _arrayLengths[output] = new IntConst(-1);
        }

        _untapedStores.Clear();
        var candidates = new HashSet<Store>(IrWalk.AllStatements(body).OfType<Store>(), ReferenceComparer<Store>.Instance);
        var taped = new HashSet<Store>(ReferenceComparer<Store>.Instance);
        Flow(body, new HashSet<string>(), taped);
        foreach (var st in candidates.Where(c => !taped.Contains(c)))
        {
            _untapedStores.Add(st);
        }
    }

    /// <summary>Walks <paramref name="body"/> with the set of dirty arrays; returns the set at its end.</summary>
    private HashSet<string> Flow(IEnumerable<Stmt> body, HashSet<string> dirty, HashSet<Store> taped)
    {
        foreach (var s in body)
        {
            switch (s)
            {
                case Store st:
                    if (dirty.Contains(st.Array)) taped.Add(st);
                    dirty.UnionWith(ReverseReads(st));
                    break;
                case DeclareArray da:
                    dirty.Remove(da.Name);
                    break;
                case If i:
                    {
                        var then = Flow(i.Then, new HashSet<string>(dirty), taped);
                        var otherwise = Flow(i.Else, new HashSet<string>(dirty), taped);
                        dirty.Clear();
                        dirty.UnionWith(then);
                        dirty.UnionWith(otherwise);
                        break;
                    }

                case Loop l:
                    {
                        dirty = Flow(l.Init, dirty, taped);
                        while (true)
                        {
                            var start = new HashSet<string>(dirty);
                            if (_expansions.TryGetValue(l, out var expansions))
                            {
                                // Each iteration writes its own slice, which nothing has read yet.
                                start.ExceptWith(expansions.Select(e => e.Array));
                            }

                            var end = Flow(l.Body.Concat(l.Step), start, taped);
                            if (end.IsSubsetOf(dirty)) break;
                            dirty.UnionWith(end);
                        }

                        if (FilledArray(l) is { } filled) dirty.Remove(filled);
                        break;
                    }

                default:
                    dirty.UnionWith(ReverseReads(s));
                    break;
            }
        }

        return dirty;
    }

    /// <summary>Local arrays whose values the reverse of simple statement <paramref name="s"/> reads.</summary>
    private IEnumerable<string> ReverseReads(Stmt s)
    {
        var reverse = new List<Stmt>();
        Reverse(s, reverse);
        var reads = IrWalk.AllStatements(reverse).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.Descendants)
            .Where(e => e is not Popped).SelectMany(e => e switch
            {
                ElementRef el => [el.Array],
                VarRef { VarType: IrType.DoubleArray } v => [v.Name],
                _ => System.Array.Empty<string>(),
            });
        if (s is Declare { Init: { } init } d && _recomputedInPlace.Contains(d.Name))
        {
            reads = reads.Concat(IrWalk.ReadNames(init));
        }

        return reads.Where(_arrayLengths.ContainsKey).ToList();
    }

    /// <summary>
    /// The array a loop <c>for (int j = 0; j &lt; n; j++) { ... a[j] = v; ... }</c> overwrites
    /// element by element, where a is always created with length n and n does not change, and
    /// whose values the reverse of the loop never reads.
    /// </summary>
    private string? FilledArray(Loop l)
    {
        if (!_staticTrips.ContainsKey(l) || CountedCounter(l) is not { Step: 1 } counter ||
            l.Init.OfType<Declare>().Single().Init is not IntConst { Value: 0 } ||
            l.Condition is not Binary { Op: BinaryOp.Less, Right: var bound })
        {
            return null;
        }

        foreach (var st in l.Body.OfType<Store>())
        {
            // Every element overwritten, and none read by the reverse sweep after its overwrite.
            if (st.Index is VarRef v && v.Name == counter.Name && _arrayLengths.TryGetValue(st.Array, out var length) && length.Equals(bound) &&
                !IrWalk.AllStatements(l.Body.Concat(l.Step)).Where(x => x is not If and not Loop).Any(x => ReverseReads(x).Contains(st.Array)))
            {
                return st.Array;
            }
        }

        return null;
    }

    /// <summary>
    /// A counted loop <c>for (int i = a; i &lt; b; i += c)</c> (or &lt;=, &gt;, &gt;= with a negative
    /// step) whose a and b read only values that are the same in the reverse sweep runs a number of
    /// times the reverse sweep can compute: nothing about it is taped.
    /// </summary>
    private static (Expr Start, Expr TripCount)? StaticTripCount(Loop l, (string Name, int Step) counter, HashSet<string> stable)
    {
        if (l.Kind != LoopKind.While || l.Condition is not Binary { Left: VarRef v, Right: var bound } condition || v.Name != counter.Name)
        {
            return null;
        }

        var start = l.Init.OfType<Declare>().Single().Init!;
        if (!IrWalk.ReadNames(start).Concat(IrWalk.ReadNames(bound)).All(stable.Contains))
        {
            return null;
        }

        int step = counter.Step;
        Expr Sub(Expr a, Expr b) => b is IntConst { Value: 0 } ? a : new Binary(BinaryOp.Subtract, a, b, IrType.Int);
        Expr Plus(Expr a, int k) => k == 0 ? a : new Binary(BinaryOp.Add, a, new IntConst(k), IrType.Int);
        Expr Over(Expr a, int k) => k == 1 ? a : new Binary(BinaryOp.Divide, a, new IntConst(k), IrType.Int);
        Expr? span = (condition.Op, step > 0) switch
        {
            (BinaryOp.Less, true) => Over(Plus(Sub(bound, start), step - 1), step),
            (BinaryOp.LessOrEqual, true) => Over(Plus(Sub(bound, start), step), step),
            (BinaryOp.Greater, false) => Over(Plus(Sub(start, bound), -step - 1), -step),
            (BinaryOp.GreaterOrEqual, false) => Over(Plus(Sub(start, bound), -step), -step),
            _ => null,
        };
        if (span is null)
        {
            return null;
        }

        return (start, new MathCall("Max", EquatableArray.Of<Expr>(new IntConst(0), span), IrType.Int));
    }

    /// <summary>The recomputations a reverse iteration of <paramref name="l"/> needs, in forward order.</summary>
    private IEnumerable<Stmt> Recomputations(Loop l)
    {
        if (!_recomputeIn.TryGetValue(l, out var list))
        {
            return [];
        }

        var wanted = new HashSet<string>(_needed);
        var chosen = new List<Declare>();
        for (int k = list.Count - 1; k >= 0; k--)
        {
            if (wanted.Contains(list[k].Name))
            {
                chosen.Add(list[k]);
                wanted.UnionWith(IrWalk.ReadNames(list[k].Init!));
            }
        }

        chosen.Reverse();
        return chosen.Select(d => (Stmt)new Assign(d.Name, d.Init!));
    }

    // ---------------------------------------------------------------- loops fused with their reverse

    /// <summary>The top-level loops that can be fused (see <see cref="FusableSumAt"/>), with their sums and coefficients.</summary>
    private Dictionary<Stmt, (string Sum, double Coefficient)> FusableSums(List<Stmt> statements, string result)
    {
        var fused = new Dictionary<Stmt, (string, double)>(ReferenceComparer<Stmt>.Instance);
        for (int k = 0; k < statements.Count; k++)
        {
            if (statements[k] is Loop loop && FusableSumAt(statements, k, loop, result) is { } sum)
            {
                fused[loop] = sum;
            }
        }

        return fused;
    }

    /// <summary>
    /// A top-level loop that only adds terms into a scalar s, where s reaches the result only
    /// through sums and constant factors (<c>result = c * s + ...</c>), has a known adjoint of s
    /// during the whole loop: c times the seed. If, besides, nothing else carries a derivative from
    /// one iteration into the next, the reverse of an iteration needs nothing from later iterations
    /// and runs right after its forward: one pass instead of two, nothing kept across iterations on
    /// the tape. Most objectives have this shape (a sum of terms plus a few extra terms).
    /// </summary>
    /// <remarks>
    /// Nothing carries over when every scalar the body assigns (but s) is declared in the body and
    /// every array it stores into is created in the body or refilled by a fill loop before the
    /// body touches it otherwise. The loop's initialiser and step have no reverse. s starts with a
    /// constant before the loop and is read nowhere else. Statements after the loop write nothing
    /// the loop reads and read nothing the loop writes but s: their reverse would otherwise add to
    /// or clear adjoints the fused loop has already consumed.
    /// </remarks>
    /// <returns>The loop's sum and its coefficient in the result when the loop at <paramref name="index"/> can be fused; else null.</returns>
    private (string Sum, double Coefficient)? FusableSumAt(List<Stmt> statements, int index, Loop loop, string result)
    {
        if (HasReverse(loop.Init) || HasReverse(loop.Step))
        {
            return null;
        }

        var body = IrWalk.AllStatements(loop.Body).ToList();
        var declared = new HashSet<string>(body.Select(s => s switch
        {
            Declare d => d.Name,
            DeclareArray a => a.Name,
            _ => null,
        }).Where(n => n is not null).Select(n => n!));

        // The sum: the one scalar the body assigns without declaring it.
        var carried = body.Select(IrWalk.AssignedScalar).Where(n => n is not null && !declared.Contains(n)).Distinct().ToList();
        if (carried.Count != 1 || !IsActive(carried[0]!) || IsTaped(carried[0]!))
        {
            return null;
        }

        var sum = carried[0]!;
        foreach (var s in body)
        {
            bool isUpdate = IrWalk.AssignedScalar(s) == sum;
            if (isUpdate && (s is not Assign { Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarRef left } update } || left.Name != sum ||
                IrWalk.ReadNames(update.Right).Contains(sum)))
            {
                return null;
            }

            if (!isUpdate && IrWalk.OwnExpressions(s).SelectMany(IrWalk.ReadNames).Contains(sum))
            {
                return null;
            }
        }

        if (IrWalk.ReadNames(loop.Condition).Contains(sum) ||
            IrWalk.AllStatements(loop.Init.Concat(loop.Step)).Any(s => IrWalk.Mentions(s).Contains(sum)) ||
            !StoresOnlyIntoFreshArrays(loop.Body, declared))
        {
            return null;
        }

        // Before the loop: s is set to constants and not read.
        var before = IrWalk.AllStatements(statements.Take(index)).ToList();
        if (!before.Any(s => IrWalk.AssignedScalar(s) == sum) ||
            before.Any(s => (IrWalk.AssignedScalar(s) == sum && IrWalk.OwnExpressions(s).Any(e => IrWalk.DerivativeSources(e).Any())) ||
                            (IrWalk.AssignedScalar(s) != sum && IrWalk.OwnExpressions(s).SelectMany(IrWalk.ReadNames).Contains(sum))))
        {
            return null;
        }

        // After the loop: s flows into the result through sums and constant factors only.
        var loopReads = Reads(loop);
        var loopWrites = new HashSet<string>(Writes(loop));
        var coefficients = new Dictionary<string, double> { [sum] = 1.0 };
        foreach (var s in statements.Skip(index + 1))
        {
            var reads = Reads(s);
            var writes = new HashSet<string>(Writes(s));
            if (writes.Overlaps(loopReads) || writes.Overlaps(coefficients.Keys) || reads.Overlaps(loopWrites.Where(n => !coefficients.ContainsKey(n))))
            {
                return null;
            }

            if (!reads.Overlaps(coefficients.Keys))
            {
                continue;
            }

            if (s is not (Declare { Init: { } } or Assign) || LinearCoefficient(IrWalk.OwnExpressions(s).Single(), coefficients) is not { } c)
            {
                return null;
            }

            coefficients[IrWalk.AssignedScalar(s)!] = c;
        }

        return coefficients.TryGetValue(result, out var coefficient) ? (sum, coefficient) : null;
    }

    /// <summary>
    /// d value / d sum when <paramref name="value"/> is a copy, sum, difference, negation or constant
    /// multiple of exactly one name with a known coefficient and reads no other such name; else null.
    /// </summary>
    private static double? LinearCoefficient(Expr value, Dictionary<string, double> coefficients)
    {
        double? Of(Expr e) => e is VarRef v && coefficients.TryGetValue(v.Name, out var c) ? c : null;
        bool Free(Expr e) => !IrWalk.ReadNames(e).Any(coefficients.ContainsKey);
        return value switch
        {
            VarRef => Of(value),
            Unary { Op: UnaryOp.Negate } u => -Of(u.Operand),
            Binary { Op: BinaryOp.Add } b when Free(b.Right) => Of(b.Left),
            Binary { Op: BinaryOp.Add } b when Free(b.Left) => Of(b.Right),
            Binary { Op: BinaryOp.Subtract } b when Free(b.Right) => Of(b.Left),
            Binary { Op: BinaryOp.Subtract } b when Free(b.Left) => -Of(b.Right),
            Binary { Op: BinaryOp.Multiply, Right: DoubleConst c } b => Of(b.Left) * c.Value,
            Binary { Op: BinaryOp.Multiply, Left: DoubleConst c } b => Of(b.Right) * c.Value,
            _ => null,
        };
    }

    /// <summary>
    /// True when every array <paramref name="body"/> stores into is created in it or refilled in
    /// it before each use (see <see cref="RefilledBeforeUse"/>).
    /// </summary>
    private bool StoresOnlyIntoFreshArrays(EquatableArray<Stmt> body, HashSet<string> declared) =>
        IrWalk.AllStatements(body).OfType<Store>().Select(st => st.Array).Where(a => !declared.Contains(a)).Distinct()
            .All(array => _arrayLengths.ContainsKey(array) && RefilledBeforeUse(body, array));

    /// <summary>
    /// True when, in <paramref name="body"/>, the first statement that touches
    /// <paramref name="array"/> is a fill loop overwriting it whole, or is the only statement that
    /// touches it and is a loop whose body refills it before each use: then no value of the array
    /// lives from one run of <paramref name="body"/> into the next.
    /// </summary>
    private bool RefilledBeforeUse(EquatableArray<Stmt> body, string array)
    {
        var touching = body.Where(s => IrWalk.AllStatements([s]).SelectMany(IrWalk.Mentions).Contains(array)).ToList();
        if (touching.Count == 0)
        {
            return true;
        }

        if (touching[0] is not Loop first)
        {
            return false;
        }

        if (FilledArray(first) == array)
        {
            return true;
        }

        return touching.Count == 1 && !IrWalk.ReadNames(first.Condition).Contains(array) &&
            !IrWalk.AllStatements(first.Init.Concat(first.Step)).SelectMany(IrWalk.Mentions).Contains(array) &&
            RefilledBeforeUse(first.Body, array);
    }

    /// <summary>
    /// An upper bound of what the forward sweep of <paramref name="body"/> pushes (doubles, ints)
    /// in one run, as expressions of names <paramref name="assigned"/> does not contain; null when
    /// there is none (pushes inside a loop whose trip count is not known in advance).
    /// </summary>
    private (Expr Doubles, Expr Ints)? PushBound(IEnumerable<Stmt> body, HashSet<string> assigned)
    {
        Expr doubles = new IntConst(0), ints = new IntConst(0);
        void Add(Expr d, Expr i)
        {
            doubles = Plus(doubles, d);
            ints = Plus(ints, i);
        }

        foreach (var s in body)
        {
            switch (s)
            {
                case If i:
                    {
                        if (PushBound(i.Then, assigned) is not { } then || PushBound(i.Else, assigned) is not { } otherwise)
                        {
                            return null;
                        }

                        Add(Plus(then.Doubles, otherwise.Doubles), Plus(Plus(then.Ints, otherwise.Ints), new IntConst(1)));
                        break;
                    }

                case Loop l:
                    {
                        if (PushBound(l.Init, assigned) is not { } init || PushBound(l.Body.Concat(l.Step), assigned) is not { } each)
                        {
                            return null;
                        }

                        Add(init.Doubles, Plus(init.Ints, new IntConst(2)));
                        bool none = each.Doubles is IntConst { Value: 0 } && each.Ints is IntConst { Value: 0 };
                        if (none)
                        {
                            break;
                        }

                        if (!_staticTrips.TryGetValue(l, out var trip) || IrWalk.ReadNames(trip.TripCount).Any(assigned.Contains))
                        {
                            return null;
                        }

                        Add(Times(trip.TripCount, each.Doubles), Times(trip.TripCount, each.Ints));
                        break;
                    }

                default:
                    {
                        var pushes = ForwardList([s]).OfType<Push>().ToList();
                        Add(new IntConst(pushes.Count(p => p.Value.Type == IrType.Double)), new IntConst(pushes.Count(p => p.Value.Type != IrType.Double)));
                        break;
                    }
            }
        }

        return (doubles, ints);

        static Expr Plus(Expr a, Expr b) => (a, b) switch
        {
            (IntConst x, IntConst y) => new IntConst(x.Value + y.Value),
            (IntConst { Value: 0 }, _) => b,
            (_, IntConst { Value: 0 }) => a,
            _ => new Binary(BinaryOp.Add, a, b, IrType.Int),
        };

        static Expr Times(Expr a, Expr b) => (a, b) switch
        {
            (_, IntConst { Value: 0 }) => b,
            (_, IntConst { Value: 1 }) => a,
            _ => new Binary(BinaryOp.Multiply, a, b, IrType.Int),
        };
    }

    /// <summary>The loop with the reverse of each iteration run right after it (before the step).</summary>
    private IEnumerable<Stmt> FusedLoop(Loop l)
    {
        foreach (var s in ForwardList(l.Init))
        {
            yield return s;
        }

        var body = ForwardList(l.Body).Concat(ReverseList(l.Body)).ToEquatableArray();
        yield return l with { Init = EquatableArray<Stmt>.Empty, Body = body, Step = ForwardList(l.Step) };
    }

    // ---------------------------------------------------------------- array expansion

    /// <summary>A local array that gets one slice of <see cref="Storage"/> per iteration of the loop over <see cref="Counter"/>.</summary>
    private sealed record Expansion(string Array, string Storage, string Counter, Expr StorageLength, Expr Offset, Expr Length);

    /// <summary>
    /// Array expansion: a local work array that a counted loop refills at the start of every
    /// iteration (a fill loop, see <see cref="FilledArray"/>) and that nothing outside the loop
    /// touches gets one slice of a larger arena allocation per iteration. The forward sweep then
    /// overwrites nothing the reverse sweep needs, so the fill tapes nothing, and the reverse
    /// sweep rebinds the array to each iteration's slice instead of popping its old elements.
    /// Hand-written gradients keep such per-iteration values the same way (one row per mixture
    /// component in ADBench's GMM gradient).
    /// </summary>
    /// <remarks>
    /// Each slice must be written once between two reverse passes over it, so the loop runs once
    /// per call (a top-level loop, possibly under ifs) or once per iteration of a top-level loop
    /// that runs fused with its reverse (<paramref name="fused"/>). The storage is allocated where
    /// the array is created (at top level), so the loop's start and trip count, and the array's
    /// length, may only read parameters never assigned and variables assigned once, at top level,
    /// before that point.
    /// </remarks>
    /// <returns>True when some array is expanded.</returns>
    private bool ChooseExpansions(List<Stmt> statements, IReadOnlyDictionary<Stmt, (string Sum, double Coefficient)> fused)
    {
        var declarations = IrWalk.AllStatements(statements).OfType<DeclareArray>().GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.Count());
        // Parameters never assigned, then variables assigned once, at top level, as they come.
        var stableSoFar = new HashSet<string>(_parameterNames.Where(p => _assignmentCount.TryGetValue(p, out var c) && c == 1));
        for (int k = 0; k < statements.Count; k++)
        {
            if (statements[k] is Declare { Init: not null } top && _assignmentCount.TryGetValue(top.Name, out var count) && count == 1 && !_assignedInLoop.Contains(top.Name))
            {
                stableSoFar.Add(top.Name);
            }

            if (statements[k] is not DeclareArray da || declarations[da.Name] != 1 || _arraysInLoop.Contains(da.Name) ||
                !IrWalk.ReadNames(da.Length).All(stableSoFar.Contains))
            {
                continue;
            }

            var outer = SoleLoopMentioning(statements.Skip(k + 1), da.Name);
            Loop? loop = null;
            if (outer is not null && !fused.ContainsKey(outer))
            {
                loop = outer;
            }
            else if (outer is not null && statements.Any(s => ReferenceEquals(s, outer)))
            {
                loop = SoleLoopMentioning(outer.Body, da.Name);
            }

            if (loop is null || !_staticTrips.TryGetValue(loop, out var trip) || CountedCounter(loop) is not { } counter || !HasReverse(loop.Body) ||
                !IrWalk.ReadNames(trip.Start).Concat(IrWalk.ReadNames(trip.TripCount)).All(stableSoFar.Contains) ||
                loop.Body.FirstOrDefault(s => IrWalk.AllStatements([s]).SelectMany(IrWalk.Mentions).Contains(da.Name)) is not Loop fill ||
                FilledArray(fill) != da.Name)
            {
                continue;
            }

            // Iteration number times length: where this iteration's slice starts.
            Expr iteration = Int(counter.Name);
            if (trip.Start is not IntConst { Value: 0 }) iteration = new Binary(BinaryOp.Subtract, iteration, trip.Start, IrType.Int);
            if (counter.Step == -1) iteration = new Binary(BinaryOp.Subtract, trip.Start, Int(counter.Name), IrType.Int);
            else if (counter.Step != 1) iteration = new Binary(BinaryOp.Divide, iteration, new IntConst(counter.Step), IrType.Int);
            var expansion = new Expansion(
                da.Name,
                _names.Fresh(da.Name + "_all"),
                counter.Name,
                new Binary(BinaryOp.Multiply, trip.TripCount, da.Length, IrType.Int),
                new Binary(BinaryOp.Multiply, iteration, da.Length, IrType.Int),
                da.Length);
            _expanded[da.Name] = expansion;
            if (!_expansions.TryGetValue(loop, out var list))
            {
                _expansions[loop] = list = new List<Expansion>();
            }

            list.Add(expansion);
        }

        return _expanded.Count > 0;
    }

    /// <summary>
    /// The loop that is the one statement of <paramref name="body"/> (looking into ifs) mentioning
    /// <paramref name="array"/>, when the array appears only in that loop's body; else null.
    /// </summary>
    private static Loop? SoleLoopMentioning(IEnumerable<Stmt> body, string array)
    {
        var touching = body.Where(s => IrWalk.AllStatements([s]).SelectMany(IrWalk.Mentions).Contains(array)).ToList();
        if (touching.Count != 1)
        {
            return null;
        }

        return touching[0] switch
        {
            If i => SoleLoopMentioning(i.Then.Concat(i.Else), array),
            Loop l when !IrWalk.ReadNames(l.Condition).Contains(array) && !IrWalk.AllStatements(l.Init.Concat(l.Step)).SelectMany(IrWalk.Mentions).Contains(array) => l,
            _ => null,
        };
    }

    /// <summary>Binds each array expanded over <paramref name="l"/> to the current iteration's slice.</summary>
    private IEnumerable<Stmt> Slices(Loop l) =>
        _expansions.TryGetValue(l, out var list)
            ? list.Select(e => (Stmt)new SliceArray(e.Array, new VarRef(e.Storage, IrType.DoubleArray), e.Offset, e.Length))
            : [];

    // ---------------------------------------------------------------- forward sweep

    private EquatableArray<Stmt> ForwardList(IEnumerable<Stmt> body)
    {
        var output = new List<Stmt>();
        foreach (var s in body)
        {
            Forward(s, output);
        }

        return output.ToEquatableArray();
    }

    private void Forward(Stmt s, List<Stmt> output)
    {
        switch (s)
        {
            case Declare d:
                if (d.Init is null && !TapedHere(d))
                {
                    break;
                }

                if (TapedHere(d)) output.Add(new Push(new VarRef(d.Name, d.Type)));
                output.Add(new Assign(d.Name, d.Init ?? DefaultOf(d.Type)));
                break;
            case Assign a:
                if (TapedHere(a) && !IsInvertible(a.Name, a.Value)) output.Add(new Push(new VarRef(a.Name, a.Value.Type)));
                output.Add(a);
                break;
            case Store st:
                if (StoreIsTaped(st)) output.Add(new Push(new ElementRef(st.Array, st.Index, IrType.Double)));
                output.Add(st);
                break;
            case DeclareArray da:
                {
                    _arrayHandles.TryGetValue(da.Name, out var handle);
                    if (handle is not null) output.Add(new Push(new VarRef(handle, IrType.Int)));
                    output.Add(new AllocateArray(da.Name, IsActive(da.Name) ? Bar(da.Name) : null, da.Length, handle, Declare: false));
                    if (_expanded.TryGetValue(da.Name, out var expansion))
                    {
                        output.Add(new Comment(da.Name + ": one slice of " + expansion.Storage + " per iteration of the loop over " + expansion.Counter + ", kept for the reverse sweep instead of taped."));
                        output.Add(new AllocateArray(expansion.Storage, null, expansion.StorageLength, null, Declare: false));
                    }

                    break;
                }

            case If i:
                if (HasReverse(i.Then) || HasReverse(i.Else))
                {
                    output.Add(new If(
                        i.Condition,
                        ForwardList(i.Then).Append(new Push(new IntConst(1))).ToEquatableArray(),
                        ForwardList(i.Else).Append(new Push(new IntConst(0))).ToEquatableArray()));
                }
                else
                {
                    output.Add(i with { Then = ForwardList(i.Then), Else = ForwardList(i.Else) });
                }

                break;
            case Loop l:
                ForwardLoop(l, output);
                break;
            case Comment:
                output.Add(s);
                break;
        }
    }

    private void ForwardLoop(Loop l, List<Stmt> output)
    {
        output.AddRange(ForwardList(l.Init));
        if (!HasReverse(l.Body) && !HasReverse(l.Step))
        {
            output.Add(l with { Init = EquatableArray<Stmt>.Empty, Body = ForwardList(l.Body), Step = ForwardList(l.Step) });
            return;
        }

        if (_staticTrips.ContainsKey(l))
        {
            output.Add(l with { Init = EquatableArray<Stmt>.Empty, Body = Slices(l).Concat(ForwardList(l.Body)).ToEquatableArray(), Step = ForwardList(l.Step) });
            return;
        }

        // The trip count (and, for a counted loop, the counter's first value) is pushed after
        // the loop, above whatever the iterations pushed, so the reverse sweep pops it first.
        var (count, _, _, first) = _loopNames[l];
        var counted = CountedCounter(l);
        if (counted is { } c)
        {
            output.Add(new Assign(first, Int(c.Name)));
        }

        output.Add(new Assign(count, new IntConst(0)));
        var body = new List<Stmt> { new Assign(count, new Binary(BinaryOp.Add, Int(count), new IntConst(1), IrType.Int)) };
        body.AddRange(ForwardList(l.Body));
        output.Add(l with { Init = EquatableArray<Stmt>.Empty, Body = body.ToEquatableArray(), Step = ForwardList(l.Step) });
        if (counted is not null)
        {
            output.Add(new Push(Int(first)));
        }

        output.Add(new Push(Int(count)));
    }

    private static Expr DefaultOf(IrType type) => type switch
    {
        IrType.Int => new IntConst(0),
        IrType.Bool => new BoolConst(false),
        _ => Zero,
    };

    private bool HasReverse(IEnumerable<Stmt> body) => ReverseList(body).Any(s => s is not Comment);

    // ---------------------------------------------------------------- reverse sweep

    private EquatableArray<Stmt> ReverseList(IEnumerable<Stmt> body)
    {
        var output = new List<Stmt>();
        foreach (var s in body.Reverse())
        {
            if (_recomputeBefore.TryGetValue(s, out var recomputations))
            {
                foreach (var d in recomputations.Where(d => _needed.Contains(d.Name)))
                {
                    output.Add(new Assign(d.Name, d.Init!));
                }
            }

            Reverse(s, output);
        }

        return output.ToEquatableArray();
    }

    /// <summary>
    /// Adjoint accumulations into one element that does not change during a reverse loop
    /// (<c>xbar[i] += ...</c> inside a loop over j) go to a local that is added to the element
    /// once after the loop: the loop then carries its sum in a register, not through memory.
    /// Only when the loop touches that adjoint array nowhere else.
    /// </summary>
    private (List<Stmt> Before, EquatableArray<Stmt> Body, List<Stmt> After) PromoteInvariantAccumulations(EquatableArray<Stmt> body, string? counter)
    {
        var before = new List<Stmt>();
        var after = new List<Stmt>();
        var all = IrWalk.AllStatements(body).ToList();
        var written = new HashSet<string>(all.SelectMany(Writes));
        if (counter is not null) written.Add(counter);
        foreach (var s in all)
        {
            if (s is Assign { Value: Popped } or Declare) written.Add(IrWalk.AssignedScalar(s)!);
        }

        var candidates = all.OfType<AccumulateElement>()
            .GroupBy(a => (a.Array, a.Index))
            .Where(g => !IrWalk.ReadNames(g.Key.Index).Any(written.Contains))
            .ToList();
        var replacements = new Dictionary<(string, Expr), string>();
        foreach (var group in candidates)
        {
            var (array, index) = group.Key;
            int accumulations = all.OfType<AccumulateElement>().Count(a => a.Array == array);
            int mentions = all.SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.ReadNames).Count(n => n == array);
            int otherWrites = all.Count(x => x is Store st && st.Array == array);
            if (accumulations != group.Count() || otherWrites > 0 || mentions > 0 || written.Contains(array))
            {
                continue;
            }

            var local = _names.Fresh(array + "_sum");
            replacements[(array, index)] = local;
            before.Add(new Declare(local, IrType.Double, Zero));
            after.Add(new AccumulateElement(array, index, Double(local)));
        }

        if (replacements.Count == 0)
        {
            return (before, body, after);
        }

        return (before, Replace(body, replacements), after);
    }

    private static EquatableArray<Stmt> Replace(EquatableArray<Stmt> body, Dictionary<(string, Expr), string> replacements) =>
        body.Select(s => s switch
        {
            AccumulateElement a when replacements.TryGetValue((a.Array, a.Index), out var local) => new Accumulate(local, a.Value),
            If i => i with { Then = Replace(i.Then, replacements), Else = Replace(i.Else, replacements) },
            ReverseLoop r => r with { Body = Replace(r.Body, replacements) },
            _ => s,
        }).ToEquatableArray();

    /// <summary>
    /// Recomputation in place: a variable declared in a loop (so otherwise taped) and assigned only
    /// by its declaration, whose initialiser
    /// reads nothing that the statements up to its last use (in the same list) write, has the same
    /// value again when the reverse sweep reaches that last use: recompute it there instead of
    /// taping it.
    /// </summary>
    private void FindRecomputableInPlace(IReadOnlyList<Stmt> body)
    {
        for (int k = 0; k < body.Count; k++)
        {
            switch (body[k])
            {
                case Declare { Init: { } init } d when init is not UserCall && !_recomputed.Contains(d.Name) &&
                    _assignedInLoop.Contains(d.Name) && _assignmentCount.TryGetValue(d.Name, out var c) && c == 1:
                    {
                        var reads = new HashSet<string>(IrWalk.ReadNames(init));
                        if (reads.Overlaps(_recomputedInPlace))
                        {
                            // Its inputs would themselves be recomputed later in the reverse sweep.
                            break;
                        }

                        int last = -1;
                        for (int u = k + 1; u < body.Count; u++)
                        {
                            if (Reads(body[u]).Contains(d.Name)) last = u;
                        }

                        if (last < 0)
                        {
                            break;
                        }

                        bool undisturbed = true;
                        for (int u = k + 1; u <= last && undisturbed; u++)
                        {
                            undisturbed = !Writes(body[u]).Any(reads.Contains);
                        }

                        if (undisturbed)
                        {
                            _recomputed.Add(d.Name);
                            _recomputedInPlace.Add(d.Name);
                            if (!_recomputeBefore.TryGetValue(body[last], out var list))
                            {
                                _recomputeBefore[body[last]] = list = new List<Declare>();
                            }

                            list.Add(d);
                        }

                        break;
                    }

                case If i:
                    FindRecomputableInPlace(i.Then);
                    FindRecomputableInPlace(i.Else);
                    break;
                case Loop l:
                    FindRecomputableInPlace(l.Init);
                    FindRecomputableInPlace(l.Body);
                    FindRecomputableInPlace(l.Step);
                    break;
            }
        }
    }

    private static HashSet<string> Reads(Stmt s) =>
        new(IrWalk.AllStatements([s]).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.ReadNames));

    /// <summary>
    /// Names <paramref name="s"/> (nested statements included) overwrites in whole or part.
    /// Accumulations into elements do not count: they commute, so an adjoint array that is only
    /// accumulated into keeps its invariant elements promotable.
    /// </summary>
    private static IEnumerable<string> Writes(Stmt s) => IrWalk.AllStatements([s]).Where(x => x is not AccumulateElement).SelectMany(IrWalk.Targets);

    private void Reverse(Stmt s, List<Stmt> output)
    {
        switch (s)
        {
            case Declare { Init: null } d:
                if (TapedHere(d)) output.Add(Restore(d, d.Name, d.Type));
                break;
            case Declare { Init: { } init } d:
                ReverseAssignment(d, d.Name, d.Type, init, output);
                break;
            case Assign a when IsTaped(a.Name) && IsInvertible(a.Name, a.Value):
                output.Add(new Assign(a.Name, Inverse(a.Value)));
                break;
            case Assign a:
                ReverseAssignment(a, a.Name, a.Value.Type, a.Value, output);
                break;
            case Store st:
                ReverseStore(st, output);
                break;
            case DeclareArray da when _arrayHandles.TryGetValue(da.Name, out var handle):
                output.Add(new RebindArray(da.Name, IsActive(da.Name) ? Bar(da.Name) : null, handle));
                break;
            case If i:
                {
                    var then = ReverseList(i.Then);
                    var otherwise = ReverseList(i.Else);
                    if (then.Any(x => x is not Comment) || otherwise.Any(x => x is not Comment))
                    {
                        output.Add(new If(new Popped(IrType.Bool), then, otherwise));
                    }

                    break;
                }

            case Loop l:
                {
                    var body = ReverseList(l.Step).Concat(ReverseList(l.Body)).ToEquatableArray();
                    if (body.Any(x => x is not Comment))
                    {
                        body = Slices(l).Concat(Recomputations(l)).Concat(body).ToEquatableArray();
                        var (_, iteration, start, _) = _loopNames[l];
                        var counted = CountedCounter(l);
                        var promoted = PromoteInvariantAccumulations(body, counted?.Name);
                        output.AddRange(promoted.Before);
                        _staticTrips.TryGetValue(l, out var trip);
                        output.Add(new ReverseLoop(iteration, counted?.Name, counted is null ? null : start, counted?.Step ?? 0, promoted.Body, trip.TripCount, trip.Start));
                        output.AddRange(promoted.After);
                    }

                    output.AddRange(ReverseList(l.Init));
                    break;
                }
        }
    }

    /// <summary>
    /// Whether the declaration or assignment <paramref name="s"/> tapes the value it overwrites:
    /// its variable is taped, and the reverse sweep reads the restored value (see <see cref="DropDeadRestores"/>).
    /// </summary>
    private bool TapedHere(Stmt s) =>
        !_untapedScalars.Contains(s) && (s is Declare d ? IsTapedAtDeclaration(d.Name) : IsTaped(IrWalk.AssignedScalar(s)!));

    /// <summary>The pop that restores the value <paramref name="source"/> overwrote, remembered with its source.</summary>
    private Stmt Restore(Stmt source, string name, IrType type)
    {
        var pop = new Assign(name, new Popped(type));
        _popSources[pop] = source;
        return pop;
    }

    /// <summary>
    /// Finds the restores (pops into a scalar) of the finished sweeps after which nothing reads the
    /// variable before it is written again, and marks their statements untaped: neither the push
    /// nor the pop is needed (a running sum's old values, say, which its adjoint never reads).
    /// </summary>
    /// <returns>True when some statement no longer tapes, so the sweeps must be built again.</returns>
    private bool DropDeadRestores(EquatableArray<Stmt> forward, EquatableArray<Stmt> reverse)
    {
        var program = forward.Concat(reverse).ToList();
        var restores = IrWalk.AllStatements(program).Where(_popSources.ContainsKey).ToList();
        if (restores.Count == 0)
        {
            return false;
        }

        var dead = DeadCodeElimination.DeadRestores(program, _adjointNames.Values);
        var live = new HashSet<Stmt>(restores.Where(r => !dead.Contains(r)).Select(r => _popSources[r]), ReferenceComparer<Stmt>.Instance);
        var untaped = restores.Where(dead.Contains).Select(r => _popSources[r]).Where(source => !live.Contains(source)).ToList();
        _untapedScalars.UnionWith(untaped);
        return untaped.Count > 0;
    }

    private void ReverseAssignment(Stmt source, string name, IrType type, Expr value, List<Stmt> output)
    {
        bool taped = TapedHere(source);
        if (type == IrType.Double && IsActive(name))
        {
            var target = new VarRef(name, IrType.Double);
            var bar = new VarRef(Bar(name), IrType.Double);
            Scatter(target, bar, value, () => new Assign(bar.Name, Zero), output);
        }

        if (taped)
        {
            output.Add(Restore(source, name, type));
        }
    }

    private void ReverseStore(Store st, List<Stmt> output)
    {
        if (IsActive(st.Array))
        {
            var target = new ElementRef(st.Array, st.Index, IrType.Double);
            var bar = new ElementRef(Bar(st.Array), st.Index, IrType.Double);
            Scatter(target, bar, st.Value, () => new Store(bar.Array, bar.Index, Zero), output);
        }

        if (StoreIsTaped(st))
        {
            output.Add(new Store(st.Array, st.Index, new Popped(IrType.Double)));
        }
    }

    /// <summary>
    /// Adjoint of <c>target = value</c>: moves the target's adjoint into the active operands of
    /// value through its local partials and clears the target's adjoint (its old value is dead).
    /// </summary>
    private void Scatter(Expr target, Expr bar, Expr value, System.Func<Stmt> clear, List<Stmt> output)
    {
        if (value is UserCall call)
        {
            var held = Held(target);
            output.Add(new Assign(held, bar));
            output.Add(clear());
            output.Add(Pullback(call, Double(held)));
            return;
        }

        // An operand that occurs more than once (x * x) gets the sum of its partials in one update.
        var terms = LocalPartials.Of(value, target)
            .Where(t => t.Partial is not null && IsActiveAtom(t.Operand))
            .GroupBy(t => t.Operand)
            .Select(g => (Operand: g.Key, Partial: g.Select(t => t.Partial!).Aggregate(Add)))
            .Select(t => (t.Operand, Partial: (Expr?)t.Partial))
            .ToList();

        // target = target + x (or - x): the target's own adjoint passes through unchanged.
        var selfTerms = terms.Where(t => t.Operand.Equals(target)).ToList();
        if (selfTerms.Count == 1 && IsConst(selfTerms[0].Partial, 1.0) && value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract })
        {
            foreach (var (operand, partial) in terms.Where(t => !t.Operand.Equals(target)))
            {
                output.Add(AccumulateInto(operand, Mul(partial!, bar)));
            }

            return;
        }

        bool readsTarget = terms.Any(t => t.Operand.Equals(target));
        if (terms.Count == 1 && !readsTarget)
        {
            output.Add(AccumulateInto(terms[0].Operand, Mul(terms[0].Partial!, bar)));
            output.Add(clear());
            return;
        }

        if (terms.Count == 0)
        {
            output.Add(clear());
            return;
        }

        var adjoint = Held(target);
        output.Add(new Assign(adjoint, bar));
        output.Add(clear());
        foreach (var (operand, partial) in terms)
        {
            output.Add(AccumulateInto(operand, Mul(partial!, Double(adjoint))));
        }
    }

    /// <summary>
    /// The local that holds a target's adjoint while it is cleared and scattered: one per variable
    /// or array, so each has its own activity (in forward over reverse, a seed-only adjoint gets no
    /// tangent where one shared local would).
    /// </summary>
    private string Held(Expr target)
    {
        var key = target switch
        {
            VarRef v => v.Name,
            ElementRef e => e.Array,
            _ => "value",
        };
        if (!_adjNames.TryGetValue(key, out var name))
        {
            name = _names.Fresh(key + "_adj");
            _adjNames[key] = name;
        }

        return name;
    }

    private bool IsActiveAtom(Expr atom) => atom switch
    {
        VarRef { VarType: IrType.Double } v => IsActive(v.Name),
        ElementRef { ElementType: IrType.Double } e => IsActive(e.Array),
        _ => false,
    };

    private Stmt AccumulateInto(Expr atom, Expr value) => atom switch
    {
        // The one use of a temporary is the only contribution to its adjoint, which its
        // definition's reverse reads and clears: assign instead of adding to a zero.
        VarRef v when _singleUse.Contains(v.Name) => new Assign(Bar(v.Name), value),
        VarRef v => new Accumulate(Bar(v.Name), value),
        ElementRef e => new AccumulateElement(Bar(e.Array), e.Index, value),
        _ => throw new System.InvalidOperationException("Only variables and elements receive adjoints."),
    };

    private PullbackCall Pullback(UserCall call, Expr seed)
    {
        var slots = new List<AdjointSlot>();
        for (int i = 0; i < call.Args.Count; i++)
        {
            var parameter = call.Target.Parameters[i];
            if (!parameter.IsDifferentiable)
            {
                continue;
            }

            var arg = call.Args[i];
            Expr? target = arg switch
            {
                VarRef { VarType: IrType.DoubleArray } v when IsActive(v.Name) => new VarRef(Bar(v.Name), IrType.DoubleArray),
                VarRef { VarType: IrType.DoubleArray } v => new ScratchSpan(new LengthOf(v.Name)),
                VarRef { VarType: IrType.Double } v when IsActive(v.Name) => new VarRef(Bar(v.Name), IrType.Double),
                ElementRef { ElementType: IrType.Double } e when IsActive(e.Array) => new ElementRef(Bar(e.Array), e.Index, IrType.Double),
                _ => null,
            };
            if (target is null)
            {
                _usesDiscard = true;
                target = Double(_discard);
            }

            slots.Add(new AdjointSlot(target, arg));
        }

        return new PullbackCall(call.Target, call.Args, seed, slots.ToEquatableArray());
    }

    // ---------------------------------------------------------------- declarations

    private EquatableArray<Stmt> Declarations(IReadOnlyList<Stmt> body, IReadOnlyList<ParamInfo> parameters)
    {
        var output = new List<Stmt>();
        foreach (var s in IrWalk.AllStatements(body))
        {
            switch (s)
            {
                case Declare d:
                    output.Add(new Hoist(d.Name, d.Type));
                    if (d.Type == IrType.Double && IsActive(d.Name)) output.Add(new Hoist(Bar(d.Name), IrType.Double));
                    break;
                case DeclareArray a:
                    output.Add(new Hoist(a.Name, IrType.DoubleArray));
                    if (IsActive(a.Name)) output.Add(new Hoist(Bar(a.Name), IrType.DoubleArray));
                    if (_arrayHandles.TryGetValue(a.Name, out var handle)) output.Add(new Declare(handle, IrType.Int, new IntConst(-1)));
                    if (_expanded.TryGetValue(a.Name, out var expansion)) output.Add(new Hoist(expansion.Storage, IrType.DoubleArray));
                    break;
                case Loop l when _loopNames.TryGetValue(l, out var names) && !_staticTrips.ContainsKey(l):
                    output.Add(new Hoist(names.Count, IrType.Int));
                    if (CountedCounter(l) is not null) output.Add(new Hoist(names.First, IrType.Int));
                    break;
            }
        }

        foreach (var p in parameters.Where(p => p.IsDifferentiable && p.Type == IrType.Double))
        {
            output.Add(new Hoist(Bar(p.Name), IrType.Double));
        }

        foreach (var held in _adjNames.Values)
        {
            output.Add(new Hoist(held, IrType.Double));
        }
        if (_usesDiscard) output.Add(new Hoist(_discard, IrType.Double));
        return output.ToEquatableArray();
    }
}

/// <summary>Compares by reference: two equal-looking loops at different places are different loops.</summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
