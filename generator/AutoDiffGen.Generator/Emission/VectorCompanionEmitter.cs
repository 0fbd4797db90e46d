using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Transforms;

namespace AutoDiffGen.Generator.Emission;

/// <summary>
/// Emits the companions of a vector-valued method <c>static void M(p..., Span&lt;double&gt; result)</c>:
/// <c>MJvp</c> (forward mode: result and its tangent), <c>MVjp</c> (reverse mode: cotangent^T J) and
/// <c>MJacobian</c> (the dense Jacobian, by columns with MJvp or by rows with MVjp, whichever needs
/// fewer sweeps). The same transforms as for scalar methods run with the result span treated as an
/// output array: its tangent is <c>resultTangent</c>, its adjoint a copy of the cotangent.
/// </summary>
/// <remarks>
/// The initial contents of the result span are inputs of M without derivative (the body may read
/// an element before writing it); every companion sees the caller's initial contents, also when
/// the tape has to grow and the forward sweep runs again, and MJacobian evaluates every column or
/// row at them.
/// </remarks>
internal static class VectorCompanionEmitter
{
    private const string Runtime = "global::AutoDiffGen.CompilerServices";
    private const string Span = "global::System.Span<double>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<double>";

    public static string Emit(MethodModel model) => CompanionEmitter.InFile(model, w => Companions(w, model));

    private static void Companions(IndentedWriter w, MethodModel model)
    {
        var names = new NameScope(model.ReservedNames.Concat(model.Parameters.Select(p => p.Name)));
        var sig = new Signature(model, names);

        // The same pipeline as for a scalar method, with the result span as an output array that
        // is written (so never treated as read-only) and makes the values stored in it useful.
        var inputs = Differentiable(model).Select(p => p.Name).ToList();
        var varied = ActivityAnalysis.Varied(model.Body, inputs);
        var readOnly = new HashSet<string>(model.Parameters.Where(p => p.Type is IrType.DoubleArray or IrType.IntArray && p.Name != sig.Output).Select(p => p.Name));
        var flat = Flattening.Apply(model.Body, varied, names, readOnly);
        var structured = JumpElimination.Apply(flat, names, sig.ReturnValue);
        bool readsResult = IrWalk.AllStatements(model.Body).SelectMany(IrWalk.OwnExpressions).SelectMany(IrWalk.Descendants)
            .Any(e => e is ElementRef { Array: var a } && a == sig.Output || e is VarRef { Name: var n } && n == sig.Output);

        // Forward mode keeps loops and branches as written; only early returns need the jumps
        // eliminated, since the void companion cannot print the body's valueless Return.
        var forward = IrWalk.AllStatements(flat).Any(s => s is Return) ? WithoutVariable(structured, sig.ReturnValue) : flat;
        EmitJvp(w, model, sig, forward, inputs, names.Branch());
        w.Line();
        EmitVjp(w, model, sig, structured, inputs, names.Branch(), readsResult);
        w.Line();
        EmitJacobian(w, model, sig, readsResult);

    }

    /// <summary>Public and internal names of the companions, chosen once per method.</summary>
    private sealed class Signature
    {
        public Signature(MethodModel model, NameScope names)
        {
            Output = model.Output!;
            foreach (var p in Differentiable(model))
            {
                Tangents[p.Name] = names.Fresh("d" + p.Name);
                Gradients[p.Name] = names.Fresh("grad" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1));
            }

            ResultTangent = names.Fresh("resultTangent");
            Cotangent = names.Fresh("cotangent");
            Jacobian = names.Fresh("jacobian");
            Tape = names.Fresh("tape");
            TapeMark = names.Fresh("tapeMark");
            Arena = names.Fresh("arena");
            ArenaMark = names.Fresh("arenaMark");
            RetryMark = names.Fresh("retryMark");
            ReturnValue = names.Fresh("returnValue");
            OutputBar = names.Fresh(Output + "_bar");
            Initial = names.Fresh("initial");
            Final = names.Fresh("final");
            Rows = names.Fresh("rows");
            Columns = names.Fresh("columns");
            Unit = names.Fresh("unit");
            Column = names.Fresh("column");
            Row = names.Fresh("i");
            Col = names.Fresh("j");
            Cref = model.Name + "(" + string.Join(", ", model.Parameters.Select(p => CrefType(p.TypeText))) + ")";
        }

        /// <summary>The result span parameter.</summary>
        public string Output { get; }

        public Dictionary<string, string> Tangents { get; } = new();

        public Dictionary<string, string> Gradients { get; } = new();

        public string ResultTangent { get; }

        public string Cotangent { get; }

        public string Jacobian { get; }

        public string Tape { get; }

        public string TapeMark { get; }

        public string Arena { get; }

        public string ArenaMark { get; }

        /// <summary>Arena mark after the saved initial contents, to release on a retry.</summary>
        public string RetryMark { get; }

        /// <summary>The valueless return variable of jump elimination (never printed in forward mode).</summary>
        public string ReturnValue { get; }

        /// <summary>Adjoint of the result span: a mutable copy of the cotangent.</summary>
        public string OutputBar { get; }

        /// <summary>The caller's initial contents of the result span.</summary>
        public string Initial { get; }

        /// <summary>The result values at the end of the forward sweep (the reverse sweep restores older ones).</summary>
        public string Final { get; }

        public string Rows { get; }

        public string Columns { get; }

        public string Unit { get; }

        public string Column { get; }

        /// <summary>Row index of the Jacobian loops.</summary>
        public string Row { get; }

        /// <summary>Column index of the Jacobian loops.</summary>
        public string Col { get; }

        public string Cref { get; }

        private static string CrefType(string typeText) =>
            typeText.Replace("global::", string.Empty).Replace("<", "{").Replace(">", "}").Replace("?", string.Empty);
    }

    private static IEnumerable<ParamInfo> Differentiable(MethodModel model) => model.Parameters.Where(p => p.IsDifferentiable);

    private static bool IsArray(ParamInfo p) => p.Type == IrType.DoubleArray;

    private static string ParameterList(MethodModel model) =>
        string.Join(", ", model.Parameters.Select(p => p.TypeText + " " + p.Name));

    private static string Arguments(MethodModel model) => string.Join(", ", model.Parameters.Select(p => p.Name));

    private static string Join(IEnumerable<string> parts) => string.Join(", ", parts.Where(x => x.Length > 0));

    /// <summary>The attributes and the declaration line of a companion.</summary>
    private static void Declaration(IndentedWriter w, MethodModel model, string signature)
    {
        CompanionEmitter.Attributes(w);
        w.Line(model.Accessibility + " static void " + signature);
    }

    /// <summary>Documents the method's own parameters, so a documented project gets no CS1573.</summary>
    private static void PrimalParameters(IndentedWriter w, MethodModel model, Signature sig)
    {
        foreach (var p in model.Parameters)
        {
            w.Line(p.Name == sig.Output
                ? "/// <param name=\"" + p.Name + "\">Receives the values of <see cref=\"" + sig.Cref + "\"/>, exactly as it writes them (its initial contents are what the method reads before writing).</param>"
                : "/// <param name=\"" + p.Name + "\">The argument <c>" + p.Name + "</c> of <see cref=\"" + sig.Cref + "\"/>.</param>");
        }
    }

    private static void LengthChecks(IndentedWriter w, MethodModel model, Dictionary<string, string> slots)
    {
        foreach (var p in Differentiable(model).Where(IsArray))
        {
            w.Line(SameLength(p.Name, slots[p.Name]));
        }
    }

    private static string SameLength(string parameter, string slot) =>
        Runtime + ".AdChecks.SameLength(" + parameter + ".Length, " + slot + ".Length, \"" + slot + "\", \"" + parameter + "\");";

    private static void OpenArena(IndentedWriter w, Signature sig)
    {
        w.Line("var " + sig.Arena + " = " + Runtime + ".AdArena.Current;");
        w.Line("int " + sig.ArenaMark + " = " + sig.Arena + ".Mark;");
    }

    private static string Allocate(Signature sig, string name, string length) =>
        Span + " " + name + " = " + sig.Arena + ".Allocate(" + length + ");";

    // ------------------------------------------------------------------ forward mode

    private static void EmitJvp(IndentedWriter w, MethodModel model, Signature sig, EquatableArray<Stmt> flat, List<string> inputs, NameScope names)
    {
        var active = ActivityAnalysis.Active(flat, inputs, [sig.Output]);
        var tangentNames = new Dictionary<string, string>(sig.Tangents) { [sig.Output] = sig.ResultTangent };
        var body = CompanionEmitter.ForPrinting(TangentTransform.Apply(flat, active, tangentNames, names, sig.ReturnValue), names);
        bool usesArena = CompanionEmitter.UsesArena(body);

        var diff = Differentiable(model).ToList();
        w.Line("/// <summary>");
        w.Line("/// Forward mode (Jacobian-vector product) of <see cref=\"" + sig.Cref + "\"/>: writes its values into");
        if (diff.Count == 0)
        {
            w.Line("/// <paramref name=\"" + sig.Output + "\"/> and zeros into <paramref name=\"" + sig.ResultTangent + "\"/> (it has no differentiable parameters).");
        }
        else
        {
            w.Line("/// <paramref name=\"" + sig.Output + "\"/> and their directional derivatives along (" + string.Join(", ", diff.Select(p => sig.Tangents[p.Name])) + ") into");
            w.Line("/// <paramref name=\"" + sig.ResultTangent + "\"/>: the Jacobian times that direction.");
        }
        w.Line("/// </summary>");
        PrimalParameters(w, model, sig);
        foreach (var p in diff)
        {
            w.Line("/// <param name=\"" + sig.Tangents[p.Name] + "\">Direction for <paramref name=\"" + p.Name + "\"/>" + (IsArray(p) ? ", of the same length." : ".") + "</param>");
        }

        w.Line("/// <param name=\"" + sig.ResultTangent + "\">Receives the directional derivative of each element of <paramref name=\"" + sig.Output + "\"/> (0 for elements the method never writes); same length.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A direction's length differs from its parameter's, or <paramref name=\"" + sig.ResultTangent + "\"/>'s from <paramref name=\"" + sig.Output + "\"/>'s.</exception>");
        var tangentParams = diff.Select(p => (IsArray(p) ? ReadOnlySpan + " " : "double ") + sig.Tangents[p.Name]);
        Declaration(w, model, model.Name + "Jvp(" + Join(new[] { ParameterList(model) }.Concat(tangentParams).Append(Span + " " + sig.ResultTangent)) + ")");
        w.Open();
        LengthChecks(w, model, sig.Tangents);
        w.Line(SameLength(sig.Output, sig.ResultTangent));
        w.Line(sig.ResultTangent + ".Clear();");
        var printer = new StatementPrinter(w, sig.Tape, sig.Arena);
        if (usesArena)
        {
            OpenArena(w, sig);
            w.Line("try");
            w.Open();
            printer.Block(body);
            w.Close();
            w.Line("finally");
            w.Open();
            w.Line(sig.Arena + ".Release(" + sig.ArenaMark + ");");
            w.Close();
        }
        else
        {
            printer.Block(body);
        }

        w.Close();
    }

    /// <summary>
    /// <paramref name="body"/> without the declaration, assignments and final return of
    /// <paramref name="name"/> (and without the ifs left empty by their removal): the return
    /// value of jump elimination, which a void method never reads.
    /// </summary>
    private static EquatableArray<Stmt> WithoutVariable(IEnumerable<Stmt> body, string name)
    {
        var output = new List<Stmt>();
        foreach (var s in body)
        {
            switch (s)
            {
                case Declare d when d.Name == name:
                case Hoist h when h.Name == name:
                case Assign a when a.Name == name:
                case Return { Value: VarRef v } when v.Name == name:
                    break;
                case If i:
                    {
                        var then = WithoutVariable(i.Then, name);
                        var otherwise = WithoutVariable(i.Else, name);
                        if (then.Count > 0 || otherwise.Count > 0)
                        {
                            output.Add(i with { Then = then, Else = otherwise });
                        }

                        break;
                    }

                case Loop l:
                    output.Add(l with { Init = WithoutVariable(l.Init, name), Body = WithoutVariable(l.Body, name), Step = WithoutVariable(l.Step, name) });
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }

        return output.ToEquatableArray();
    }

    // ------------------------------------------------------------------ reverse mode

    private static void EmitVjp(IndentedWriter w, MethodModel model, Signature sig, EquatableArray<Stmt> structured, List<string> inputs, NameScope names, bool readsResult)
    {
        var active = ActivityAnalysis.Active(structured, inputs, [sig.Output]);
        var adjointNames = new Dictionary<string, string> { [sig.Output] = sig.OutputBar };
        foreach (var p in Differentiable(model).Where(IsArray))
        {
            adjointNames[p.Name] = sig.Gradients[p.Name];
        }

        var program = AdjointTransform.Apply(structured, active, model.Parameters.Items, adjointNames, names, outputs: [sig.Output]);
        var (printedForward, printedReverse) = CompanionEmitter.Printed(program, names);
        bool outputActive = active.Contains(sig.Output);

        // The reverse sweep restores overwritten elements of the result to the values earlier
        // statements read: keep the final values to hand back.
        bool restoresResult = IrWalk.AllStatements(program.Reverse).OfType<Store>().Any(s => s.Array == sig.Output);

        // A full tape runs the forward sweep again, which must see the caller's initial contents.
        bool savesInitial = readsResult && program.UsesTape;
        bool usesArena = program.UsesArena || outputActive || restoresResult || savesInitial;
        var diff = Differentiable(model).ToList();

        w.Line("/// <summary>");
        w.Line("/// Reverse mode (vector-Jacobian product) of <see cref=\"" + sig.Cref + "\"/>: writes its values into");
        w.Line("/// <paramref name=\"" + sig.Output + "\"/> and, into the gradient outputs, the gradient of the weighted sum of those values");
        w.Line("/// with weights <paramref name=\"" + sig.Cotangent + "\"/> (the cotangent times the Jacobian), with respect to every");
        w.Line("/// differentiable parameter (outputs are overwritten, not accumulated into).");
        w.Line("/// </summary>");
        PrimalParameters(w, model, sig);
        w.Line("/// <param name=\"" + sig.Cotangent + "\">Weight of each element of <paramref name=\"" + sig.Output + "\"/>; same length.</param>");
        foreach (var p in diff)
        {
            w.Line("/// <param name=\"" + sig.Gradients[p.Name] + "\">Receives the derivative" + (IsArray(p) ? "s" : string.Empty) + " of the weighted sum with respect to <paramref name=\"" + p.Name + "\"/>" + (IsArray(p) ? "; same length." : ".") + "</param>");
        }

        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"" + sig.Cotangent + "\"/>'s length differs from <paramref name=\"" + sig.Output + "\"/>'s, or a gradient span's from its parameter's.</exception>");
        var outputs = diff.Select(p => (IsArray(p) ? Span + " " : "out double ") + sig.Gradients[p.Name]);
        Declaration(w, model, model.Name + "Vjp(" + Join(new[] { ParameterList(model), ReadOnlySpan + " " + sig.Cotangent }.Concat(outputs)) + ")");
        w.Open();
        w.Line(SameLength(sig.Output, sig.Cotangent));
        LengthChecks(w, model, sig.Gradients);
        var printer = new StatementPrinter(w, sig.Tape, sig.Arena);
        if (program.UsesTape)
        {
            w.Line("var " + sig.Tape + " = " + Runtime + ".AdTape.Current;");
            w.Line("var " + sig.TapeMark + " = " + sig.Tape + ".Mark;");
        }

        if (usesArena)
        {
            OpenArena(w, sig);
        }

        bool guarded = program.UsesTape || usesArena;
        if (guarded)
        {
            w.Line("try");
            w.Open();
        }

        if (savesInitial)
        {
            w.Line(Allocate(sig, sig.Initial, sig.Output + ".Length"));
            w.Line(sig.Output + ".CopyTo(" + sig.Initial + ");");
            w.Line("int " + sig.RetryMark + " = " + sig.Arena + ".Mark;");
        }

        if (program.UsesTape)
        {
            // A full tape throws from the push; grow it and run again.
            w.Line("while (true)");
            w.Open();
            w.Line("try");
            w.Open();
        }

        foreach (var p in diff.Where(IsArray))
        {
            w.Line(sig.Gradients[p.Name] + ".Clear();");
        }

        printer.Block(WithoutVariable(program.Declarations, sig.ReturnValue));
        w.Line();
        w.Line("// Forward sweep: the primal computation, taping what the reverse sweep needs.");
        printer.Block(WithoutVariable(printedForward, sig.ReturnValue));
        w.Line();
        w.Line("// Reverse sweep: adjoints flow from the result elements, seeded with the cotangent, back to the inputs.");
        if (restoresResult)
        {
            w.Line(Allocate(sig, sig.Final, sig.Output + ".Length"));
            w.Line(sig.Output + ".CopyTo(" + sig.Final + ");");
        }

        if (outputActive)
        {
            w.Line(Allocate(sig, sig.OutputBar, sig.Output + ".Length"));
            w.Line(sig.Cotangent + ".CopyTo(" + sig.OutputBar + ");");
        }

        printer.Block(printedReverse);
        if (restoresResult)
        {
            w.Line(sig.Final + ".CopyTo(" + sig.Output + ");");
        }

        foreach (var p in diff.Where(p => !IsArray(p)))
        {
            w.Line(sig.Gradients[p.Name] + " = " + (active.Contains(p.Name) ? program.AdjointNames[p.Name] : "0.0") + ";");
        }

        if (program.UsesTape)
        {
            w.Line("return;");
            w.Close();
            w.Line("catch (" + Runtime + ".TapeFullException)");
            w.Open();
            w.Line(sig.Tape + ".Grow(" + sig.TapeMark + ");");
            if (usesArena) w.Line(sig.Arena + ".Release(" + (savesInitial ? sig.RetryMark : sig.ArenaMark) + ");");
            if (savesInitial) w.Line(sig.Initial + ".CopyTo(" + sig.Output + ");");
            w.Close();
            w.Close();
        }

        if (guarded)
        {
            w.Close();
            w.Line("finally");
            w.Open();
            if (usesArena) w.Line(sig.Arena + ".Release(" + sig.ArenaMark + ");");
            if (program.UsesTape) w.Line(sig.Tape + ".Release(" + sig.TapeMark + ");");
            w.Close();
        }

        w.Close();
    }

    // ------------------------------------------------------------------ Jacobian

    private static void EmitJacobian(IndentedWriter w, MethodModel model, Signature sig, bool readsResult)
    {
        var diff = Differentiable(model).ToList();

        // Where each differentiable parameter's coordinates start in the concatenation z.
        var offsets = new Dictionary<string, string>();
        int scalars = 0;
        var arrays = new List<string>();
        foreach (var p in diff)
        {
            offsets[p.Name] = Sum(scalars, arrays);
            if (IsArray(p)) arrays.Add(p.Name + ".Length");
            else scalars++;
        }

        var total = Sum(scalars, arrays);
        var z = diff.Count == 0 ? "no parameters" : string.Join(", ", diff.Select(p => "<paramref name=\"" + p.Name + "\"/>"));
        w.Line("/// <summary>");
        w.Line("/// The Jacobian of <see cref=\"" + sig.Cref + "\"/>: writes its values into <paramref name=\"" + sig.Output + "\"/> and");
        w.Line("/// its partial derivatives into <paramref name=\"" + sig.Jacobian + "\"/>, an m x N matrix in row-major order:");
        w.Line("/// <c>" + sig.Jacobian + "[i * N + j]</c> is the derivative of element i of <paramref name=\"" + sig.Output + "\"/> with respect to");
        w.Line("/// coordinate j of the concatenation of " + z + " (N coordinates in all, m = " + sig.Output + ".Length).");
        w.Line("/// Built column by column with <c>" + model.Name + "Jvp</c> when N &lt;= m, row by row with <c>" + model.Name + "Vjp</c> otherwise.");
        w.Line("/// </summary>");
        PrimalParameters(w, model, sig);
        w.Line("/// <param name=\"" + sig.Jacobian + "\">Receives the m x N Jacobian, row-major (overwritten); length m * N.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"" + sig.Jacobian + "\"/>'s length is not m * N.</exception>");
        Declaration(w, model, model.Name + "Jacobian(" + Join([ParameterList(model), Span + " " + sig.Jacobian]) + ")");
        w.Open();
        w.Line("int " + sig.Rows + " = " + sig.Output + ".Length;");
        w.Line("int " + sig.Columns + " = " + total + ";");
        w.Line(Runtime + ".AdChecks.MatrixLength(" + sig.Rows + ", " + sig.Columns + ", " + sig.Jacobian + ".Length, \"" + sig.Jacobian + "\");");
        w.Line("if (" + sig.Rows + " == 0 || " + sig.Columns + " == 0)");
        w.Open();
        w.Line(model.Name + "(" + Arguments(model) + ");");
        w.Line("return;");
        w.Close();
        w.Line();
        OpenArena(w, sig);
        w.Line("try");
        w.Open();
        if (readsResult)
        {
            // Every column (row) is evaluated at the caller's initial contents of the result.
            w.Line(Allocate(sig, sig.Initial, sig.Rows));
            w.Line(sig.Output + ".CopyTo(" + sig.Initial + ");");
        }

        // Forward mode: column j is the JVP along the j-th unit direction.
        w.Line("if (" + sig.Columns + " <= " + sig.Rows + ")");
        w.Open();
        w.Line(Allocate(sig, sig.Unit, sig.Columns));
        w.Line(Allocate(sig, sig.Column, sig.Rows));
        w.Line("for (int " + sig.Col + " = 0; " + sig.Col + " < " + sig.Columns + "; " + sig.Col + "++)");
        w.Open();
        if (readsResult) w.Line(sig.Initial + ".CopyTo(" + sig.Output + ");");
        w.Line(sig.Unit + "[" + sig.Col + "] = 1.0;");
        var directions = diff.Select(p => IsArray(p)
            ? sig.Unit + ".Slice(" + offsets[p.Name] + ", " + p.Name + ".Length)"
            : sig.Unit + "[" + offsets[p.Name] + "]");
        w.Line(model.Name + "Jvp(" + Join(new[] { Arguments(model) }.Concat(directions).Append(sig.Column)) + ");");
        w.Line(sig.Unit + "[" + sig.Col + "] = 0.0;");
        w.Line("for (int " + sig.Row + " = 0; " + sig.Row + " < " + sig.Rows + "; " + sig.Row + "++)");
        w.Open();
        w.Line(sig.Jacobian + "[" + sig.Row + " * " + sig.Columns + " + " + sig.Col + "] = " + sig.Column + "[" + sig.Row + "];");
        w.Close();
        w.Close();
        w.Close();

        // Reverse mode: row i is the VJP with the i-th unit cotangent, written in place.
        w.Line("else");
        w.Open();
        w.Line(Allocate(sig, sig.Unit, sig.Rows));
        w.Line("for (int " + sig.Row + " = 0; " + sig.Row + " < " + sig.Rows + "; " + sig.Row + "++)");
        w.Open();
        if (readsResult) w.Line(sig.Initial + ".CopyTo(" + sig.Output + ");");
        w.Line(sig.Unit + "[" + sig.Row + "] = 1.0;");
        string RowStart(string offset) => sig.Row + " * " + sig.Columns + (offset == "0" ? string.Empty : " + " + offset);
        var rows = diff.Select(p => IsArray(p)
            ? sig.Jacobian + ".Slice(" + RowStart(offsets[p.Name]) + ", " + p.Name + ".Length)"
            : "out " + sig.Jacobian + "[" + RowStart(offsets[p.Name]) + "]");
        w.Line(model.Name + "Vjp(" + Join(new[] { Arguments(model), sig.Unit }.Concat(rows)) + ");");
        w.Line(sig.Unit + "[" + sig.Row + "] = 0.0;");
        w.Close();
        w.Close();
        w.Close();
        w.Line("finally");
        w.Open();
        w.Line(sig.Arena + ".Release(" + sig.ArenaMark + ");");
        w.Close();
        w.Close();
    }

    /// <summary>A count of scalars plus array lengths as C#, e.g. <c>2 + x.Length</c>.</summary>
    private static string Sum(int scalars, List<string> lengths)
    {
        var terms = new List<string>();
        if (scalars > 0 || lengths.Count == 0) terms.Add(scalars.ToString(CultureInfo.InvariantCulture));
        terms.AddRange(lengths);
        return string.Join(" + ", terms);
    }
}
