namespace AutoDiffGen.Generator.IR;

/// <summary>The value types of the AD IR.</summary>
internal enum IrType
{
    Double,
    Int,
    Bool,

    /// <summary>A double[] or ReadOnlySpan&lt;double&gt; parameter, or a local double array.</summary>
    DoubleArray,

    /// <summary>An int[] or ReadOnlySpan&lt;int&gt; parameter (read only, never differentiated).</summary>
    IntArray,
}

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    ShiftLeft,
    ShiftRight,
}

internal enum UnaryOp
{
    Negate,
    Not,
    BitNot,
}

internal enum LoopKind
{
    /// <summary>Condition tested before each iteration (while and for).</summary>
    While,

    /// <summary>Condition tested after each iteration (do ... while).</summary>
    DoWhile,
}
