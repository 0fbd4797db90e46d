using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using LoopKind = AutoDiffGen.Generator.IR.LoopKind;

namespace AutoDiffGen.Generator.Lowering;

/// <summary>Statements: one arm per supported operation kind, a rejecting default arm.</summary>
internal sealed partial class Lowerer
{
    private EquatableArray<Stmt> LowerBlock(IOperation? op)
    {
        var output = new List<Stmt>();
        if (op is not null)
        {
            LowerStatement(op, output);
        }

        return output.ToEquatableArray();
    }

    private void LowerStatement(IOperation op, List<Stmt> output)
    {
        switch (op)
        {
            case IMethodBodyOperation body:
                LowerStatement((IOperation?)body.BlockBody ?? body.ExpressionBody!, output);
                break;
            case IBlockOperation block:
                foreach (var child in block.Operations)
                {
                    LowerStatement(child, output);
                }

                break;
            case IVariableDeclarationGroupOperation group:
                output.Add(new Comment(SourceText(op)));
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        LowerDeclarator(declarator, output);
                    }
                }

                break;
            case IExpressionStatementOperation expression:
                output.Add(new Comment(SourceText(op)));
                LowerExpressionStatement(expression.Operation, output);
                break;
            case IReturnOperation ret when ret.ReturnedValue is not null:
                output.Add(new Comment(SourceText(op)));

                // A method that does not return double is already reported (ADG0004); its return
                // values are not double arithmetic, so do not report them again.
                output.Add(new Return(_method.ReturnType.SpecialType == SpecialType.System_Double ? LowerValue(ret.ReturnedValue, IrType.Double) : new DoubleConst(0.0)));
                break;
            case IConditionalOperation conditional:
                output.Add(new Comment("if (" + conditional.Condition.Syntax + ")"));
                output.Add(new If(LowerValue(conditional.Condition, IrType.Bool), LowerBlock(conditional.WhenTrue), LowerBlock(conditional.WhenFalse)));
                break;
            case IForLoopOperation loop:
                {
                    output.Add(new Comment("for (" + string.Join("; ", loop.Before.Select(b => b.Syntax.ToString())) + "; " + loop.Condition?.Syntax + "; ...)"));
                    var init = new List<Stmt>();
                    foreach (var before in loop.Before)
                    {
                        LowerStatement(before, init);
                    }

                    var step = new List<Stmt>();
                    foreach (var bottom in loop.AtLoopBottom)
                    {
                        LowerStatement(bottom, step);
                    }

                    Expr condition = loop.Condition is null ? new BoolConst(true) : LowerValue(loop.Condition, IrType.Bool);
                    output.Add(new Loop(LoopKind.While, init.ToEquatableArray(), condition, LowerBlock(loop.Body), step.ToEquatableArray()));
                    break;
                }

            case IWhileLoopOperation loop when !loop.ConditionIsUntil && loop.Condition is not null:
                output.Add(new Comment((loop.ConditionIsTop ? "while (" : "do ... while (") + loop.Condition.Syntax + ")"));
                output.Add(new Loop(
                    loop.ConditionIsTop ? LoopKind.While : LoopKind.DoWhile,
                    EquatableArray<Stmt>.Empty,
                    LowerValue(loop.Condition, IrType.Bool),
                    LowerBlock(loop.Body),
                    EquatableArray<Stmt>.Empty));
                break;
            case IForEachLoopOperation loop:
                LowerForEach(loop, output);
                break;
            case IBranchOperation { BranchKind: BranchKind.Break }:
                output.Add(new Break());
                break;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                output.Add(new Continue());
                break;
            case IEmptyOperation:
                break;
            case IBranchOperation:
                Report(DiagnosticDescriptors.UnsupportedStatement, op, "'goto'");
                break;
            case IReturnOperation when _output is not null:
                // An early exit of a vector-valued method: its Return carries no value.
                output.Add(new Comment(SourceText(op)));
                output.Add(new Return(new DoubleConst(0.0)));
                break;
            case IReturnOperation:
                Report(DiagnosticDescriptors.UnsupportedStatement, op, "A return without a value");
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, op, StatementKindText(op));
                break;
        }
    }

    private static string StatementKindText(IOperation op) => op switch
    {
        ITryOperation => "try/catch/finally",
        IThrowOperation => "'throw'",
        ISwitchOperation => "'switch'",
        ILocalFunctionOperation => "A local function",
        ILockOperation => "'lock'",
        IUsingOperation => "'using'",
        ILabeledOperation => "A label",
        _ => Describe(op),
    };

    private void LowerForEach(IForEachLoopOperation loop, List<Stmt> output)
    {
        output.Add(new Comment("foreach (" + ((Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax)loop.Syntax).Identifier + " in " + loop.Collection.Syntax + ")"));
        var collection = loop.Collection;
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }

        string? array = collection switch
        {
            IParameterReferenceOperation p when ArrayElementType(p.Parameter.Type) == SpecialType.System_Double => NameOf(p.Parameter),
            ILocalReferenceOperation l when l.Local.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double } => NameOf(l.Local),
            _ when IsOutput(collection) => _output,
            _ => null,
        };
        if (array is null || loop.LoopControlVariable is not IVariableDeclaratorOperation declarator || declarator.Symbol.Type.SpecialType != SpecialType.System_Double ||
            declarator.Symbol.RefKind == RefKind.Ref)
        {
            Report(DiagnosticDescriptors.UnsupportedStatement, loop, "foreach over anything but a double array or span parameter or local array, with a double loop variable (not 'ref'),");
            return;
        }

        var index = FreshName("index");
        var element = Declare(declarator.Symbol);
        var body = new List<Stmt> { new Declare(element, IrType.Double, new ElementRef(array, new VarRef(index, IrType.Int), IrType.Double)) };
        LowerStatement(loop.Body, body);
        output.Add(new Loop(
            LoopKind.While,
            EquatableArray.Of<Stmt>(new Declare(index, IrType.Int, new IntConst(0))),
            new Binary(BinaryOp.Less, new VarRef(index, IrType.Int), ArrayLength(array), IrType.Bool),
            body.ToEquatableArray(),
            EquatableArray.Of<Stmt>(new Assign(index, new Binary(BinaryOp.Add, new VarRef(index, IrType.Int), new IntConst(1), IrType.Int)))));
    }

    private string FreshName(string stem)
    {
        var name = stem;
        for (int i = 2; _usedNames.Contains(name); i++)
        {
            name = stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _usedNames.Add(name);
        return name;
    }

    private void LowerDeclarator(IVariableDeclaratorOperation declarator, List<Stmt> output)
    {
        var local = declarator.Symbol;
        var initializer = declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value;
        if (local.RefKind != RefKind.None)
        {
            // An alias of an element or variable: lowered as a copy, writes through it and
            // reads after writes to what it refers to would be lost.
            Report(DiagnosticDescriptors.UnsupportedLocalType, declarator, local.Name, (local.RefKind == RefKind.RefReadOnly ? "ref readonly " : "ref ") + local.Type.ToDisplayString());
            _rejectedLocals.Add(local);
            return;
        }

        if (ScalarType(local.Type) is { } type)
        {
            var name = Declare(local);
            output.Add(new Declare(name, type, initializer is null ? null : LowerValue(initializer, type)));
            return;
        }

        if (local.Type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double })
        {
            var name = Declare(local);
            if (initializer is IArrayCreationOperation creation)
            {
                LowerArrayCreation(name, creation, output);
            }
            else
            {
                Report(DiagnosticDescriptors.UnsupportedArrayUse, (IOperation?)initializer ?? declarator, "Local array '" + local.Name + "' is not created with 'new double[n]'");
            }

            return;
        }

        Report(DiagnosticDescriptors.UnsupportedLocalType, declarator, local.Name, local.Type.ToDisplayString());
        _rejectedLocals.Add(local);
    }

    private void LowerArrayCreation(string name, IArrayCreationOperation creation, List<Stmt> output)
    {
        if (creation.DimensionSizes.Length != 1)
        {
            Report(DiagnosticDescriptors.UnsupportedArrayUse, creation, "Multi-dimensional arrays are not supported");
            return;
        }

        output.Add(new DeclareArray(name, LowerValue(creation.DimensionSizes[0], IrType.Int)));
        if (creation.Initializer is { } init)
        {
            for (int i = 0; i < init.ElementValues.Length; i++)
            {
                output.Add(new Store(name, new IntConst(i), LowerValue(init.ElementValues[i], IrType.Double)));
            }
        }
    }

    private void LowerExpressionStatement(IOperation op, List<Stmt> output)
    {
        switch (op)
        {
            case ISimpleAssignmentOperation assignment:
                LowerAssignment(assignment.Target, assignment.Value, null, assignment, output);
                break;
            case ICompoundAssignmentOperation compound when compound.OperatorMethod is null:
                LowerAssignment(compound.Target, compound.Value, compound.OperatorKind, compound, output);
                break;
            case IIncrementOrDecrementOperation increment when increment.OperatorMethod is null:
                {
                    bool isInt = increment.Target.Type?.SpecialType == SpecialType.System_Int32;
                    var kind = increment.Kind == OperationKind.Increment ? BinaryOperatorKind.Add : BinaryOperatorKind.Subtract;
                    LowerAssignment(increment.Target, null, kind, increment, output, isInt ? new IntConst(1) : new DoubleConst(1.0));
                    break;
                }

            case IInvocationOperation invocation when IsDifferentiable(invocation.TargetMethod) && IsVectorValued(invocation.TargetMethod):
                Report(DiagnosticDescriptors.VectorValuedCall, op, invocation.TargetMethod.Name);
                break;
            case IInvocationOperation:
                Report(DiagnosticDescriptors.UnsupportedStatement, op, "A call whose result is discarded");
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, op, StatementKindText(op));
                break;
        }
    }

    /// <summary>Lowers <c>target = value</c>, or <c>target = target op value</c> for compound forms.</summary>
    private void LowerAssignment(IOperation target, IOperation? value, BinaryOperatorKind? compound, IOperation statement, List<Stmt> output, Expr? constantValue = null)
    {
        Expr Combine(Expr current, IrType type)
        {
            var rhs = constantValue ?? LowerValue(value!, type);
            if (compound is null)
            {
                return rhs;
            }

            var op = MapBinary(compound.Value);
            if (op is null)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, statement, Describe(statement));
                return current;
            }

            bool isChecked = statement switch
            {
                ICompoundAssignmentOperation c => c.IsChecked,
                IIncrementOrDecrementOperation i => i.IsChecked,
                _ => _compilation.Options.CheckOverflow,
            };
            return InOverflowContext(new Binary(op.Value, current, rhs, type), isChecked);
        }

        switch (target)
        {
            case ILocalReferenceOperation local when ScalarType(local.Local.Type) is { } type:
                output.Add(new Assign(NameOf(local.Local), Combine(new VarRef(NameOf(local.Local), type), type)));
                break;
            case IParameterReferenceOperation parameter when ScalarType(parameter.Parameter.Type) is { } type && parameter.Parameter.RefKind == RefKind.None:
                output.Add(new Assign(parameter.Parameter.Name, Combine(new VarRef(parameter.Parameter.Name, type), type)));
                break;
            case ILocalReferenceOperation local when _rejectedLocals.Contains(local.Local):
                break;
            case IParameterReferenceOperation parameter when IsRejectedParameter(parameter.Parameter):
                break;
            case ILocalReferenceOperation local when local.Local.Type is IArrayTypeSymbol:
                Report(DiagnosticDescriptors.UnsupportedArrayUse, statement, "Local array '" + local.Local.Name + "' is reassigned");
                break;
            case IParameterReferenceOperation parameter when ArrayElementType(parameter.Parameter.Type) is not null:
                Report(DiagnosticDescriptors.ParameterArrayWrite, statement, parameter.Parameter.Name);
                break;
            case IArrayElementReferenceOperation element:
                {
                    var arrayOp = element.ArrayReference;
                    if (arrayOp is IParameterReferenceOperation p)
                    {
                        Report(DiagnosticDescriptors.ParameterArrayWrite, statement, p.Parameter.Name);
                        break;
                    }

                    if (arrayOp is not ILocalReferenceOperation l || l.Local.Type is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double } || element.Indices.Length != 1)
                    {
                        Report(DiagnosticDescriptors.UnsupportedArrayUse, statement, "Only elements of local double arrays can be written");
                        break;
                    }

                    var array = NameOf(l.Local);
                    var index = LowerValue(element.Indices[0], IrType.Int);
                    output.Add(new Store(array, index, Combine(new ElementRef(array, index, IrType.Double), IrType.Double)));
                    break;
                }

            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when IsOutput(instance) && indexer.Arguments.Length == 1:
                {
                    var index = LowerValue(indexer.Arguments[0].Value, IrType.Int);
                    output.Add(new Store(_output!, index, Combine(new ElementRef(_output!, index, IrType.Double), IrType.Double)));
                    break;
                }

            case IParameterReferenceOperation parameter when IsOutput(parameter):
                Report(DiagnosticDescriptors.UnsupportedResultUse, statement, "'" + parameter.Parameter.Name + "' is reassigned");
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p }:
                Report(DiagnosticDescriptors.ParameterArrayWrite, statement, p.Parameter.Name);
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, "An assignment to " + Describe(target));
                break;
        }
    }
}
