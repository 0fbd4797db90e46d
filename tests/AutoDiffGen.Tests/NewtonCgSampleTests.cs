using System;
using System.Linq;
using AutoDiffGen.LinearAlgebra;
using NewtonCg;
using Xunit;

namespace AutoDiffGen.Tests;

/// <summary>
/// The NewtonCg sample (same source files): trust-region Newton-CG driven by the generated gradient
/// and Hessian-vector product converges on both of its problems, checked against minimisers known
/// in closed form or computed with hand-written derivatives.
/// </summary>
public class NewtonCgSampleTests
{
    [Fact]
    public void ExtendedRosenbrockConvergesToOnesSuperlinearly()
    {
        const int n = 10_000;
        var result = new NewtonCgMinimizer { GradientTolerance = 1e-8 }
            .Minimize(new ExtendedRosenbrockObjective(n), ExtendedRosenbrock.StandardStart(n));

        Assert.True(result.Converged, $"not converged: ||g|| = {result.GradientNorm} after {result.Iterations} iterations");
        double maxError = result.X.Max(xi => Math.Abs(xi - 1));
        Assert.True(maxError <= 1e-6, $"max |x_i - 1| = {maxError}");
        Assert.True(result.Value <= 1e-12, $"f = {result.Value}");

        // Exact second-order information: far fewer Newton iterations than first-order methods need.
        Assert.True(result.Iterations < 60, $"{result.Iterations} Newton iterations");

        // Superlinear end: over the last two accepted steps the gradient norm drops by more than 100x each.
        var norms = result.History.Where(h => h.Accepted || h.CgIterations == 0).Select(h => h.GradientNorm).ToArray();
        Assert.True(norms.Length >= 3);
        for (int i = norms.Length - 2; i < norms.Length; i++)
        {
            Assert.True(norms[i] <= 1e-2 * norms[i - 1], $"||g|| went from {norms[i - 1]} to {norms[i]}");
        }
    }

    [Fact]
    public void ExtendedRosenbrockHvpMatchesTheHandWrittenHessian()
    {
        // Each pair (a, b) contributes the 2 x 2 block [[1200 a^2 - 400 b + 2, -400 a], [-400 a, 200]].
        var random = new Random(4401);
        const int n = 12;
        var x = new double[n];
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (random.NextDouble() * 4) - 2;
            v[i] = random.NextDouble() - 0.5;
        }

        var hv = new double[n];
        double value = ExtendedRosenbrock.ValueHvp(x, v, hv);
        Assert.Equal(ExtendedRosenbrock.Value(x), value);
        for (int i = 0; i < n; i += 2)
        {
            double a = x[i], b = x[i + 1];
            double h11 = (1200 * a * a) - (400 * b) + 2, h12 = -400 * a, h22 = 200;
            AssertClose((h11 * v[i]) + (h12 * v[i + 1]), hv[i], 1e-12);
            AssertClose((h12 * v[i]) + (h22 * v[i + 1]), hv[i + 1], 1e-12);
        }
    }

    [Fact]
    public void LogisticRegressionConvergesToTheHandWrittenNewtonSolution()
    {
        const int samples = 2000, features = 20;
        const double lambda = 1e-3;
        var (a, y) = Logistic.SyntheticData(samples, features, seed: 2026);
        var objective = new LogisticObjective(a, y, lambda);
        var result = new NewtonCgMinimizer { GradientTolerance = 1e-10 }.Minimize(objective, new double[features + 1]);

        Assert.True(result.Converged, $"not converged: ||g|| = {result.GradientNorm}");
        Assert.True(result.Iterations <= 15, $"{result.Iterations} Newton iterations");

        // Optimality checked with the hand-written gradient (1/m) A'(sigma(z) - y) + lambda [w; 0].
        double handGradientNorm = Norm(HandGradient(a, y, lambda, result.X));
        Assert.True(handGradientNorm <= 1e-9, $"hand-written ||g|| at the solution = {handGradientNorm}");

        // Against Newton's method with the hand-written Hessian (independent of the generator).
        var reference = HandNewton(a, y, lambda, features + 1);
        Assert.True(Norm(HandGradient(a, y, lambda, reference)) <= 1e-12);
        double maxDifference = result.X.Zip(reference, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(maxDifference <= 1e-8, $"max |x - x_reference| = {maxDifference}");

        // The sample's own reference (dense Newton with the generated LossHessian) agrees too.
        var generatedReference = objective.DenseNewtonReference(1e-12, out double referenceGradientNorm, out _);
        Assert.True(referenceGradientNorm <= 1e-12, $"dense-Newton ||g|| = {referenceGradientNorm}");
        Assert.True(generatedReference.Zip(reference, (p, q) => Math.Abs(p - q)).Max() <= 1e-10);
    }

    [Fact]
    public void LogisticLossHessianMatchesTheHandWrittenHessian()
    {
        const int samples = 50, features = 4;
        const double lambda = 0.1;
        var (a, y) = Logistic.SyntheticData(samples, features, seed: 4402);
        var random = new Random(4403);
        var x = new double[features + 1];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        var hessian = new double[x.Length * x.Length];
        Logistic.LossHessian(x[..features], x[features], a, y, lambda, hessian);
        var expected = HandHessian(a, y, lambda, x);
        for (int i = 0; i < hessian.Length; i++)
        {
            AssertClose(expected.Data[i], hessian[i], 1e-12);
        }
    }

    private static void AssertClose(double expected, double actual, double relative)
    {
        double tolerance = relative * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Margin(double[] a, double[] x, int i, int d)
    {
        double z = x[d];
        for (int j = 0; j < d; j++)
        {
            z += a[(i * d) + j] * x[j];
        }

        return z;
    }

    private static double[] HandGradient(double[] a, double[] y, double lambda, double[] x)
    {
        int m = y.Length, d = x.Length - 1;
        var g = new double[d + 1];
        for (int i = 0; i < m; i++)
        {
            double r = (Sigmoid(Margin(a, x, i, d)) - y[i]) / m;
            for (int j = 0; j < d; j++)
            {
                g[j] += r * a[(i * d) + j];
            }

            g[d] += r;
        }

        for (int j = 0; j < d; j++)
        {
            g[j] += lambda * x[j];
        }

        return g;
    }

    private static Matrix HandHessian(double[] a, double[] y, double lambda, double[] x)
    {
        int m = y.Length, d = x.Length - 1, n = d + 1;
        var h = new Matrix(n, n);
        var row = new double[n];
        for (int i = 0; i < m; i++)
        {
            double s = Sigmoid(Margin(a, x, i, d));
            double weight = s * (1 - s) / m;
            for (int j = 0; j < d; j++)
            {
                row[j] = a[(i * d) + j];
            }

            row[d] = 1;
            for (int p = 0; p < n; p++)
            {
                for (int q = 0; q < n; q++)
                {
                    h[p, q] += weight * row[p] * row[q];
                }
            }
        }

        for (int j = 0; j < d; j++)
        {
            h[j, j] += lambda;
        }

        return h;
    }

    private static double[] HandNewton(double[] a, double[] y, double lambda, int n)
    {
        // The loss is strictly convex and smooth; full Newton steps from 0 converge here.
        var x = new double[n];
        var step = new double[n];
        for (int k = 0; k < 50; k++)
        {
            var g = HandGradient(a, y, lambda, x);
            if (Norm(g) <= 1e-13)
            {
                break;
            }

            for (int i = 0; i < n; i++)
            {
                g[i] = -g[i];
            }

            new CholeskyDecomposition(HandHessian(a, y, lambda, x)).Solve(g, step);
            for (int i = 0; i < n; i++)
            {
                x[i] += step[i];
            }
        }

        return x;
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(e => e * e));
}
