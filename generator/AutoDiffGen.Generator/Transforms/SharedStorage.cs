using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.IR;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Local arrays that are the same memory: a slice and the arena allocation it is cut from (see
/// <see cref="SliceArray"/>). A write through one is a write to all of them, which the passes
/// that keep element values in locals must know.
/// </summary>
internal sealed class SharedStorage
{
    private readonly Dictionary<string, HashSet<string>> _groups = new();

    private SharedStorage()
    {
    }

    /// <summary>The storage groups the slices in <paramref name="body"/> form.</summary>
    public static SharedStorage Of(IEnumerable<Stmt> body)
    {
        var storage = new SharedStorage();
        foreach (var slice in IrWalk.AllStatements(body).OfType<SliceArray>())
        {
            var group = new HashSet<string>([slice.Name, slice.Source.Name]);
            if (storage._groups.TryGetValue(slice.Name, out var a)) group.UnionWith(a);
            if (storage._groups.TryGetValue(slice.Source.Name, out var b)) group.UnionWith(b);
            foreach (var name in group)
            {
                storage._groups[name] = group;
            }
        }

        return storage;
    }

    /// <summary>The names written, with every array that shares storage with a written one.</summary>
    public HashSet<string> Written(IEnumerable<string> targets)
    {
        var written = new HashSet<string>(targets);
        foreach (var name in written.ToList())
        {
            if (_groups.TryGetValue(name, out var group)) written.UnionWith(group);
        }

        return written;
    }
}
