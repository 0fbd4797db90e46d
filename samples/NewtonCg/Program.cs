// Newton-CG with generated second derivatives. For a [Differentiable] method
//
//   static double Value(double[] x)
//
// AutoDiffGen generates, beside the gradient ValueGradient(x, Span<double> gradX),
//
//   double ValueHvp(double[] x, ReadOnlySpan<double> vX, Span<double> hvX)   // H(x) v, exact
//   double ValueHessian(double[] x, Span<double> hessian)                    // dense N x N
//
// NewtonCgMinimizer (trust-region Newton-CG) solves each Newton system H p = -g approximately by
// conjugate gradients using only Hvp, so the Hessian is never formed. This program minimises the
// extended Rosenbrock function (n = 10,000) and an L2-regularised logistic-regression loss, prints
// the iterations, checks the solutions and exits with 1 if either check fails.

using System;
using System.Diagnostics;
using System.Globalization;
using NewtonCg;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool ok = true;

static void Print(NewtonCgIteration it) => Console.WriteLine(
    $"{it.Iteration,5}  {it.Value,24:E15}  {it.GradientNorm,10:E3}  {it.CgIterations,4}{(it.NegativeCurvature ? "*" : " ")}  {(it.Accepted || it.CgIterations == 0 ? it.StepLength.ToString("E3", CultureInfo.InvariantCulture) : "rejected"),10}  {it.Radius,10:E3}");

const string Header = " iter                         f       ||g||    CG        step      radius";

// (a) Extended Rosenbrock, n = 10,000, from (-1.2, 1, -1.2, 1, ...).
const int N = 10_000;
Console.WriteLine($"(a) Extended Rosenbrock, n = {N:N0}, start (-1.2, 1, ...); stop at ||g|| <= 1e-8");
Console.WriteLine("    (CG: inner iterations = Hessian-vector products, * = stopped on negative curvature;");
Console.WriteLine("     step: ||p|| of the step taken; radius: the trust region's radius after the step)");
Console.WriteLine(Header);
var clock = Stopwatch.StartNew();
var rosenbrock = new NewtonCgMinimizer { GradientTolerance = 1e-8, OnIteration = Print }
    .Minimize(new ExtendedRosenbrockObjective(N), ExtendedRosenbrock.StandardStart(N));
clock.Stop();
double maxError = 0;
foreach (double xi in rosenbrock.X)
{
    maxError = Math.Max(maxError, Math.Abs(xi - 1));
}

bool rosenbrockOk = rosenbrock.Converged && maxError <= 1e-6;
Console.WriteLine($"    {rosenbrock.Iterations} Newton iterations, {rosenbrock.HessianVectorProducts} HVPs, {clock.Elapsed.TotalMilliseconds:F0} ms");
Console.WriteLine($"    max |x_i - 1| = {maxError:E2} (tolerance 1e-6), f = {rosenbrock.Value:E2}, ||g|| = {rosenbrock.GradientNorm:E2}: {(rosenbrockOk ? "OK" : "FAILED")}");
ok &= rosenbrockOk;

// (b) Logistic regression, 2000 samples x 20 features, lambda = 1e-3, from w = 0, b = 0.
const int Samples = 2000;
const int Features = 20;
const double Lambda = 1e-3;
Console.WriteLine();
Console.WriteLine($"(b) L2-regularised logistic regression, {Samples} samples x {Features} features (+ bias), lambda = {Lambda}; stop at ||g|| <= 1e-10");
Console.WriteLine(Header);
var (features, labels) = Logistic.SyntheticData(Samples, Features, seed: 2026);
var logisticObjective = new LogisticObjective(features, labels, Lambda);
clock.Restart();
var logistic = new NewtonCgMinimizer { GradientTolerance = 1e-10, OnIteration = Print }
    .Minimize(logisticObjective, new double[logisticObjective.Dimension]);
clock.Stop();
Console.WriteLine($"    {logistic.Iterations} Newton iterations, {logistic.HessianVectorProducts} HVPs, {clock.Elapsed.TotalMilliseconds:F0} ms");

// Reference: Newton's method with the dense Hessian from the generated LossHessian.
double[] reference = logisticObjective.DenseNewtonReference(1e-12, out double referenceGradientNorm, out int referenceIterations);
double maxDifference = 0;
for (int i = 0; i < reference.Length; i++)
{
    maxDifference = Math.Max(maxDifference, Math.Abs(logistic.X[i] - reference[i]));
}

bool logisticOk = logistic.Converged && maxDifference <= 1e-8;
Console.WriteLine($"    reference (dense Newton with LossHessian): {referenceIterations} iterations, ||g|| = {referenceGradientNorm:E2}");
Console.WriteLine($"    ||g|| = {logistic.GradientNorm:E2}, max |x - x_reference| = {maxDifference:E2} (tolerance 1e-8): {(logisticOk ? "OK" : "FAILED")}");
ok &= logisticOk;

Console.WriteLine();
Console.WriteLine(ok ? "OK: both problems converged." : "FAILED: a problem did not converge.");
return ok ? 0 : 1;
