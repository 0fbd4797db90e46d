// AutoDiffGen quickstart: mark a static method of a partial class with [Differentiable] and the
// build generates, beside it, exact derivatives:
//
//   double LossJvp(double[] w, double[] x, double bias, ReadOnlySpan<double> dw, double dbias, out double tangent)
//   double LossGradient(double[] w, double[] x, double bias, Span<double> gradW, out double gradBias)
//
// This program prints the value, the gradient and a directional derivative (JVP) of a small
// function, and checks both against central finite differences.

using System;
using System.Globalization;
using AutoDiffGen;
using Quickstart;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

double[] w = [0.5, -1.25, 2.0];
double[] x = [1.0, 0.3, -0.7];
double bias = 0.1;

// 1. The function itself.
double value = Model.Loss(w, x, bias);
Console.WriteLine("Loss(w, x, bias) = log(1 + exp(<w, x> + bias)) + 0.05 * |w|^2 + 0.1 * sin(bias)");
Console.WriteLine($"  w = [{string.Join(", ", w)}], x = [{string.Join(", ", x)}], bias = {bias}");
Console.WriteLine($"  value      = {value:R}");

// 2. Reverse mode: the whole gradient in one call (x is [NoDerivative] data: no gradient slot).
double[] gradW = new double[w.Length];
Model.LossGradient(w, x, bias, gradW, out double gradBias);
Console.WriteLine($"  gradient   = dL/dw [{Format(gradW)}], dL/dbias {gradBias:R}");

// 3. Forward mode: the derivative along one direction (dw, dbias).
double[] dw = [1.0, 0.5, -0.25];
double dbias = 2.0;
Model.LossJvp(w, x, bias, dw, dbias, out double jvp);
Console.WriteLine($"  JVP along dw = [{string.Join(", ", dw)}], dbias = {dbias}: {jvp:R}");

// 4. Check against central finite differences, (f(p + h e) - f(p - h e)) / 2h.
double maxGradientError = 0;
for (int i = 0; i < w.Length; i++)
{
    double fd = CentralDifference(t =>
    {
        double[] shifted = (double[])w.Clone();
        shifted[i] += t;
        return Model.Loss(shifted, x, bias);
    });
    maxGradientError = Math.Max(maxGradientError, Math.Abs(fd - gradW[i]));
}

double fdBias = CentralDifference(t => Model.Loss(w, x, bias + t));
maxGradientError = Math.Max(maxGradientError, Math.Abs(fdBias - gradBias));

double fdJvp = CentralDifference(t =>
{
    double[] moved = new double[w.Length];
    for (int i = 0; i < w.Length; i++)
    {
        moved[i] = w[i] + (t * dw[i]);
    }

    return Model.Loss(moved, x, bias + (t * dbias));
});
double jvpError = Math.Abs(fdJvp - jvp);

const double Tolerance = 1e-6;
Console.WriteLine();
Console.WriteLine("Check against central finite differences (tolerance " + Tolerance + "):");
Console.WriteLine($"  max |gradient - finite differences| = {maxGradientError:E2}");
Console.WriteLine($"  |JVP - finite differences|          = {jvpError:E2}");

bool ok = maxGradientError <= Tolerance && jvpError <= Tolerance;
Console.WriteLine(ok ? "OK: the generated derivatives agree with finite differences." : "FAILED: a generated derivative disagrees with finite differences.");
return ok ? 0 : 1;

static double CentralDifference(Func<double, double> f)
{
    const double h = 1e-6;
    return (f(h) - f(-h)) / (2 * h);
}

static string Format(double[] values) => string.Join(", ", Array.ConvertAll(values, v => v.ToString("R", CultureInfo.InvariantCulture)));

namespace Quickstart
{
    /// <summary>The function to differentiate: an ordinary static method of a partial class.</summary>
    public static partial class Model
    {
        /// <summary>A logistic loss with L2 regularisation; x is data, so it is [NoDerivative].</summary>
        [Differentiable]
        public static double Loss(double[] w, [NoDerivative] double[] x, double bias)
        {
            double z = bias;
            double norm = 0;
            for (int i = 0; i < w.Length; i++)
            {
                z += w[i] * x[i];
                norm += w[i] * w[i];
            }

            return Math.Log(1 + Math.Exp(z)) + (0.05 * norm) + (0.1 * Math.Sin(bias));
        }
    }
}
