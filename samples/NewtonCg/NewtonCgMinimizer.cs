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

/// <summary>One outer (Newton) iteration: the point's value and gradient norm, then the step tried from it.</summary>
/// <param name="Iteration">Zero-based outer iteration.</param>
/// <param name="Value">f(x_k).</param>
/// <param name="GradientNorm">||g(x_k)||_2.</param>
/// <param name="CgIterations">Inner conjugate-gradient iterations (one Hessian-vector product each); 0 at the final point.</param>
/// <param name="StepLength">||p||_2 of the step taken (x_{k+1} = x_k + p); 0 if the step was rejected and at the final point.</param>
/// <param name="Radius">Trust-region radius the step was computed in.</param>
/// <param name="NegativeCurvature">Whether CG stopped on a direction of non-positive curvature (the step then goes to the boundary along it).</param>
/// <param name="Accepted">Whether the step was accepted (actual/predicted reduction above the threshold).</param>
public readonly record struct NewtonCgIteration(int Iteration, double Value, double GradientNorm, int CgIterations, double StepLength, double Radius, bool NegativeCurvature, bool Accepted);

/// <summary>Outcome of <see cref="NewtonCgMinimizer.Minimize"/>.</summary>
/// <param name="X">The last iterate.</param>
/// <param name="Value">f at <paramref name="X"/>.</param>
/// <param name="GradientNorm">||g|| at <paramref name="X"/>.</param>
/// <param name="Converged">Whether ||g|| reached the tolerance.</param>
/// <param name="Iterations">Newton (outer) iterations taken, rejected steps included.</param>
/// <param name="HessianVectorProducts">Total Hessian-vector products (= total CG iterations).</param>
/// <param name="History">Every outer iteration, the final point last.</param>
public sealed record NewtonCgResult(double[] X, double Value, double GradientNorm, bool Converged, int Iterations, int HessianVectorProducts, IReadOnlyList<NewtonCgIteration> History);

/// <summary>
/// Trust-region truncated Newton (Newton-CG with Steihaug's CG; Nocedal and Wright, Numerical
/// Optimization, Algorithms 4.1 and 7.2). Each outer iteration minimises the quadratic model
/// m(p) = g'p + p'Hp/2 over ||p|| &lt;= radius by conjugate gradients from p = 0, which touch H only
/// through Hessian-vector products. CG stops when the residual satisfies ||H p + g|| &lt;= eta ||g||
/// with the forcing term eta = min(0.5, sqrt(||g||)) (superlinear local convergence), when a
/// direction of non-positive curvature appears (the step then follows it to the boundary), or when
/// the iterate would leave the region (the step stops on the boundary). The step is accepted if the
/// actual reduction is at least 1e-4 of the model's (or, once both are below the rounding of f, if f
/// does not grow beyond that rounding); the radius shrinks to a quarter of the step
/// when the model predicted badly (ratio &lt; 1/4) and doubles when it predicted well (&gt; 3/4) on the boundary.
/// </summary>
public sealed class NewtonCgMinimizer
{
    /// <summary>Stop when ||g||_2 &lt;= this.</summary>
    public double GradientTolerance { get; init; } = 1e-8;

    /// <summary>Limit on outer (Newton) iterations.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Limit on CG iterations per outer iteration; by default the dimension (at least 1).</summary>
    public int? MaxCgIterations { get; init; }

    /// <summary>Initial trust-region radius; by default max(1, ||start||_2).</summary>
    public double? InitialRadius { get; init; }

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
        double radius = InitialRadius ?? Math.Max(1.0, Math.Sqrt(Dot(x, x)));
        double maxRadius = 1e10 * radius;

        double f = objective.Gradient(x, g);
        for (int k = 0; ; k++)
        {
            double gNorm = Math.Sqrt(Dot(g, g));
            bool converged = gNorm <= GradientTolerance;
            if (converged || k == MaxIterations || !double.IsFinite(f) || radius <= 1e-14 * Math.Max(1.0, Math.Sqrt(Dot(x, x))))
            {
                var last = new NewtonCgIteration(k, f, gNorm, 0, 0, radius, false, false);
                history.Add(last);
                OnIteration?.Invoke(last);
                return new NewtonCgResult(x, f, gNorm, converged, k, hvps, history);
            }

            // Steihaug CG on H p = -g from p = 0; residual r = H p + g throughout, direction d.
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
            bool onBoundary = false;
            while (cg < maxCg)
            {
                objective.HessianVectorProduct(x, d, hd);
                cg++;
                double curvature = Dot(d, hd);
                double alpha = rr / curvature;
                negativeCurvature = curvature <= 0;
                if (negativeCurvature || StepNorm(p, d, alpha) >= radius)
                {
                    // Follow d to the boundary: the positive root of ||p + tau d|| = radius.
                    double tau = BoundaryStep(p, d, radius);
                    for (int i = 0; i < n; i++)
                    {
                        p[i] += tau * d[i];
                        r[i] += tau * hd[i];
                    }

                    onBoundary = true;
                    break;
                }

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

            // Model reduction -m(p) = -(g'p + p'Hp/2) = -(g'p + r'p)/2, since H p = r - g.
            double predicted = -0.5 * (Dot(g, p) + Dot(r, p));
            double stepNorm = Math.Sqrt(Dot(p, p));
            for (int i = 0; i < n; i++)
            {
                trial[i] = x[i] + p[i];
            }

            double fTrial = objective.Value(trial);
            // Near the solution both reductions fall below the rounding of f; the ratio is then noise, and
            // the step is judged by whether f stays within that rounding.
            double noise = 1e-15 * Math.Max(1.0, Math.Abs(f));
            double ratio = predicted <= noise
                ? (fTrial <= f + noise ? 1.0 : -1.0)
                : (f - fTrial) / predicted;
            if (!(ratio >= 0.25))
            {
                radius = 0.25 * stepNorm;
            }
            else if (ratio > 0.75 && onBoundary)
            {
                radius = Math.Min(2 * radius, maxRadius);
            }

            bool accepted = ratio > 1e-4;
            var step = new NewtonCgIteration(k, f, gNorm, cg, accepted ? stepNorm : 0, radius, negativeCurvature, accepted);
            history.Add(step);
            OnIteration?.Invoke(step);
            if (accepted)
            {
                (x, trial) = (trial, x);
                f = objective.Gradient(x, g);
            }
        }
    }

    private static double StepNorm(ReadOnlySpan<double> p, ReadOnlySpan<double> d, double alpha)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double e = p[i] + (alpha * d[i]);
            s += e * e;
        }

        return Math.Sqrt(s);
    }

    private static double BoundaryStep(ReadOnlySpan<double> p, ReadOnlySpan<double> d, double radius)
    {
        double dd = Dot(d, d);
        double pd = Dot(p, d);
        double pp = Dot(p, p);
        return (-pd + Math.Sqrt((pd * pd) + (dd * Math.Max(0.0, (radius * radius) - pp)))) / dd;
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
