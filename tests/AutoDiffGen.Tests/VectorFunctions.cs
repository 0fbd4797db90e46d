using System;

namespace AutoDiffGen.Tests;

/// <summary>
/// Vector-valued [Differentiable] methods: each returns void and writes its values into a last
/// parameter <c>Span&lt;double&gt; result</c>. Together they cover loops of every kind, branches,
/// early returns, local arrays, Math functions, array, span, scalar, [NoDerivative] and int
/// parameters, calls of scalar [Differentiable] methods, results read after being written and
/// results whose initial contents are read, with fewer and with more inputs than outputs.
/// </summary>
public static partial class Vectors
{
    /// <summary>f(x, y) = (x + y, x - y).</summary>
    [Differentiable]
    public static void SumDifference(double x, double y, Span<double> result)
    {
        result[0] = x + y;
        result[1] = x - y;
    }

    /// <summary>(r cos t, r sin t, r^2, atan2(r sin t, r cos t)): scalars only, 2 inputs, 4 outputs.</summary>
    [Differentiable]
    public static void Polar(double r, double t, Span<double> result)
    {
        double c = Math.Cos(t);
        double s = Math.Sin(t);
        result[0] = r * c;
        result[1] = r * s;
        result[2] = r * r;
        result[3] = Math.Atan2(result[1], result[0]) + Math.Sqrt(r);
    }

    /// <summary>Softmax: a max-shift loop, Exp, and every element divided in place by the sum (read after write).</summary>
    [Differentiable]
    public static void Softmax(double[] x, Span<double> result)
    {
        double shift = x[0];
        foreach (double v in x)
        {
            shift = Math.Max(shift, v);
        }

        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = Math.Exp(x[i] - shift);
            sum += result[i];
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }
    }

    /// <summary>
    /// Branches, ?:, Abs, Sqrt, Tanh, a while loop with break and a [NoDerivative] array: three
    /// outputs from an array and a scalar (more inputs than outputs).
    /// </summary>
    [Differentiable]
    public static void Branchy(double[] x, double s, [NoDerivative] double[] w, Span<double> result)
    {
        double pos = 0.0;
        double neg = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i] * w[i];
            if (v > 0.0)
            {
                pos += v * s;
            }
            else
            {
                neg += Math.Abs(v) + (s > 0.0 ? s * s : -s);
            }
        }

        result[0] = pos - neg;
        result[1] = Math.Sqrt(pos * pos + neg * neg + 1.0);

        // Newton-like damping until small, at most x.Length steps.
        double d = Math.Tanh(x[0] + s);
        int k = 0;
        while (true)
        {
            if (k >= x.Length)
            {
                break;
            }

            d = 0.5 * d + 0.25 * x[k] * s;
            k++;
        }

        result[2] = d * result[0];
    }

    /// <summary>
    /// Repeated smoothing of prefix sums in local arrays re-created on every round (int rounds),
    /// a span input and [NoDerivative] weights.
    /// </summary>
    [Differentiable]
    public static void Smoothed(ReadOnlySpan<double> x, [NoDerivative] double[] w, int rounds, Span<double> result)
    {
        int n = x.Length;
        double[] cur = new double[n];
        cur[0] = x[0];
        for (int i = 1; i < n; i++)
        {
            cur[i] = cur[i - 1] + x[i] * w[i];
        }

        for (int r = 0; r < rounds; r++)
        {
            double[] next = new double[n];
            for (int i = 0; i < n; i++)
            {
                double left = i > 0 ? cur[i - 1] : cur[i];
                double right = i < n - 1 ? cur[i + 1] : cur[i];
                next[i] = (left + 2.0 * cur[i] + right) / 4.0 + 0.1 * Math.Sin(cur[i]);
            }

            for (int i = 0; i < n; i++)
            {
                cur[i] = next[i];
            }
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = cur[i] * cur[n - 1 - i];
        }
    }

    /// <summary>
    /// Calls of scalar [Differentiable] methods, one of them with the result span itself (written
    /// before, overwritten after).
    /// </summary>
    [Differentiable]
    public static void WithCalls(double[] x, double a, Span<double> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Calls.Square(x[i] - a) + CallHelpers.Scaled(x[i], 0.5, 3);
        }

        double norm = CallHelpers.SumOfSquares(x);
        double inner = CallHelpers.Dot(x, result);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = result[i] * norm - inner * x[i];
        }
    }

    /// <summary>Early returns at the top level and from inside a loop; a do-while loop.</summary>
    [Differentiable]
    public static void EarlyExit(double[] x, Span<double> result)
    {
        double acc = 1.0;
        int k = 0;
        do
        {
            acc = acc * x[k] + 1.0;
            k++;
        }
        while (k < x.Length);

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = acc * x[i % x.Length];
        }

        if (x[0] > 0.0)
        {
            result[0] = Math.Exp(x[1]) * acc;
            return;
        }

        for (int i = 1; i < result.Length; i++)
        {
            result[i] = Math.Log(1.0 + result[i] * result[i]);
            if (result[i] > 0.3)
            {
                result[0] = result[i];
                return;
            }
        }

        result[0] = -acc;
    }

    /// <summary>
    /// Reads the initial contents of the result: y_i = (c_i + x p_i) * x for initial contents c,
    /// then an element overwritten after being read.
    /// </summary>
    [Differentiable]
    public static void Accumulating(double x, double[] p, Span<double> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] += x * p[i];
            result[i] *= x;
        }

        double first = result[0];
        result[0] = first * result[result.Length - 1];
        result[result.Length - 1] = Math.Cosh(first);
    }

    /// <summary>Explicit Euler steps of a nonlinear ODE with rate k: state in a local array.</summary>
    [Differentiable]
    public static void Euler(double[] y0, double k, int steps, Span<double> result)
    {
        int n = y0.Length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = y0[i];
        }

        double h = 1.0 / steps;
        for (int s = 0; s < steps; s++)
        {
            double coupling = 0.0;
            for (int i = 0; i < n; i++)
            {
                coupling += y[i];
            }

            coupling /= n;
            for (int i = 0; i < n; i++)
            {
                y[i] += h * (-k * y[i] * y[i] + Math.Sin(coupling));
            }
        }

        for (int i = 0; i < n; i++)
        {
            result[i] = y[i];
        }
    }

    /// <summary>A dense layer tanh(W x + b), W m x n row-major: many more inputs than outputs.</summary>
    [Differentiable]
    public static void Layer(double[] weights, double[] bias, ReadOnlySpan<double> x, Span<double> result)
    {
        int n = x.Length;
        for (int i = 0; i < bias.Length; i++)
        {
            double s = bias[i];
            for (int j = 0; j < n; j++)
            {
                s += weights[i * n + j] * x[j];
            }

            result[i] = Math.Tanh(s);
        }
    }

    /// <summary>Residuals of the extended Rosenbrock function (least-squares form).</summary>
    [Differentiable]
    public static void RosenbrockResiduals(double[] x, Span<double> result)
    {
        for (int i = 0; i < x.Length / 2; i++)
        {
            result[2 * i] = 10.0 * (x[2 * i + 1] - x[2 * i] * x[2 * i]);
            result[2 * i + 1] = 1.0 - x[2 * i];
        }
    }

    /// <summary>
    /// Nonlinear read-modify-write of each element in a nested loop: every overwrite of an element
    /// the reverse sweep reads again must be taped.
    /// </summary>
    [Differentiable]
    public static void Recurrence(double[] x, Span<double> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = 0.1 * (i + 1);
            for (int j = 0; j < x.Length; j++)
            {
                result[i] = (result[i] * 0.5) + Math.Sin(x[j] * result[i]) + (x[j] * x[j] * 0.1);
                if (i > 0)
                {
                    result[i] += result[i - 1] * x[j] * 0.25;
                }
            }
        }
    }

    /// <summary>
    /// The result span passed to a scalar [Differentiable] method in a loop that overwrites one
    /// element per iteration: each call's pullback must see the contents of its own iteration.
    /// </summary>
    [Differentiable]
    public static void RepeatedDots(double[] x, double s, Span<double> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = x[i] * s;
        }

        for (int k = 0; k < result.Length; k++)
        {
            result[k] = (0.1 * CallHelpers.Dot(result, result)) + x[k];
        }
    }

    /// <summary>Writes only the even elements; the odd ones keep their initial contents.</summary>
    [Differentiable]
    public static void EvenOnly(double x, double y, Span<double> result)
    {
        for (int i = 0; i < result.Length; i += 2)
        {
            result[i] = Math.Pow(x, i + 1) * y;
        }
    }
}
