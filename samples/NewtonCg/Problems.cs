using System;
using AutoDiffGen;
using AutoDiffGen.LinearAlgebra;

namespace NewtonCg;

/// <summary>
/// The extended Rosenbrock function (More, Garbow and Hillstrom, 1981), n even:
/// f(x) = sum over pairs i = 0, 2, 4, ... of 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
/// Minimum 0 at x = (1, ..., 1); standard start (-1.2, 1, -1.2, 1, ...).
/// </summary>
public static partial class ExtendedRosenbrock
{
    /// <summary>The function, written as ordinary C#; AutoDiffGen generates ValueGradient and ValueHvp beside it.</summary>
    [Differentiable]
    public static double Value(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - (x[i] * x[i]);
            sum += (100 * b * b) + (a * a);
        }

        return sum;
    }

    /// <summary>The standard starting point (-1.2, 1, -1.2, 1, ...).</summary>
    public static double[] StandardStart(int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i % 2 == 0 ? -1.2 : 1.0;
        }

        return x;
    }
}

/// <summary><see cref="ExtendedRosenbrock"/> as a Newton-CG objective: gradient and H v from the generated companions.</summary>
public sealed class ExtendedRosenbrockObjective(int dimension) : ITwiceDifferentiableObjective
{
    /// <inheritdoc/>
    public int Dimension { get; } = dimension;

    /// <inheritdoc/>
    public double Value(double[] x) => ExtendedRosenbrock.Value(x);

    /// <inheritdoc/>
    public double Gradient(double[] x, Span<double> gradient) => ExtendedRosenbrock.ValueGradient(x, gradient);

    /// <inheritdoc/>
    public void HessianVectorProduct(double[] x, ReadOnlySpan<double> direction, Span<double> hessianVector)
        => ExtendedRosenbrock.ValueHvp(x, direction, hessianVector);
}

/// <summary>
/// L2-regularised logistic regression: the mean negative log-likelihood of labels y_i in {0, 1}
/// under P(y = 1 | a_i) = sigma(a_i'w + b), plus lambda/2 ||w||^2 (the bias is not penalised).
/// </summary>
public static partial class Logistic
{
    /// <summary>
    /// (1/m) sum_i [log(1 + exp(z_i)) - y_i z_i] + lambda/2 ||w||^2 with z_i = a_i'w + b, features a
    /// row-major m x d. Written with plain loops; log(1 + exp(z)) is evaluated stably on both sides of 0.
    /// </summary>
    [Differentiable]
    public static double Loss(double[] weights, double bias, [NoDerivative] double[] features, [NoDerivative] double[] labels, [NoDerivative] double lambda)
    {
        int d = weights.Length;
        int m = labels.Length;
        double sum = 0;
        for (int i = 0; i < m; i++)
        {
            double z = bias;
            for (int j = 0; j < d; j++)
            {
                z += features[(i * d) + j] * weights[j];
            }

            double softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
            sum += softplus - (labels[i] * z);
        }

        double penalty = 0;
        for (int j = 0; j < d; j++)
        {
            penalty += weights[j] * weights[j];
        }

        return (sum / m) + (0.5 * lambda * penalty);
    }

    /// <summary>
    /// A seeded synthetic data set: features from N(0, 1), labels drawn from the logistic model with
    /// weights w*_j from N(0, 1) and bias b* = 0.5, so the classes overlap and the minimiser is finite.
    /// </summary>
    public static (double[] Features, double[] Labels) SyntheticData(int samples, int features, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var trueWeights = new double[features];
        for (int j = 0; j < features; j++)
        {
            trueWeights[j] = Normal();
        }

        var a = new double[samples * features];
        var y = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double z = 0.5;
            for (int j = 0; j < features; j++)
            {
                a[(i * features) + j] = Normal();
                z += a[(i * features) + j] * trueWeights[j];
            }

            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1.0 : 0.0;
        }

        return (a, y);
    }
}

/// <summary>
/// <see cref="Logistic.Loss"/> as a Newton-CG objective over the concatenated variables [w | b]
/// (length d + 1); gradient and H v come from the generated LossGradient and LossHvp.
/// </summary>
public sealed class LogisticObjective : ITwiceDifferentiableObjective
{
    private readonly double[] _features;
    private readonly double[] _labels;
    private readonly double _lambda;
    private readonly double[] _weights;

    /// <summary>Creates the objective for a data set (features m x d row-major, labels 0/1) and penalty lambda.</summary>
    public LogisticObjective(double[] features, double[] labels, double lambda)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        _features = features;
        _labels = labels;
        _lambda = lambda;
        _weights = new double[features.Length / labels.Length];
        Dimension = _weights.Length + 1;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public double Value(double[] x) => Logistic.Loss(Weights(x), Bias(x), _features, _labels, _lambda);

    /// <inheritdoc/>
    public double Gradient(double[] x, Span<double> gradient)
        => Logistic.LossGradient(Weights(x), Bias(x), _features, _labels, _lambda, gradient[.._weights.Length], out gradient[_weights.Length]);

    /// <inheritdoc/>
    public void HessianVectorProduct(double[] x, ReadOnlySpan<double> direction, Span<double> hessianVector)
    {
        int d = _weights.Length;
        Logistic.LossHvp(Weights(x), Bias(x), _features, _labels, _lambda, direction[..d], direction[d], hessianVector[..d], out hessianVector[d]);
    }

    /// <summary>
    /// The reference minimiser: Newton's method with the dense Hessian from the generated
    /// LossHessian (d + 1 HVPs per iteration), a Cholesky solve and Armijo backtracking, run until
    /// ||g|| &lt;= <paramref name="tolerance"/> or no further decrease.
    /// </summary>
    public double[] DenseNewtonReference(double tolerance, out double gradientNorm, out int iterations)
    {
        int n = Dimension;
        var x = new double[n];
        var g = new double[n];
        var trial = new double[n];
        var step = new double[n];
        var hessian = new Matrix(n, n);
        double f = Gradient(x, g);
        gradientNorm = Norm(g);
        for (iterations = 0; iterations < 100 && gradientNorm > tolerance; iterations++)
        {
            Logistic.LossHessian(Weights(x), Bias(x), _features, _labels, _lambda, hessian.Data);
            var negativeGradient = new double[n];
            for (int i = 0; i < n; i++)
            {
                negativeGradient[i] = -g[i];
            }

            new CholeskyDecomposition(hessian).Solve(negativeGradient, step);
            double slope = 0;
            for (int i = 0; i < n; i++)
            {
                slope += g[i] * step[i];
            }

            double t = 1;
            double fTrial;
            while (true)
            {
                for (int i = 0; i < n; i++)
                {
                    trial[i] = x[i] + (t * step[i]);
                }

                fTrial = Value(trial);
                if (fTrial <= f + (1e-4 * t * slope) || t < 1e-10)
                {
                    break;
                }

                t *= 0.5;
            }

            if (!(fTrial <= f + (1e-4 * t * slope)))
            {
                break;
            }

            (x, trial) = (trial, x);
            f = Gradient(x, g);
            gradientNorm = Norm(g);
        }

        return x;
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double e in v)
        {
            s += e * e;
        }

        return Math.Sqrt(s);
    }

    private double[] Weights(double[] x)
    {
        Array.Copy(x, _weights, _weights.Length);
        return _weights;
    }

    private double Bias(double[] x) => x[_weights.Length];
}
