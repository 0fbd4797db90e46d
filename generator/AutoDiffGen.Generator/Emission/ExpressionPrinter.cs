using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.IR;

namespace AutoDiffGen.Generator.Emission;

/// <summary>
/// Prints IR expressions as C#, adding parentheses only where precedence needs them.
/// Doubles print culture-invariant in round-trip form, always as double literals.
/// </summary>
internal sealed class ExpressionPrinter
{
    private readonly string _tape;
    private readonly string _arena;

    public ExpressionPrinter(string tape, string arena)
    {
        _tape = tape;
        _arena = arena;
    }

    public string Print(Expr e) => Print(e, 0);

    public static string Literal(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }

    private static int Precedence(Expr e) => e switch
    {
        DoubleConst c when c.Value < 0 || System.BitConverter.DoubleToInt64Bits(c.Value) < 0 => 14,
        IntConst c when c.Value < 0 => 14,
        Unary or Convert => 14,
        Binary b => Precedence(b.Op),
        Conditional => 3,
        Popped { PoppedType: IrType.Bool } => 9,
        _ => 16,
    };

    private static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder => 13,
        BinaryOp.Add or BinaryOp.Subtract => 12,
        BinaryOp.ShiftLeft or BinaryOp.ShiftRight => 11,
        BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => 10,
        BinaryOp.Equal or BinaryOp.NotEqual => 9,
        BinaryOp.BitAnd => 8,
        BinaryOp.BitXor => 7,
        BinaryOp.BitOr => 6,
        BinaryOp.And => 5,
        _ => 4,
    };

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Remainder => "%",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.And => "&&",
        BinaryOp.Or => "||",
        BinaryOp.BitAnd => "&",
        BinaryOp.BitOr => "|",
        BinaryOp.BitXor => "^",
        BinaryOp.ShiftLeft => "<<",
        _ => ">>",
    };

    private string Print(Expr e, int parent)
    {
        var text = Raw(e);
        return Precedence(e) < parent ? "(" + text + ")" : text;
    }

    private string Raw(Expr e)
    {
        switch (e)
        {
            case DoubleConst c:
                return Literal(c.Value);
            case IntConst c:
                return c.Value.ToString(CultureInfo.InvariantCulture);
            case BoolConst c:
                return c.Value ? "true" : "false";
            case VarRef v:
                return v.Name;
            case ElementRef el:
                return el.Array + "[" + Print(el.Index, 0) + "]";
            case LengthOf l:
                return l.Array + ".Length";
            case Unary u:
                {
                    var symbol = u.Op switch { UnaryOp.Negate => "-", UnaryOp.Not => "!", _ => "~" };
                    var operand = Print(u.Operand, 14);
                    return symbol + (operand.StartsWith("-", System.StringComparison.Ordinal) ? "(" + operand + ")" : operand);
                }

            case Binary b:
                {
                    int p = Precedence(b.Op);
                    return Print(b.Left, p) + " " + Symbol(b.Op) + " " + Print(b.Right, p + 1);
                }

            case Conditional c:
                return Print(c.Condition, 4) + " ? " + Print(c.WhenTrue, 3) + " : " + Print(c.WhenFalse, 3);
            case Convert c:
                return (c.To == IrType.Double ? "(double)" : "(int)") + Print(c.Operand, 15);
            case OverflowContext o:
                return (o.Checked ? "checked(" : "unchecked(") + Print(o.Operand, 0) + ")";
            case MathCall m:
                return (m.Name == "Hypot" ? "double." : "global::System.Math.") + m.Name + "(" + string.Join(", ", m.Args.Select(a => Print(a, 0))) + ")";
            case UserCall u:
                return u.Target.ContainingType + "." + u.Target.Name + "(" + string.Join(", ", u.Args.Select(a => Print(a, 0))) + ")";
            case Popped { PoppedType: IrType.Double }:
                return _tape + ".PopDouble()";
            case Popped { PoppedType: IrType.Int }:
                return _tape + ".PopInt()";
            case Popped:
                return _tape + ".PopInt() != 0";
            case ScratchSpan s:
                return _arena + ".Discard(" + Print(s.Length, 0) + ")";
            default:
                throw new System.InvalidOperationException("Cannot print " + e.GetType().Name);
        }
    }
}
