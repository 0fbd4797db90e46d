using System;
using System.Collections.Generic;

namespace NewtonCg;

/// <summary>
/// A smooth objective as Newton-CG sees it: value, gradient and Hessian-vector product at a point.
/// The implementations in this sample forward to the companions AutoDiffGen generates for a
/// <c>[Differentiable]</c> method (<c>MGradient</c>, <c>MHvp</c>); the Hessian is never formed.
/// </summary>
public interface ITwiceDifferentiableObjective
{
    /// <summary>Number of variables.</summary>
    int Dimension { get; }

    /// <summary>f(x).</summary>
    double Value(double[] x);

    /// <summary>Writes the gradient of f at x into <paramref name="gradient"/> and returns f(x).</summary>
    double Gradient(double[] x, Span<double> gradient);

    /// <summary>Writes H(x) v into <paramref name="hessianVector"/> (overwritten).</summary>
    void HessianVectorProduct(double[] x, ReadOnlySpan<double> direction, Span<double> hessianVector);
}

/// <summary>One outer (Newton) iteration: the point's value and gradient norm, then the step taken from it.</summary>
/// <param name="Iteration">Zero-based outer iteration.</param>
/// <param name="Value">f(x_k).</param>
/// <param name="GradientNorm">||g(x_k)||_2.</param>
/// <param name="CgIterations">Inner conjugate-gradient iterations (one Hessian-vector product each); 0 at the final point.</param>
/// <param name="StepLength">Accepted Armijo step length t (x_{k+1} = x_k + t p); 0 at the final point.</param>
/// <param name="NegativeCurvature">Whether CG stopped on a direction of non-positive curvature.</param>
public readonly record struct NewtonCgIteration(int Iteration, double Value, double GradientNorm, int CgIterations, double StepLength, bool NegativeCurvature);

/// <summary>Outcome of <see cref="NewtonCgMinimizer.Minimize"/>.</summary>
/// <param name="X">The last iterate.</param>
/// <param name="Value">f at <paramref name="X"/>.</param>
/// <param name="GradientNorm">||g|| at <paramref name="X"/>.</param>
/// <param name="Converged">Whether ||g|| reached the tolerance.</param>
/// <param name="Iterations">Newton (outer) iterations taken.</param>
/// <param name="HessianVectorProducts">Total Hessian-vector products (= total CG iterations).</param>
/// <param name="History">Every outer iteration, the final point last.</param>
public sealed record NewtonCgResult(double[] X, double Value, double GradientNorm, bool Converged, int Iterations, int HessianVectorProducts, IReadOnlyList<NewtonCgIteration> History);

/// <summary>
/// Line-search truncated Newton (Newton-CG; Nocedal and Wright, Numerical Optimization, Algorithm 7.1).
/// Each outer iteration solves H p = -g approximately by conjugate gradients, which touches H only
/// through Hessian-vector products, up to the forcing term ||H p + g|| &lt;= eta_k ||g|| with
/// eta_k = min(0.5, sqrt(||g||)) (superlinear local convergence); CG stops early on a direction of
/// non-positive curvature (then the last iterate, or -g on the first CG step, is used), and an
/// Armijo backtracking line search with initial step 1 picks the step length.
/// </summary>
public sealed class NewtonCgMinimizer
{
    /// <summary>Stop when ||g||_2 &lt;= this.</summary>
    public double GradientTolerance { get; init; } = 1e-8;

    /// <summary>Limit on outer (Newton) iterations.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Limit on CG iterations per outer iteration; by default the dimension (at least 1).</summary>
    public int? MaxCgIterations { get; init; }

    /// <summary>Sufficient-decrease constant c1 of the Armijo condition f(x + t p) &lt;= f(x) + c1 t g'p.</summary>
    public double ArmijoConstant { get; init; } = 1e-4;

    /// <summary>Step-length reduction factor of the backtracking line search.</summary>
    public double Backtracking { get; init; } = 0.5;

    /// <summary>Called after every outer iteration (including the final point), e.g. to print it.</summary>
    public Action<NewtonCgIteration>? OnIteration { get; init; }

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/> (not modified).</summary>
    public NewtonCgResult Minimize(ITwiceDifferentiableObjective objective, ReadOnlySpan<double> start)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = objective.Dimension;
        if (start.Length != n)
        {
            throw new ArgumentException($"start has length {start.Length}, the objective has {n} variables.", nameof(start));
        }

        int maxCg = MaxCgIterations ?? Math.Max(1, n);
        double[] x = start.ToArray();
        double[] trial = new double[n];
        double[] g = new double[n];
        double[] p = new double[n];
        double[] r = new double[n];
        double[] d = new double[n];
        double[] hd = new double[n];
        var history = new List<NewtonCgIteration>();
        int hvps = 0;

        double f = objective.Gradient(x, g);
        for (int k = 0; ; k++)
        {
            double gNorm = Math.Sqrt(Dot(g, g));
            if (gNorm <= GradientTolerance || k == MaxIterations || !double.IsFinite(f))
            {
                var last = new NewtonCgIteration(k, f, gNorm, 0, 0, false);
                history.Add(last);
                OnIteration?.Invoke(last);
                return new NewtonCgResult(x, f, gNorm, gNorm <= GradientTolerance, k, hvps, history);
            }

            // Inner CG on H p = -g from p = 0: residual r = H p + g, direction d.
            double eta = Math.Min(0.5, Math.Sqrt(gNorm));
            Array.Clear(p);
            g.CopyTo(r, 0);
            for (int i = 0; i < n; i++)
            {
                d[i] = -r[i];
            }

            double rr = Dot(r, r);
            int cg = 0;
            bool negativeCurvature = false;
            while (cg < maxCg)
            {
                objective.HessianVectorProduct(x, d, hd);
                cg++;
                double curvature = Dot(d, hd);
                if (curvature <= 1e-12 * Dot(d, d))
                {
                    negativeCurvature = true;
                    if (cg == 1)
                    {
                        // No useful curvature along -g: take the steepest-descent direction.
                        for (int i = 0; i < n; i++)
                        {
                            p[i] = -g[i];
                        }
                    }

                    break;
                }

                double alpha = rr / curvature;
                for (int i = 0; i < n; i++)
                {
                    p[i] += alpha * d[i];
                    r[i] += alpha * hd[i];
                }

                double rrNext = Dot(r, r);
                if (Math.Sqrt(rrNext) <= eta * gNorm)
                {
                    break;
                }

                double beta = rrNext / rr;
                rr = rrNext;
                for (int i = 0; i < n; i++)
                {
                    d[i] = -r[i] + (beta * d[i]);
                }
            }

            hvps += cg;

            // Armijo backtracking along p (a descent direction: CG iterates from 0 satisfy g'p < 0).
            double slope = Dot(g, p);
            double t = 1.0;
            double fTrial;
            int halvings = 0;
            while (true)
            {
                for (int i = 0; i < n; i++)
                {
                    trial[i] = x[i] + (t * p[i]);
                }

                fTrial = objective.Value(trial);
                if (fTrial <= f + (ArmijoConstant * t * slope) || halvings == 60)
                {
                    break;
                }

                t *= Backtracking;
                halvings++;
            }

            var step = new NewtonCgIteration(k, f, gNorm, cg, t, negativeCurvature);
            history.Add(step);
            OnIteration?.Invoke(step);
            if (!(fTrial <= f + (ArmijoConstant * t * slope)))
            {
                // The line search failed: no sufficient decrease along p. Report where we are.
                return new NewtonCgResult(x, f, gNorm, false, k, hvps, history);
            }

            (x, trial) = (trial, x);
            f = objective.Gradient(x, g);
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
