using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.IR;

/// <summary>
/// An expression of the AD IR. Expressions are side-effect free; after flattening, a double
/// expression in a differentiated position is an atom or one operation over atoms.
/// All records must stay equatable (they travel through the incremental pipeline).
/// </summary>
internal abstract record Expr(IrType Type);

/// <summary>A double literal (also Math.PI and Math.E).</summary>
internal sealed record DoubleConst(double Value) : Expr(IrType.Double);

internal sealed record IntConst(int Value) : Expr(IrType.Int);

internal sealed record BoolConst(bool Value) : Expr(IrType.Bool);

/// <summary>A local, parameter or generated variable of scalar or array type.</summary>
internal sealed record VarRef(string Name, IrType VarType) : Expr(VarType);

/// <summary>Element <c>Array[Index]</c> of a double or int array.</summary>
internal sealed record ElementRef(string Array, Expr Index, IrType ElementType) : Expr(ElementType);

/// <summary><c>Array.Length</c>.</summary>
internal sealed record LengthOf(string Array) : Expr(IrType.Int);

internal sealed record Unary(UnaryOp Op, Expr Operand, IrType ResultType) : Expr(ResultType);

internal sealed record Binary(BinaryOp Op, Expr Left, Expr Right, IrType ResultType) : Expr(ResultType);

/// <summary><c>Condition ? WhenTrue : WhenFalse</c>.</summary>
internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse, IrType ResultType) : Expr(ResultType);

/// <summary>A conversion between int and double (or bool to nothing: never produced).</summary>
internal sealed record Convert(Expr Operand, IrType To) : Expr(To);

/// <summary>
/// <c>checked(Operand)</c> or <c>unchecked(Operand)</c>: integer arithmetic that can overflow (+ - *,
/// negation, a conversion to int) written in an overflow context other than the compilation's
/// default, so the companions throw <see cref="System.OverflowException"/> exactly where the method does.
/// </summary>
internal sealed record OverflowContext(Expr Operand, bool Checked) : Expr(Operand.Type);

/// <summary>A call of System.Math.<see cref="Name"/>; derivative rules come from the rule table.</summary>
internal sealed record MathCall(string Name, EquatableArray<Expr> Args, IrType ResultType) : Expr(ResultType);

/// <summary>
/// A call of another [Differentiable] method. <see cref="Target"/> says how to reach its
/// companions and which parameters are differentiable.
/// </summary>
internal sealed record UserCall(CallTarget Target, EquatableArray<Expr> Args) : Expr(IrType.Double);

/// <summary>A [Differentiable] callee: fully qualified containing type, name, parameter kinds.</summary>
internal sealed record CallTarget(string ContainingType, string Name, EquatableArray<ParamInfo> Parameters);

/// <summary>A parameter of a [Differentiable] method.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="TypeText">The parameter's type as fully-qualified C#.</param>
/// <param name="Type">Its IR type, or null for pass-through types the body may not use.</param>
/// <param name="IsDifferentiable">True when it gets a tangent and gradient slot.</param>
/// <param name="IsSpan">True for ReadOnlySpan&lt;double&gt;.</param>
internal sealed record ParamInfo(string Name, string TypeText, IrType? Type, bool IsDifferentiable, bool IsSpan);
