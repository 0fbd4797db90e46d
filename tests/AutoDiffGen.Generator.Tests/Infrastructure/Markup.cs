using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Source text with expected diagnostic locations marked as <c>[|...|]</c>. <see cref="Parse"/>
/// removes the markers and returns the spans they enclosed, in order of appearance.
/// </summary>
internal static class Markup
{
    private const string Open = "[|";
    private const string Close = "|]";

    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var output = new StringBuilder(markup.Length);
        var spans = new List<TextSpan>();
        var open = new Stack<int>();
        int i = 0;
        while (i < markup.Length)
        {
            if (string.CompareOrdinal(markup, i, Open, 0, Open.Length) == 0)
            {
                open.Push(output.Length);
                i += Open.Length;
            }
            else if (string.CompareOrdinal(markup, i, Close, 0, Close.Length) == 0)
            {
                if (open.Count == 0)
                {
                    throw new ArgumentException("Unbalanced '|]' in test markup.", nameof(markup));
                }

                int start = open.Pop();
                spans.Add(TextSpan.FromBounds(start, output.Length));
                i += Close.Length;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count != 0)
        {
            throw new ArgumentException("Unbalanced '[|' in test markup.", nameof(markup));
        }

        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return (output.ToString(), spans);
    }
}
