using System.Collections.Generic;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Rules;
using static AutoDiffGen.Generator.IR.Build;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// The local partial derivatives of one three-address operation: for each operand atom, the
/// derivative of the result with respect to it (null for zero). Both transforms read these; the
/// tangent transform sums partial * operand tangent, the adjoint transform scatters
/// partial * result adjoint into the operands.
/// </summary>
internal static class LocalPartials
{
    public static IEnumerable<(Expr Operand, Expr? Partial)> Of(Expr op, Expr result)
    {
        switch (op)
        {
            case VarRef or ElementRef:
                yield return (op, One);
                break;
            case Unary { Op: UnaryOp.Negate, ResultType: IrType.Double } u:
                yield return (u.Operand, D(-1.0));
                break;
            case Binary { ResultType: IrType.Double } b:
                switch (b.Op)
                {
                    case BinaryOp.Add:
                        yield return (b.Left, One);
                        yield return (b.Right, One);
                        break;
                    case BinaryOp.Subtract:
                        yield return (b.Left, One);
                        yield return (b.Right, D(-1.0));
                        break;
                    case BinaryOp.Multiply:
                        yield return (b.Left, b.Right);
                        yield return (b.Right, b.Left);
                        break;
                    case BinaryOp.Divide:
                        yield return (b.Left, Div(One, b.Right));
                        yield return (b.Right, Neg(Div(b.Left, Mul(b.Right, b.Right))));
                        break;
                }

                break;
            case MathCall { ResultType: IrType.Double } m when MathDerivativeRules.Has(m.Name, m.Args.Count):
                {
                    var partials = MathDerivativeRules.Partials(m.Name, m.Args, result);
                    for (int i = 0; i < m.Args.Count; i++)
                    {
                        yield return (m.Args[i], partials[i]);
                    }

                    break;
                }
        }
    }
}
