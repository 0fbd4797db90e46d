using System;

namespace AutoDiffGen.Benchmarks.Ad;

/// <summary>The extended Rosenbrock function, as a user would write it, and its hand-written gradient.</summary>
public static partial class Rosenbrock
{
    /// <summary>f(x) = sum_{i &lt; n-1} (1 - x_i)^2 + 100 (x_{i+1} - x_i^2)^2.</summary>
    [Differentiable]
    public static double Value(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }

        return sum;
    }

    /// <summary>The gradient derived by hand: the baseline the generated gradient is compared with.</summary>
    public static double HandGradient(double[] x, Span<double> gradient)
    {
        gradient.Clear();
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - (x[i] * x[i]);
            sum += (a * a) + (100 * b * b);
            gradient[i] += (-2 * a) - (400 * b * x[i]);
            gradient[i + 1] += 200 * b;
        }

        return sum;
    }
}
