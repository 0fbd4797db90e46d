using System.Text;

namespace AutoDiffGen.Generator.Emission;

/// <summary>Writes lines with four-space indentation; no NormalizeWhitespace.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _depth * 4);
            _builder.Append(text);
        }

        _builder.Append('\n');
    }

    public void Open(string text = "{")
    {
        Line(text);
        _depth++;
    }

    public void Close(string text = "}")
    {
        _depth--;
        Line(text);
    }

    public override string ToString() => _builder.ToString();
}
