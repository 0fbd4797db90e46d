using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.IR;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Second order, forward over reverse: the pullback's IR (declarations, forward sweep, seeding,
/// reverse sweep, accumulation into the scalar adjoint outputs) as one statement list, flattened
/// again and run through <see cref="TangentTransform"/> with the inputs and the seed as the
/// independent variables, then cleared of dead code. The result accumulates the tangents of the
/// adjoint outputs: along a direction v with seed 1 and seed tangent 0, that is H v.
/// </summary>
internal static class ForwardOverReverse
{
    /// <param name="program">The adjoint program of the method.</param>
    /// <param name="firstOrderActive">The active set the adjoint program was built with.</param>
    /// <param name="parameters">The method's parameters.</param>
    /// <param name="adjointOutputs">For each differentiable parameter, the name its pullback accumulates into.</param>
    /// <param name="seed">Name of the seed (the adjoint of the result).</param>
    /// <param name="value">Name of the local that receives the method's value.</param>
    /// <param name="tangentNames">Tangent names of the parameters, the seed and the adjoint outputs.</param>
    /// <param name="names">Name scope of the pullback.</param>
    /// <param name="hessianVectorProduct">
    /// True for the body of <c>MHvp</c>: the seed is the constant 1 (a local the caller sets, not an
    /// independent variable, so adjoints that only scale the seed get no tangent) and the gradient
    /// itself is not wanted, so accumulations into the adjoint outputs are dropped; only their
    /// tangents, H v, are kept.
    /// </param>
    public static EquatableArray<Stmt> Apply(
        AdjointProgram program,
        HashSet<string> firstOrderActive,
        IReadOnlyList<ParamInfo> parameters,
        IReadOnlyDictionary<string, string> adjointOutputs,
        string seed,
        string value,
        IReadOnlyDictionary<string, string> tangentNames,
        NameScope names,
        bool hessianVectorProduct = false)
    {
        var differentiable = parameters.Where(p => p.IsDifferentiable).ToList();
        var ir = new List<Stmt>();
        ir.AddRange(program.Declarations);
        ir.Add(new Comment("Forward sweep: the primal and its tangent, taping what the reverse sweep needs."));
        ir.AddRange(program.Forward);
        ir.Add(new Declare(value, IrType.Double, new VarRef(program.Result, IrType.Double)));
        ir.Add(new Comment("Reverse sweep: adjoints and their tangents flow from the result back to the inputs."));
        if (program.ResultAdjoint is not null)
        {
            if (!program.Seeded) ir.Add(new Assign(program.ResultAdjoint, new VarRef(seed, IrType.Double)));
            ir.AddRange(program.Reverse);
            foreach (var p in differentiable.Where(p => p.Type == IrType.Double && firstOrderActive.Contains(p.Name)))
            {
                ir.Add(new Accumulate(adjointOutputs[p.Name], new VarRef(program.AdjointNames[p.Name], IrType.Double)));
            }
        }

        var independent = differentiable.Select(p => p.Name).ToList();
        if (!hessianVectorProduct)
        {
            independent.Add(seed);
        }

        var varied = ActivityAnalysis.Varied(ir, independent);
        var readOnlyArrays = new HashSet<string>(parameters.Where(p => p.Type is IrType.DoubleArray or IrType.IntArray).Select(p => p.Name));
        var flat = Flattening.Apply(ir, varied, names, readOnlyArrays);
        var outputs = differentiable.Select(p => adjointOutputs[p.Name]).ToList();
        var active = ActivityAnalysis.Active(flat, independent, outputs);
        var tangents = TangentTransform.Apply(flat, active, tangentNames, names, names.Fresh("unused"));

        var scalarOutputs = differentiable.Where(p => p.Type == IrType.Double).Select(p => adjointOutputs[p.Name]).ToList();
        var liveAtExit = scalarOutputs.Select(o => tangentNames[o]).Append(value);
        if (!hessianVectorProduct)
        {
            return DeadCodeElimination.Apply(tangents, liveAtExit.Concat(scalarOutputs));
        }

        var discarded = differentiable.Where(p => p.Type == IrType.DoubleArray).Select(p => adjointOutputs[p.Name]);
        return DeadCodeElimination.Apply(tangents, liveAtExit, discarded);
    }
}
