using System.Collections.Generic;
using System.Globalization;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Hands out deterministic identifiers that collide neither with the user's names nor with each
/// other: the stem itself if free, else stem2, stem3, ...
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _used;

    public NameScope(IEnumerable<string> reserved) => _used = new HashSet<string>(reserved);

    /// <summary>
    /// A scope with the names used so far, for one companion method: names chosen in it do not
    /// take names away from sibling companions, so each gets the plainest names it can.
    /// </summary>
    public NameScope Branch() => new(_used);

    public string Fresh(string stem)
    {
        var name = stem;
        for (int i = 2; !_used.Add(name); i++)
        {
            name = stem + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }
}
