using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.IR;

/// <summary>
/// Builders for IR expressions with light algebraic simplification (multiplying by one, adding
/// zero), so derivative code stays readable. <c>null</c> stands for an exact zero.
/// </summary>
internal static class Build
{
    public static readonly DoubleConst Zero = new(0.0);
    public static readonly DoubleConst One = new(1.0);

    public static Expr D(double value) => new DoubleConst(value);

    public static VarRef Double(string name) => new(name, IrType.Double);

    public static VarRef Int(string name) => new(name, IrType.Int);

    public static bool IsConst(Expr? e, double value) => e is DoubleConst c && c.Value.Equals(value);

    public static Expr Add(Expr a, Expr b)
    {
        if (IsConst(a, 0)) return b;
        if (IsConst(b, 0)) return a;
        if (b is Unary { Op: UnaryOp.Negate } nb) return new Binary(BinaryOp.Subtract, a, nb.Operand, IrType.Double);
        return new Binary(BinaryOp.Add, a, b, IrType.Double);
    }

    public static Expr Sub(Expr a, Expr b)
    {
        if (IsConst(b, 0)) return a;
        if (IsConst(a, 0)) return Neg(b);
        return new Binary(BinaryOp.Subtract, a, b, IrType.Double);
    }

    public static Expr Mul(Expr a, Expr b)
    {
        if (IsConst(a, 1)) return b;
        if (IsConst(b, 1)) return a;
        if (IsConst(a, -1)) return Neg(b);
        if (IsConst(b, -1)) return Neg(a);
        if (a is DoubleConst ca && b is DoubleConst cb) return D(ca.Value * cb.Value);
        return new Binary(BinaryOp.Multiply, a, b, IrType.Double);
    }

    public static Expr Div(Expr a, Expr b)
    {
        if (IsConst(b, 1)) return a;
        return new Binary(BinaryOp.Divide, a, b, IrType.Double);
    }

    public static Expr Neg(Expr a)
    {
        if (a is DoubleConst c) return D(-c.Value);
        if (a is Unary { Op: UnaryOp.Negate } n) return n.Operand;
        return new Unary(UnaryOp.Negate, a, IrType.Double);
    }

    public static Expr Call(string name, params Expr[] args) => new MathCall(name, EquatableArray.Of(args), IrType.Double);

    public static Expr Cond(Expr condition, Expr whenTrue, Expr whenFalse) => new Conditional(condition, whenTrue, whenFalse, IrType.Double);

    public static Expr Cmp(BinaryOp op, Expr a, Expr b) => new Binary(op, a, b, IrType.Bool);

    /// <summary><paramref name="coefficient"/> * <paramref name="value"/>, where a null coefficient means zero.</summary>
    public static Expr? Scale(Expr? coefficient, Expr value) => coefficient is null ? null : Mul(coefficient, value);

    /// <summary>Sum of terms, skipping zeros; null when every term is zero.</summary>
    public static Expr? Sum(System.Collections.Generic.IEnumerable<Expr?> terms)
    {
        Expr? sum = null;
        foreach (var t in terms)
        {
            if (t is null) continue;
            sum = sum is null ? t : Add(sum, t);
        }

        return sum;
    }
}
