using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.IR;

// Statements and expressions that only the transforms produce: tape traffic, accumulation,
// pooled local arrays and calls of other methods' companions. They stay equatable records so the
// transforms remain pure functions IR -> IR and a Tangent transform can run over Adjoint output.

/// <summary>Pops the top of the tape (PopDouble, or PopInt; a bool pops an int and tests it).</summary>
internal sealed record Popped(IrType PoppedType) : Expr(PoppedType);

/// <summary>A span of the given length for adjoints nobody reads (the arena's shared discard buffer).</summary>
internal sealed record ScratchSpan(Expr Length) : Expr(IrType.DoubleArray);

/// <summary>Pushes a value (double, int or bool) on the tape.</summary>
internal sealed record Push(Expr Value) : Stmt;

/// <summary>
/// Makes room on the tape for <see cref="Doubles"/> more doubles and <see cref="Ints"/> more ints, so
/// the pushes that follow cannot fail (they run where a rerun of the method would be wrong).
/// </summary>
internal sealed record ReserveTape(Expr Doubles, Expr Ints) : Stmt;

/// <summary><c>Name += Value</c>.</summary>
internal sealed record Accumulate(string Name, Expr Value) : Stmt;

/// <summary><c>Array[Index] += Value</c>.</summary>
internal sealed record AccumulateElement(string Array, Expr Index, Expr Value) : Stmt;

/// <summary>
/// Binds <see cref="Name"/> (and <see cref="Shadow"/>, its tangent or adjoint, when not null) to fresh
/// zero-filled arena storage of length <see cref="Length"/>. With <see cref="HandleName"/> set, the
/// arena id of the allocation is kept in that int local so the binding can be taped and restored.
/// </summary>
internal sealed record AllocateArray(string Name, string? Shadow, Expr Length, string? HandleName, bool Declare) : Stmt;

/// <summary>
/// <c>Name = Source.Slice(Start, Length)</c>: binds local array <see cref="Name"/> to a part of
/// <see cref="Source"/>, an arena allocation that keeps one such part per loop iteration (see
/// <see cref="Transforms.AdjointTransform"/>, array expansion). Writes through Name land in Source.
/// </summary>
internal sealed record SliceArray(string Name, VarRef Source, Expr Start, Expr Length) : Stmt;

/// <summary>Rebinds <see cref="Name"/> (and <see cref="Shadow"/>) to the arena allocation whose id is popped.</summary>
internal sealed record RebindArray(string Name, string? Shadow, string HandleName) : Stmt;

/// <summary>
/// <c>Target = Callee.NameJvp(Args..., Tangents..., out TargetTangent)</c>; a null tangent means zero.
/// </summary>
internal sealed record JvpCall(string Target, string TargetTangent, bool Declare, CallTarget Callee, EquatableArray<Expr> Args, EquatableArray<TangentArg> Tangents) : Stmt;

/// <summary>Tangent passed to a callee's JVP; <see cref="Value"/> null means a zero of the argument's shape.</summary>
internal sealed record TangentArg(Expr? Value, Expr Argument);

/// <summary><c>Callee.NamePullback(Args..., Seed, slots...)</c>: accumulates Seed * gradient into the slots.</summary>
internal sealed record PullbackCall(CallTarget Callee, EquatableArray<Expr> Args, Expr Seed, EquatableArray<AdjointSlot> Slots) : Stmt;

/// <summary>
/// <c>Callee.NamePullbackJvp(Args..., ArgTangents..., Seed, SeedTangent, slots..., slot tangents...)</c>:
/// the tangent of a <see cref="PullbackCall"/>, which second-order code (forward over reverse) calls.
/// A null argument or seed tangent means zero.
/// </summary>
internal sealed record PullbackJvpCall(CallTarget Callee, EquatableArray<Expr> Args, EquatableArray<TangentArg> ArgTangents, Expr Seed, Expr? SeedTangent, EquatableArray<AdjointSlot> Slots, EquatableArray<AdjointSlot> SlotTangents) : Stmt;

/// <summary>
/// Where a callee's pullback accumulates one gradient: a double variable or array element
/// (<c>ref</c>), a span, or nowhere (a discard local or scratch span) when the argument is inactive.
/// </summary>
internal sealed record AdjointSlot(Expr? Target, Expr Argument);

/// <summary>
/// Runs <see cref="Body"/> once per recorded iteration, last iteration first: pops the count and,
/// for a counted loop, the start value of <see cref="Counter"/>, which is set before each pass.
/// </summary>
/// <remarks>
/// When <see cref="TripCount"/> and <see cref="StartValue"/> are set (a loop whose bounds are the
/// same in the reverse sweep) they are computed instead of popped.
/// </remarks>
internal sealed record ReverseLoop(string IterationName, string? Counter, string? StartName, int Step, EquatableArray<Stmt> Body, Expr? TripCount = null, Expr? StartValue = null) : Stmt;

/// <summary>Declares a scalar or span local at the top of a reverse-mode method (span: <c>Span&lt;double&gt; Name = default</c>).</summary>
internal sealed record Hoist(string Name, IrType Type) : Stmt;
