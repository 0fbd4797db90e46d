using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Odd inputs must never make the generator throw (CS8784/CS8785) or emit code that does not
/// compile: every [Differentiable] method either gets companions that compile or gets at least one
/// ADG error located inside its declaration (and then no companions).
/// </summary>
public sealed class RobustnessTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using AutoDiffGen;

        """;

    /// <summary>Inputs outside the supported language: every method must get an ADG error.</summary>
    private static readonly Dictionary<string, string> Rejected = new()
    {
        ["Lambda"] = Odd("""
            [Differentiable]
            public static double Lambda(double x)
            {
                Func<double, double> f = v => v * 2.0;
                return f(x);
            }
            """),
        ["LambdaArgument"] = Odd("""
            [Differentiable]
            public static double LambdaArgument(double[] a) => a.Select(v => v * v).Sum();
            """),
        ["TryCatch"] = Odd("""
            [Differentiable]
            public static double TryCatch(double x)
            {
                try
                {
                    return Math.Log(x);
                }
                catch (ArgumentException)
                {
                    return 0.0;
                }
            }
            """),
        ["Throw"] = Odd("""
            [Differentiable]
            public static double Throw(double x)
            {
                if (x < 0.0)
                {
                    throw new ArgumentOutOfRangeException(nameof(x));
                }

                return x > 1.0 ? x : throw new InvalidOperationException();
            }
            """),
        ["Goto"] = Odd("""
            [Differentiable]
            public static double Goto(double x)
            {
                double y = x;
                if (y > 1.0)
                {
                    goto done;
                }

                y = y * y;
            done:
                return y;
            }
            """),
        ["SwitchStatement"] = Odd("""
            [Differentiable]
            public static double SwitchStatement(double x, int k)
            {
                switch (k)
                {
                    case 0:
                        return x;
                    default:
                        return x * x;
                }
            }
            """),
        ["SwitchExpressionAndPatterns"] = Odd("""
            [Differentiable]
            public static double SwitchExpressionAndPatterns(double x) => x switch { > 0.0 => x, _ => x is < -1.0 ? -x : 0.0 };
            """),
        ["LocalFunction"] = Odd("""
            [Differentiable]
            public static double LocalFunction(double x)
            {
                return Square(x);

                static double Square(double v) => v * v;
            }
            """),
        ["InstanceMethod"] = """
            public partial class OddInstance
            {
                private double _scale = 2.0;

                [Differentiable]
                public double InstanceMethod(double x) => _scale * x;
            }
            """,
        ["GenericMethod"] = Odd("""
            [Differentiable]
            public static double GenericMethod<T>(double x) => x * x;
            """),
        ["GenericType"] = """
            public static partial class OddGeneric<T>
            {
                [Differentiable]
                public static double GenericType(double x) => x * x;
            }
            """,
        ["RefOutInParams"] = Odd("""
            [Differentiable]
            public static double RefOutInParams(ref double a, out double b, in double c)
            {
                b = a * c;
                a += 1.0;
                return a * b;
            }
            """),
        ["ParamsArray"] = Odd("""
            [Differentiable]
            public static double ParamsArray(params double[] xs) => xs[0] * xs[1];
            """),
        ["NotPartial"] = """
            public static class OddNotPartial
            {
                [Differentiable]
                public static double NotPartial(double x) => x * x;
            }
            """,
        ["NonDoubleReturns"] = Odd("""
            [Differentiable]
            public static int IntReturn(double x) => (int)x;

            [Differentiable]
            public static void VoidReturn(double x)
            {
                if (x > 0.0)
                {
                    return;
                }
            }

            [Differentiable]
            public static (double, double) TupleReturn(double x) => (x, x * x);
            """),
        ["AsyncAndIterator"] = Odd("""
            [Differentiable]
            public static async Task<double> AsyncMethod(double x)
            {
                await Task.Yield();
                return x * x;
            }

            [Differentiable]
            public static IEnumerable<double> Iterator(double x)
            {
                yield return x;
                yield return x * x;
            }
            """),
        ["ConsoleWriteLine"] = Odd("""
            [Differentiable]
            public static double ConsoleWriteLine(double x)
            {
                Console.WriteLine(x);
                return x * x;
            }
            """),
        ["WriteToParameterArray"] = Odd("""
            [Differentiable]
            public static double WriteToParameterArray(double[] a, ReadOnlySpan<double> b)
            {
                a[0] += b[0];
                a = new double[3];
                return a[0];
            }
            """),
        ["Recursion"] = Odd("""
            [Differentiable]
            public static double Recursion(double x, int n) => n == 0 ? 1.0 : x * Recursion(x, n - 1);
            """),
        ["StringLocals"] = Odd("""
            [Differentiable]
            public static double StringLocals(double x)
            {
                string s = x.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string t = $"{x}" + s;
                return s.Length * x + t.Length;
            }
            """),
        ["Linq"] = Odd("""
            [Differentiable]
            public static double Linq(double[] a) => a.Sum() + a.Max();
            """),
        ["Stackalloc"] = Odd("""
            [Differentiable]
            public static double Stackalloc(double x)
            {
                Span<double> s = stackalloc double[4];
                s[0] = x;
                return s[0] * x;
            }
            """),
        ["Tuples"] = Odd("""
            [Differentiable]
            public static double Tuples(double x)
            {
                (double a, double b) = (x, x * 2.0);
                var pair = (x, 1.0);
                return a * b + pair.Item1;
            }
            """),
        ["MultiDimensionalAndJaggedArrays"] = Odd("""
            [Differentiable]
            public static double MultiDimensionalAndJaggedArrays(double x)
            {
                double[,] m = new double[2, 2];
                double[][] j = new double[2][];
                int[] k = new int[3];
                return x;
            }
            """),
        ["NullableAndObjects"] = Odd("""
            [Differentiable]
            public static double NullableAndObjects(double x)
            {
                double? n = x;
                object o = x;
                var list = new List<double> { x };
                return n.Value + list[0];
            }
            """),
        ["StaticFieldsAndProperties"] = """
            public static partial class OddState
            {
                private static double s_scale = 2.0;

                public static double Scale { get; set; } = 3.0;

                [Differentiable]
                public static double StaticFieldsAndProperties(double x) => s_scale * x + Scale;
            }
            """,
        ["ChainedAndNestedAssignments"] = Odd("""
            [Differentiable]
            public static double ChainedAndNestedAssignments(double[] a, double x)
            {
                double y;
                double z = y = x;
                double[] b = new double[2];
                int i = 0;
                b[i++] = x;
                return a[i--] * z + b[0];
            }
            """),
        ["ArrayMisuse"] = Odd("""
            [Differentiable]
            public static double ArrayMisuse(double[] a, double x)
            {
                double[] b = a;
                double[] c = new double[2];
                c = new double[3];
                return b[0] * x + new double[] { x }[0] + c[0];
            }
            """),
        ["UnsupportedMath"] = Odd("""
            [Differentiable]
            public static double UnsupportedMath(double x, float f)
            {
                return Math.IEEERemainder(x, 2.0) + Math.Abs(f) + Math.Round(x, MidpointRounding.AwayFromZero)
                    + Math.CopySign(x, -1.0) + MathF.Sin(f) + Math.BigMul(2, 3);
            }
            """),
        ["CompanionNameTaken"] = Odd("""
            [Differentiable]
            public static double Taken(double x) => x * x;

            public static double TakenJvp(double x, double dx) => 2.0 * x * dx;

            public static int TakenPullback;
            """),
        ["NoBody"] = """
            public abstract partial class OddAbstract
            {
                [Differentiable]
                public static extern double External(double x);

                [Differentiable]
                public abstract double Abstract(double x);
            }
            """,
        ["Unsafe"] = Odd("""
            [Differentiable]
            public static double Unsafe(double x)
            {
                double y = 0.0;
                lock (typeof(Odd))
                {
                    y = x;
                }

                using (var d = new System.IO.MemoryStream())
                {
                    y += d.Length;
                }

                return y;
            }
            """),
        ["VectorValuedMisuse"] = Odd("""
            [Differentiable]
            public static void CallsItself(double x, Span<double> result)
            {
                result[0] = x;
                CallsItself(x * 0.5, result);
            }

            [Differentiable]
            public static void Reassigns(double x, double[] other, Span<double> result)
            {
                result = other;
                result[0] = x;
            }

            [Differentiable]
            public static void Fills(double x, Span<double> result)
            {
                result.Fill(x);
                Span<double> alias = result;
                alias[0] = x;
            }

            [Differentiable]
            public static void ParamsSpan(double x, params Span<double> result) => result[0] = x;

            [Differentiable]
            public static void RefSpan(double x, ref Span<double> result) => result[0] = x;

            [Differentiable]
            public static void IntSpan(double x, Span<int> result) => result[0] = (int)x;

            [Differentiable]
            public static double ReturnsAndWrites(double x, Span<double> result)
            {
                result[0] = x;
                return x;
            }

            [Differentiable]
            public static void RefElement(double x, Span<double> result)
            {
                ref double first = ref result[0];
                first = x;
            }

            [Differentiable]
            public static void ReturnsValueTuple(double x, Span<double> result) => result[0] = Math.Max(x, 0.0) switch { > 1.0 => 1.0, _ => x };
            """),
    };

    /// <summary>Inputs inside the supported language, in odd places or shapes: companions must compile.</summary>
    private static readonly Dictionary<string, string> Accepted = new()
    {
        ["NestedTypes"] = """
            namespace Deep.Er
            {
                public static partial class Outer
                {
                    internal static partial class Inner
                    {
                        [Differentiable]
                        internal static double Nested(double x) => x * x;
                    }
                }
            }
            """,
        ["RecordsAndStructs"] = """
            public partial record OddRecord(int Id)
            {
                [Differentiable]
                public static double InRecord(double x) => Math.Exp(x);
            }

            public partial record struct OddRecordStruct(int Id)
            {
                [Differentiable]
                public static double InRecordStruct(double x) => Math.Sin(x);
            }

            public partial struct OddStruct
            {
                [Differentiable]
                private static double InStruct(double x) => Math.Cos(x);

                public static double Use(double x) => InStruct(x);
            }
            """,
        ["GlobalNamespace"] = """
            public static partial class OddGlobal
            {
                [Differentiable]
                public static double InGlobalNamespace(double x, double y) => x / y;
            }
            """,
        ["Checked"] = Odd("""
            [Differentiable]
            public static double Checked(double x, int n)
            {
                int k = checked(n * 2);
                unchecked
                {
                    k += 1;
                }

                return checked(x * k);
            }
            """),
        ["Overloads"] = Odd("""
            [Differentiable]
            public static double Overloaded(double x) => x * x;

            [Differentiable]
            public static double Overloaded(double x, double y) => x * y;

            [Differentiable]
            public static double UsesOverloads(double x) => Overloaded(x) + Overloaded(x, 2.0);
            """),
        ["NamesThatClashWithGeneratedNames"] = Odd("""
            [Differentiable]
            public static double Clash(double x, double dx, double tangent, double seed, double tape, double adj, double t, double value, double result, double gradX)
            {
                double t2 = x * dx;
                double x_dot = t2 * tangent;
                double x_bar = x_dot * seed + tape * adj;
                double arena = t * value + result * gradX;
                double discard = x_bar * arena;
                return discard * x;
            }
            """),
        ["VectorValuedShapes"] = """
            namespace Robust;

            public partial record struct OddVectors
            {
                [Differentiable]
                public static void ExpressionBodied(double x, Span<double> result) => result[0] = x * x;

                [Differentiable]
                public static void Empty(double x, Span<double> result)
                {
                }

                [Differentiable]
                public static void NothingDifferentiable([NoDerivative] double x, int n, Span<double> result)
                {
                    for (int i = 0; i < n && i < result.Length; i++)
                    {
                        result[i] = x * i;
                    }
                }

                [Differentiable]
                public static void Clashes(double[] jacobian, double cotangent, double resultTangent, double rows, double unit, scoped Span<double> r)
                {
                    int i = 0;
                    foreach (double v in r)
                    {
                        r[i] = v + jacobian[i % jacobian.Length] * cotangent;
                        r[i]++;
                        r[i] -= resultTangent * rows;
                        r[i] *= i % 2 == 0 ? unit : -unit;
                        i++;
                    }

                    for (int k = 0; k < r.Length; k++)
                    {
                        for (int m = 0; m < r.Length; m++)
                        {
                            if (m > k)
                            {
                                return;
                            }

                            r[k] += Math.Sin(r[m]);
                        }
                    }
                }

                [Differentiable]
                internal static void Internal(ReadOnlySpan<double> x, Span<double> result) => result[0] = Scalar(x[0]) + result[0];

                [Differentiable]
                private static double Scalar(double v) => Math.Exp(v);
            }
            """,
        ["NoParametersAndIntParameters"] = Odd("""
            [Differentiable]
            public static double Constant() => Math.PI;

            [Differentiable]
            public static double OnlyInts(int n, bool flag, int[] idx) => flag ? n * 2.0 + idx[0] : -n;

            [Differentiable]
            public static double AllNoDerivative([NoDerivative] double x) => x * x;
            """),
        ["OptionalNamedAndDefaultArguments"] = Odd("""
            [Differentiable]
            public static double Blend(double a, double b, double weight = 0.25) => weight * a + (1.0 - weight) * b;

            [Differentiable]
            public static double CallsBlend(double x, double y) => Blend(b: y * y, a: x) + Blend(x, y);
            """),
        ["InfiniteLoopsWithBreakAndReturn"] = Odd("""
            [Differentiable]
            public static double InfiniteLoops(double x, int n)
            {
                double y = x;
                int i = 0;
                while (true)
                {
                    if (i >= n)
                    {
                        break;
                    }

                    for (;;)
                    {
                        y = y * 0.5 + x;
                        if (y < 1e-3)
                        {
                            return y;
                        }

                        break;
                    }

                    do
                    {
                        i++;
                        if (i % 2 == 0)
                        {
                            continue;
                        }

                        y = Math.Sin(y);
                    }
                    while (i < 3);
                }

                for (int k = 0; k < n; k++)
                {
                }

                return y;
            }
            """),
        ["VarConstAndIncrement"] = Odd("""
            [Differentiable]
            public static double VarConstAndIncrement(double x)
            {
                const double Two = 2.0;
                var y = x * Two;
                y++;
                y--;
                y /= 3.0;
                int m = Math.Max(3, 4) + Math.Sign(y) + Math.Abs(-2);
                return y * m - Math.Round(x, 2) + default(double);
            }
            """),
        ["PartialMethodAttributeOnImplementation"] = """
            public static partial class OddPartial
            {
                public static partial double Implemented(double x);

                [Differentiable]
                public static partial double Implemented(double x) => x * x;
            }
            """,
        ["InterfaceStaticMethod"] = """
            public partial interface IOddShape
            {
                [Differentiable]
                public static double Area(double r) => Math.PI * r * r;
            }
            """,
    };

    private static string Odd(string members) => "namespace Robust;\n\npublic static partial class Odd\n{\n" + members + "\n}\n";

    public static TheoryData<string> RejectedNames => new(Rejected.Keys);

    public static TheoryData<string> AcceptedNames => new(Accepted.Keys);

    [Theory]
    [MemberData(nameof(RejectedNames))]
    public void UnsupportedInputGetsAnAdgErrorAndNoCompanions(string name)
    {
        var run = GeneratorHarness.Run(Usings + Rejected[name]);
        AssertNoGeneratorException(run);
        foreach (var method in DifferentiableMethods(run))
        {
            Assert.True(ErrorsInside(run, method).Any(), "No ADG error inside " + method.Identifier.Text);
            Assert.False(HasCompanions(run, method), "Companions generated for " + method.Identifier.Text);
        }

        run.AssertCompilesCleanly(allowAdg: true);
    }

    [Theory]
    [MemberData(nameof(AcceptedNames))]
    public void SupportedInputInOddShapesGetsCompanionsThatCompile(string name)
    {
        var run = GeneratorHarness.Run(Usings + Accepted[name]);
        AssertNoGeneratorException(run);
        Assert.Empty(run.AdgDiagnostics);
        foreach (var method in DifferentiableMethods(run))
        {
            Assert.True(HasCompanions(run, method), "No companions for " + method.Identifier.Text);
        }

        run.AssertCompilesCleanly();
    }

    [Fact]
    public void AllOddInputsTogetherInOneCompilation()
    {
        var run = GeneratorHarness.Run(Rejected.Values.Concat(Accepted.Values).Select(s => Usings + s).ToArray());
        AssertNoGeneratorException(run);
        var methods = DifferentiableMethods(run).ToList();
        Assert.True(methods.Count > 40, "Expected the whole set of odd methods, found " + methods.Count);
        foreach (var method in methods)
        {
            bool failed = ErrorsInside(run, method).Any();
            Assert.True(failed != HasCompanions(run, method), method.Identifier.Text + " must have either ADG errors or companions");
        }

        run.AssertCompilesCleanly(allowAdg: true);
    }

    private static void AssertNoGeneratorException(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        var thrown = run.GeneratorDiagnostics.Concat(run.CompilationDiagnostics)
            .Where(d => GeneratorHarness.GeneratorExceptionIds.Contains(d.Id)).ToList();
        Assert.True(thrown.Count == 0, string.Join("\n", thrown));
    }

    private static IEnumerable<MethodDeclarationSyntax> DifferentiableMethods(GeneratorRun run) =>
        run.Input.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Differentiable"));

    private static IEnumerable<Diagnostic> ErrorsInside(GeneratorRun run, MethodDeclarationSyntax method) =>
        run.AdgDiagnostics.Where(d =>
            d.Severity == DiagnosticSeverity.Error &&
            d.Location.GetLineSpan().Path == method.SyntaxTree.FilePath &&
            method.Span.Contains(d.Location.SourceSpan));

    /// <summary>
    /// Companions exist when the output compilation has a member named <c>NameGradient</c> (<c>NameJacobian</c>
    /// for a method returning void) in the method's type.
    /// </summary>
    private static bool HasCompanions(GeneratorRun run, MethodDeclarationSyntax method)
    {
        var model = run.Output.GetSemanticModel(run.Output.SyntaxTrees.First(t => t.FilePath == method.SyntaxTree.FilePath));
        var symbol = model.GetDeclaredSymbol(method);
        Assert.NotNull(symbol);
        return symbol.ContainingType.GetMembers(symbol.Name + (symbol is IMethodSymbol { ReturnsVoid: true } ? "Jacobian" : "Gradient")).OfType<IMethodSymbol>()
            .Any(m => m.DeclaringSyntaxReferences.Any(r => !run.Input.SyntaxTrees.Contains(r.SyntaxTree)));
    }
}
