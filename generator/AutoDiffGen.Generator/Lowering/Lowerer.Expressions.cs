using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Lowering;

/// <summary>Expressions: constants, variables, arithmetic, array elements, Math and [Differentiable] calls.</summary>
internal sealed partial class Lowerer
{
    /// <summary>Lowers an expression that must have IR type <paramref name="expected"/>.</summary>
    private Expr LowerValue(IOperation op, IrType expected)
    {
        var e = LowerExpr(op);
        if (e.Type == expected)
        {
            return e;
        }

        if (expected == IrType.Double && e.Type == IrType.Int)
        {
            return new Convert(e, IrType.Double);
        }

        return ErrorValue(expected);
    }

    private static Expr ErrorValue(IrType type) => type switch
    {
        IrType.Int => new IntConst(0),
        IrType.Bool => new BoolConst(false),
        _ => new DoubleConst(0.0),
    };

    private Expr Unsupported(IOperation op)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, op, Describe(op));
        return ErrorValue(op.Type is null ? IrType.Double : ScalarType(op.Type) ?? IrType.Double);
    }

    private Expr LowerExpr(IOperation op)
    {
        if (op.ConstantValue is { HasValue: true, Value: var constant })
        {
            switch (constant)
            {
                case double d:
                    return new DoubleConst(d);
                case int i:
                    return new IntConst(i);
                case bool b:
                    return new BoolConst(b);
            }
        }

        switch (op)
        {
            case IPropertyReferenceOperation { Instance: { } instance } when IsRejectedReference(instance):
                // Elements and Length of an already reported parameter or local.
                return ErrorValue(op.Type is null ? IrType.Double : ScalarType(op.Type) ?? IrType.Double);
            case ILocalReferenceOperation local:
                {
                    if (_rejectedLocals.Contains(local.Local))
                    {
                        // Its declaration is already reported; do not report every use again.
                        return ErrorValue(ScalarType(local.Local.Type) ?? IrType.Double);
                    }

                    if (ScalarType(local.Local.Type) is { } type)
                    {
                        return new VarRef(NameOf(local.Local), type);
                    }

                    if (local.Local.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double })
                    {
                        return new VarRef(NameOf(local.Local), IrType.DoubleArray);
                    }

                    return Unsupported(op);
                }

            case IParameterReferenceOperation parameter:
                {
                    if (IsRejectedParameter(parameter.Parameter))
                    {
                        // The declaration check already reported this parameter (ADG0005).
                        return ErrorValue(ScalarType(parameter.Parameter.Type) ?? IrType.Double);
                    }

                    if (ScalarType(parameter.Parameter.Type) is { } type)
                    {
                        return new VarRef(parameter.Parameter.Name, type);
                    }

                    if (ArrayElementType(parameter.Parameter.Type) is { } element)
                    {
                        return new VarRef(parameter.Parameter.Name, element == SpecialType.System_Double ? IrType.DoubleArray : IrType.IntArray);
                    }

                    if (IsOutput(parameter))
                    {
                        return new VarRef(parameter.Parameter.Name, IrType.DoubleArray);
                    }

                    return Unsupported(op);
                }

            case IConversionOperation conversion when conversion.OperatorMethod is null:
                return LowerConversion(conversion);
            case IBinaryOperation binary when binary.OperatorMethod is null && !binary.IsLifted:
                {
                    var mapped = MapBinary(binary.OperatorKind);
                    var resultType = binary.Type is null ? null : ScalarType(binary.Type);
                    if (mapped is null || resultType is null)
                    {
                        return Unsupported(op);
                    }

                    var left = LowerExpr(binary.LeftOperand);
                    var right = LowerExpr(binary.RightOperand);
                    if (left.Type != right.Type || left.Type is IrType.DoubleArray or IrType.IntArray)
                    {
                        return Unsupported(op);
                    }

                    if (resultType == IrType.Double && mapped is not (BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide))
                    {
                        return Unsupported(op);
                    }

                    return InOverflowContext(new Binary(mapped.Value, left, right, resultType.Value), binary.IsChecked);
                }

            case IUnaryOperation unary when unary.OperatorMethod is null && !unary.IsLifted:
                {
                    var operand = LowerExpr(unary.Operand);
                    return unary.OperatorKind switch
                    {
                        UnaryOperatorKind.Plus => operand,
                        UnaryOperatorKind.Minus when operand.Type is IrType.Double or IrType.Int => InOverflowContext(new Unary(UnaryOp.Negate, operand, operand.Type), unary.IsChecked),
                        UnaryOperatorKind.Not when operand.Type == IrType.Bool => new Unary(UnaryOp.Not, operand, IrType.Bool),
                        UnaryOperatorKind.BitwiseNegation when operand.Type == IrType.Int => new Unary(UnaryOp.BitNot, operand, IrType.Int),
                        _ => Unsupported(op),
                    };
                }

            case IConditionalOperation conditional when conditional.WhenFalse is not null && conditional.Type is not null && ScalarType(conditional.Type) is { } type:
                return new Conditional(LowerValue(conditional.Condition, IrType.Bool), LowerValue(conditional.WhenTrue, type), LowerValue(conditional.WhenFalse, type), type);
            case IArrayElementReferenceOperation element when element.Indices.Length == 1:
                return LowerElement(element.ArrayReference, element.Indices[0], op);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Arguments.Length == 1 && indexer.Instance is not null:
                return LowerElement(indexer.Instance, indexer.Arguments[0].Value, op);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when LowerArrayName(instance) is { } array:
                return ArrayLength(array);
            case IInvocationOperation invocation:
                return LowerInvocation(invocation);
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                Report(DiagnosticDescriptors.AssignmentInExpression, op, Describe(op));
                return ErrorValue(op.Type is null ? IrType.Double : ScalarType(op.Type) ?? IrType.Double);
            case IArrayCreationOperation:
                Report(DiagnosticDescriptors.UnsupportedArrayUse, op, "An array is created inside an expression");
                return new DoubleConst(0.0);
            default:
                return Unsupported(op);
        }
    }

    /// <summary>
    /// Integer arithmetic that can overflow, in the overflow context it was written in when that is
    /// not the compilation's default (the companions compile with the same default).
    /// </summary>
    private Expr InOverflowContext(Expr e, bool isChecked)
    {
        bool canOverflow = e switch
        {
            Binary { ResultType: IrType.Int, Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } => true,
            Unary { ResultType: IrType.Int, Op: UnaryOp.Negate } => true,
            Convert { To: IrType.Int } => true,
            _ => false,
        };
        return canOverflow && isChecked != _compilation.Options.CheckOverflow ? new OverflowContext(e, isChecked) : e;
    }

    private Expr LowerConversion(IConversionOperation conversion)
    {
        var operand = LowerExpr(conversion.Operand);
        var target = conversion.Type is null ? null : ScalarType(conversion.Type);
        if (target is null)
        {
            // Arrays passed where a ReadOnlySpan<double> is expected convert implicitly.
            if (operand.Type is IrType.DoubleArray or IrType.IntArray && conversion.Type is not null && ArrayElementType(conversion.Type) is not null)
            {
                return operand;
            }

            return Unsupported(conversion);
        }

        if (target == operand.Type)
        {
            return operand;
        }

        if (target is IrType.Double or IrType.Int && operand.Type is IrType.Double or IrType.Int)
        {
            return operand is IntConst i && target == IrType.Double ? new DoubleConst(i.Value) : InOverflowContext(new Convert(operand, target.Value), conversion.IsChecked);
        }

        return Unsupported(conversion);
    }

    private string? LowerArrayName(IOperation op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        return op switch
        {
            IParameterReferenceOperation p when ArrayElementType(p.Parameter.Type) is not null => p.Parameter.Name,
            ILocalReferenceOperation l when l.Local.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double } => NameOf(l.Local),
            _ when IsOutput(op) => _output,
            _ => null,
        };
    }

    /// <summary>True for a reference to the result span of the vector-valued method being lowered.</summary>
    private bool IsOutput(IOperation op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        return _output is not null && op is IParameterReferenceOperation p && IsVectorOutput(p.Parameter) &&
            SymbolEqualityComparer.Default.Equals(p.Parameter.ContainingSymbol, _method);
    }

    /// <summary><c>array.Length</c>; for the result span, the local that holds its length.</summary>
    private Expr ArrayLength(string array)
    {
        if (array != _output)
        {
            return new LengthOf(array);
        }

        _outputLength ??= FreshName(array + "Length");
        return new VarRef(_outputLength, IrType.Int);
    }

    private bool IsRejectedReference(IOperation op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        return op switch
        {
            IParameterReferenceOperation p => IsRejectedParameter(p.Parameter),
            ILocalReferenceOperation l => _rejectedLocals.Contains(l.Local),
            _ => false,
        };
    }

    private static bool IsLocalArray(IOperation op)
    {
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        return op is ILocalReferenceOperation;
    }

    private Expr LowerElement(IOperation arrayOp, IOperation indexOp, IOperation op)
    {
        var array = LowerArrayName(arrayOp);
        if (array is null || op.Type is null)
        {
            return Unsupported(op);
        }

        var elementType = op.Type.SpecialType == SpecialType.System_Int32 ? IrType.Int : IrType.Double;
        return new ElementRef(array, LowerValue(indexOp, IrType.Int), elementType);
    }

    private Expr LowerInvocation(IInvocationOperation invocation)
    {
        var target = invocation.TargetMethod;
        var containing = target.ContainingType?.ToDisplayString();
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
        if (containing is "System.Math" or "double")
        {
            var args = arguments.Select(a => LowerExpr(a.Value)).ToList();
            var resultType = ScalarType(target.ReturnType);
            if (resultType == IrType.Int && args.All(a => a.Type is IrType.Int or IrType.Double))
            {
                // Integer-valued Math (Sign, Max/Min/Abs over ints): piecewise constant, no derivative.
                return new MathCall(target.Name, args.ToEquatableArray(), IrType.Int);
            }

            if (resultType == IrType.Double && target.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Double))
            {
                if (MathDerivativeRules.Has(target.Name, args.Count))
                {
                    return new MathCall(target.Name, args.Select(a => a.Type == IrType.Int ? new Convert(a, IrType.Double) : a).ToEquatableArray(), IrType.Double);
                }
            }

            if (resultType == IrType.Double && target.Name == "Round" && args.Count == 2 && args[1].Type == IrType.Int)
            {
                return new MathCall("Round", args.ToEquatableArray(), IrType.Double);
            }

            Report(DiagnosticDescriptors.UnsupportedMathFunction, invocation, target.Name);
            return ErrorValue(resultType ?? IrType.Double);
        }

        if (IsDifferentiable(target))
        {
            if (SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, _method.OriginalDefinition) || LeadsBack(target))
            {
                Report(DiagnosticDescriptors.Recursion, invocation, _method.Name);
                return new DoubleConst(0.0);
            }

            var parameters = DescribeParameters(target);
            var args = new Expr[parameters.Count];
            foreach (var argument in arguments)
            {
                var parameter = argument.Parameter;
                if (parameter is null)
                {
                    return Unsupported(invocation);
                }

                var info = parameters[parameter.Ordinal];
                if (info.Type is null)
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, argument, "An argument of type '" + parameter.Type.ToDisplayString() + "'");
                    args[parameter.Ordinal] = new DoubleConst(0.0);
                    continue;
                }

                if (info.Type is IrType.DoubleArray or IrType.IntArray)
                {
                    var array = LowerArrayName(argument.Value);
                    if (array is null)
                    {
                        Report(DiagnosticDescriptors.UnsupportedArrayUse, argument, "An array argument must be a parameter or local array");
                        args[parameter.Ordinal] = new DoubleConst(0.0);
                        continue;
                    }

                    if (!info.IsSpan && IsLocalArray(argument.Value))
                    {
                        // Local arrays live in pooled Span<double> storage in the generated code.
                        Report(DiagnosticDescriptors.UnsupportedArrayUse, argument, "Local array '" + array + "' is passed to the double[] parameter '" + parameter.Name + "' of '" + target.Name + "' (declare that parameter as ReadOnlySpan<double>)");
                        args[parameter.Ordinal] = new DoubleConst(0.0);
                        continue;
                    }

                    args[parameter.Ordinal] = new VarRef(array, info.Type.Value);
                    continue;
                }

                args[parameter.Ordinal] = LowerValue(argument.Value, info.Type.Value);
            }

            var type = target.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            _calls.Add(new CallSite(type + "." + target.Name, DiagnosticInfo.Create(DiagnosticDescriptors.CalleeHasErrors, invocation.Syntax.GetLocation(), target.Name)));
            return new UserCall(new CallTarget(type, target.Name, parameters), args.ToEquatableArray());
        }

        Report(DiagnosticDescriptors.UnsupportedCall, invocation, target.ContainingType is null ? target.Name : target.ContainingType.Name + "." + target.Name);
        return ErrorValue(ScalarType(target.ReturnType) ?? IrType.Double);
    }

    private static BinaryOp? MapBinary(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => BinaryOp.Add,
        BinaryOperatorKind.Subtract => BinaryOp.Subtract,
        BinaryOperatorKind.Multiply => BinaryOp.Multiply,
        BinaryOperatorKind.Divide => BinaryOp.Divide,
        BinaryOperatorKind.Remainder => BinaryOp.Remainder,
        BinaryOperatorKind.Equals => BinaryOp.Equal,
        BinaryOperatorKind.NotEquals => BinaryOp.NotEqual,
        BinaryOperatorKind.LessThan => BinaryOp.Less,
        BinaryOperatorKind.LessThanOrEqual => BinaryOp.LessOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOp.Greater,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOperatorKind.ConditionalAnd => BinaryOp.And,
        BinaryOperatorKind.ConditionalOr => BinaryOp.Or,
        BinaryOperatorKind.And => BinaryOp.BitAnd,
        BinaryOperatorKind.Or => BinaryOp.BitOr,
        BinaryOperatorKind.ExclusiveOr => BinaryOp.BitXor,
        BinaryOperatorKind.LeftShift => BinaryOp.ShiftLeft,
        BinaryOperatorKind.RightShift => BinaryOp.ShiftRight,
        _ => null,
    };
}
