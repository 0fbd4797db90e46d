using System;
using System.Collections.Generic;
using AutoDiffGen.Generator.IR;
using static AutoDiffGen.Generator.IR.Build;

namespace AutoDiffGen.Generator.Rules;

/// <summary>
/// The derivative rules of the System.Math (and System.Double) functions the generator accepts:
/// one row per function, giving the partial derivative with respect to each argument as an IR
/// expression of the arguments <c>a</c> and the result <c>r</c>. Forward mode computes
/// <c>dr = sum_i partial_i * da_i</c>; reverse mode <c>abar_i += partial_i * rbar</c>; second order
/// composes the same rows. A null partial is an exact zero.
/// </summary>
/// <remarks>
/// Conventions at non-differentiable points (also in the README): Abs'(0) = 0; at a tie Max and Min
/// split the derivative 1/2 : 1/2; Sqrt'(0) = +infinity (the limit); Pow(a, b) has d/db = 0 where
/// a &lt;= 0; Floor, Ceiling, Round and Truncate have derivative 0 everywhere; Clamp passes the
/// derivative of the bound that is active.
/// </remarks>
internal static class MathDerivativeRules
{
    private delegate Expr?[] PartialsRule(IReadOnlyList<Expr> a, Expr r);

    private static readonly Dictionary<(string Name, int Arity), PartialsRule> Table = new()
    {
        [("Sin", 1)] = (a, r) => [Call("Cos", a[0])],
        [("Cos", 1)] = (a, r) => [Neg(Call("Sin", a[0]))],
        [("Tan", 1)] = (a, r) => [Add(One, Mul(r, r))],
        [("Asin", 1)] = (a, r) => [Div(One, Call("Sqrt", Sub(One, Mul(a[0], a[0]))))],
        [("Acos", 1)] = (a, r) => [Div(D(-1.0), Call("Sqrt", Sub(One, Mul(a[0], a[0]))))],
        [("Atan", 1)] = (a, r) => [Div(One, Add(One, Mul(a[0], a[0])))],
        [("Atan2", 2)] = (a, r) =>
        [
            Div(a[1], Add(Mul(a[0], a[0]), Mul(a[1], a[1]))),
            Div(Neg(a[0]), Add(Mul(a[0], a[0]), Mul(a[1], a[1]))),
        ],
        [("Sinh", 1)] = (a, r) => [Call("Cosh", a[0])],
        [("Cosh", 1)] = (a, r) => [Call("Sinh", a[0])],
        [("Tanh", 1)] = (a, r) => [Sub(One, Mul(r, r))],
        [("Asinh", 1)] = (a, r) => [Div(One, Call("Sqrt", Add(Mul(a[0], a[0]), One)))],
        [("Acosh", 1)] = (a, r) => [Div(One, Call("Sqrt", Sub(Mul(a[0], a[0]), One)))],
        [("Atanh", 1)] = (a, r) => [Div(One, Sub(One, Mul(a[0], a[0])))],
        [("Exp", 1)] = (a, r) => [r],
        [("Log", 1)] = (a, r) => [Div(One, a[0])],
        [("Log", 2)] = (a, r) =>
        [
            Div(One, Mul(a[0], Call("Log", a[1]))),
            Div(Neg(r), Mul(a[1], Call("Log", a[1]))),
        ],
        [("Log10", 1)] = (a, r) => [Div(One, Mul(a[0], D(Math.Log(10.0))))],
        [("Log2", 1)] = (a, r) => [Div(One, Mul(a[0], D(Math.Log(2.0))))],
        [("Sqrt", 1)] = (a, r) => [Div(D(0.5), r)],
        [("Cbrt", 1)] = (a, r) => [Div(One, Mul(D(3.0), Mul(r, r)))],
        [("Pow", 2)] = PowRule,
        [("Abs", 1)] = (a, r) => [Cond(Cmp(BinaryOp.Greater, a[0], Zero), One, Cond(Cmp(BinaryOp.Less, a[0], Zero), D(-1.0), Zero))],
        [("Max", 2)] = (a, r) =>
        [
            Cond(Cmp(BinaryOp.Greater, a[0], a[1]), One, Cond(Cmp(BinaryOp.Equal, a[0], a[1]), D(0.5), Zero)),
            Cond(Cmp(BinaryOp.Less, a[0], a[1]), One, Cond(Cmp(BinaryOp.Equal, a[0], a[1]), D(0.5), Zero)),
        ],
        [("Min", 2)] = (a, r) =>
        [
            Cond(Cmp(BinaryOp.Less, a[0], a[1]), One, Cond(Cmp(BinaryOp.Equal, a[0], a[1]), D(0.5), Zero)),
            Cond(Cmp(BinaryOp.Greater, a[0], a[1]), One, Cond(Cmp(BinaryOp.Equal, a[0], a[1]), D(0.5), Zero)),
        ],
        [("Clamp", 3)] = (a, r) =>
        [
            Cond(new Binary(BinaryOp.And, Cmp(BinaryOp.GreaterOrEqual, a[0], a[1]), Cmp(BinaryOp.LessOrEqual, a[0], a[2]), IrType.Bool), One, Zero),
            Cond(Cmp(BinaryOp.Less, a[0], a[1]), One, Zero),
            Cond(Cmp(BinaryOp.Greater, a[0], a[2]), One, Zero),
        ],
        [("Hypot", 2)] = (a, r) =>
        [
            Cond(Cmp(BinaryOp.Equal, r, Zero), Zero, Div(a[0], r)),
            Cond(Cmp(BinaryOp.Equal, r, Zero), Zero, Div(a[1], r)),
        ],
        [("FusedMultiplyAdd", 3)] = (a, r) => [a[1], a[0], One],
        [("Floor", 1)] = (a, r) => [null],
        [("Ceiling", 1)] = (a, r) => [null],
        [("Round", 1)] = (a, r) => [null],
        [("Truncate", 1)] = (a, r) => [null],
    };

    /// <summary>Names of the functions with a rule, for documentation and diagnostics.</summary>
    public static IEnumerable<(string Name, int Arity)> Functions => Table.Keys;

    /// <summary>True when <c>Math.name</c> over doubles with this arity has a rule.</summary>
    public static bool Has(string name, int arity) => Table.ContainsKey((name, arity));

    /// <summary>
    /// Partial derivatives of <c>Math.name(args)</c> with respect to each argument, given the
    /// argument atoms and the atom holding the result. Entries are null where the partial is zero.
    /// </summary>
    public static Expr?[] Partials(string name, IReadOnlyList<Expr> args, Expr result) => Table[(name, args.Count)](args, result);

    private static Expr?[] PowRule(IReadOnlyList<Expr> a, Expr r)
    {
        Expr? da;
        if (a[1] is DoubleConst c)
        {
            da = c.Value switch
            {
                0.0 => null,
                1.0 => One,
                2.0 => Mul(D(2.0), a[0]),
                _ => Mul(a[1], Call("Pow", a[0], D(c.Value - 1.0))),
            };
        }
        else
        {
            da = Cond(Cmp(BinaryOp.Equal, a[1], Zero), Zero, Mul(a[1], Call("Pow", a[0], Sub(a[1], One))));
        }

        Expr? db = a[1] is DoubleConst ? null : Cond(Cmp(BinaryOp.Greater, a[0], Zero), Mul(r, Call("Log", a[0])), Zero);
        return [da, db];
    }
}
