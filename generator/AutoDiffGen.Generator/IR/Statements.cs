using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.IR;

/// <summary>
/// A statement of the AD IR: structured control flow only (if, loop, break, continue, return).
/// All records must stay equatable.
/// </summary>
internal abstract record Stmt;

/// <summary>A source comment placed above the statements lowered from one source statement.</summary>
internal sealed record Comment(string Text) : Stmt;

/// <summary>Declares a scalar local (names are unique within a method after lowering).</summary>
internal sealed record Declare(string Name, IrType Type, Expr? Init) : Stmt;

/// <summary><c>Name = Value</c> for a scalar local or parameter.</summary>
internal sealed record Assign(string Name, Expr Value) : Stmt;

/// <summary><c>Array[Index] = Value</c> for a local double array.</summary>
internal sealed record Store(string Array, Expr Index, Expr Value) : Stmt;

/// <summary><c>double[] Name = new double[Length]</c>: a zero-filled local array.</summary>
internal sealed record DeclareArray(string Name, Expr Length) : Stmt;

internal sealed record If(Expr Condition, EquatableArray<Stmt> Then, EquatableArray<Stmt> Else) : Stmt;

/// <summary>
/// A loop. <see cref="Init"/> runs once before it; <see cref="Step"/> after each iteration
/// (also after <c>continue</c>). <see cref="Condition"/> is tested before (While) or after
/// (DoWhile) each iteration.
/// </summary>
internal sealed record Loop(LoopKind Kind, EquatableArray<Stmt> Init, Expr Condition, EquatableArray<Stmt> Body, EquatableArray<Stmt> Step) : Stmt;

internal sealed record Break : Stmt;

internal sealed record Continue : Stmt;

internal sealed record Return(Expr Value) : Stmt;
