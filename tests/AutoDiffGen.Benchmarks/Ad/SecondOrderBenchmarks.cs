using System;
using BenchmarkDotNet.Attributes;

namespace AutoDiffGen.Benchmarks.Ad;

// Run: dotnet run -c Release --project tests/AutoDiffGen.Benchmarks -- --filter "*SecondOrder*"
// (add --job short for a quick run).

/// <summary>Rosenbrock, n = 100,000: generated Hessian-vector product against the primal (and the gradient).</summary>
[MemoryDiagnoser]
public class RosenbrockSecondOrderBenchmarks
{
    private double[] _x = [];
    private double[] _direction = [];
    private double[] _gradient = [];
    private double[] _hessianVector = [];

    [Params(100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _x = new double[N];
        _direction = new double[N];
        for (int i = 0; i < N; i++)
        {
            _x[i] = random.NextDouble() * 2 - 1;
            _direction[i] = random.NextDouble() - 0.5;
        }

        _gradient = new double[N];
        _hessianVector = new double[N];
    }

    [Benchmark(Baseline = true)]
    public double Primal() => Rosenbrock.Value(_x);

    [Benchmark]
    public double GeneratedGradient() => Rosenbrock.ValueGradient(_x, _gradient);

    [Benchmark]
    public double GeneratedHvp() => Rosenbrock.ValueHvp(_x, _direction, _hessianVector);
}

/// <summary>ADBench GMM, d = 10, K = 25, n = 1000: generated Hessian-vector product against the primal (and the gradient).</summary>
[MemoryDiagnoser]
public class GmmSecondOrderBenchmarks
{
    private const int D = 10;
    private const int K = 25;
    private const int Points = 1000;
    private double[] _alphas = [];
    private double[] _means = [];
    private double[] _icf = [];
    private double[] _x = [];
    private double[] _gAlphas = [];
    private double[] _gMeans = [];
    private double[] _gIcf = [];
    private double[] _vAlphas = [];
    private double[] _vMeans = [];
    private double[] _vIcf = [];
    private double[] _hvAlphas = [];
    private double[] _hvMeans = [];
    private double[] _hvIcf = [];

    [GlobalSetup]
    public void Setup()
    {
        (_alphas, _means, _icf, _x) = Gmm.Data(D, K, Points, 7);
        _gAlphas = new double[_alphas.Length];
        _gMeans = new double[_means.Length];
        _gIcf = new double[_icf.Length];
        (_vAlphas, _vMeans, _vIcf, _) = Gmm.Data(D, K, 1, 8);
        _hvAlphas = new double[_alphas.Length];
        _hvMeans = new double[_means.Length];
        _hvIcf = new double[_icf.Length];
    }

    [Benchmark(Baseline = true)]
    public double Primal() => Gmm.Objective(_alphas, _means, _icf, _x, 1.0, 0, D, K);

    [Benchmark]
    public double GeneratedGradient() => Gmm.ObjectiveGradient(_alphas, _means, _icf, _x, 1.0, 0, D, K, _gAlphas, _gMeans, _gIcf);

    [Benchmark]
    public double GeneratedHvp() => Gmm.ObjectiveHvp(_alphas, _means, _icf, _x, 1.0, 0, D, K, _vAlphas, _vMeans, _vIcf, _hvAlphas, _hvMeans, _hvIcf);
}

/// <summary>
/// The full Hessian of a 100-variable function with couplings everywhere, the GMM objective with
/// d = 3, K = 10 (10 alphas + 30 means + 60 icf entries) on 200 points, three ways: the generated
/// dense Hessian, 100 generated Hessian-vector products with the unit vectors, and central finite
/// differences of the generated gradient (200 gradients). Each fills the same 100 x 100 matrix.
/// </summary>
[MemoryDiagnoser]
public class HessianSecondOrderBenchmarks
{
    private const int D = 3;
    private const int K = 10;
    private const int Points = 200;
    private double[] _alphas = [];
    private double[] _means = [];
    private double[] _icf = [];
    private double[] _x = [];
    private double[] _hessian = [];
    private double[] _unit = [];
    private double[] _gradientUp = [];
    private double[] _gradientDown = [];

    /// <summary>Number of variables (100).</summary>
    public int Size => _alphas.Length + _means.Length + _icf.Length;

    [GlobalSetup]
    public void Setup()
    {
        (_alphas, _means, _icf, _x) = Gmm.Data(D, K, Points, 11);
        _hessian = new double[Size * Size];
        _unit = new double[Size];
        _gradientUp = new double[Size];
        _gradientDown = new double[Size];
    }

    [Benchmark]
    public double Primal() => Gmm.Objective(_alphas, _means, _icf, _x, 1.0, 0, D, K);

    [Benchmark(Baseline = true)]
    public double GeneratedHessian() => Gmm.ObjectiveHessian(_alphas, _means, _icf, _x, 1.0, 0, D, K, _hessian);

    [Benchmark]
    public double HundredHvps()
    {
        int n = Size, a = _alphas.Length, m = _means.Length, q = _icf.Length;
        var unit = _unit.AsSpan();
        double value = 0;
        for (int i = 0; i < n; i++)
        {
            unit[i] = 1;
            var row = _hessian.AsSpan(i * n, n);
            value = Gmm.ObjectiveHvp(
                _alphas, _means, _icf, _x, 1.0, 0, D, K,
                unit[..a], unit.Slice(a, m), unit.Slice(a + m, q),
                row[..a], row.Slice(a, m), row.Slice(a + m, q));
            unit[i] = 0;
        }

        return value;
    }

    [Benchmark]
    public double CentralDifferencesOfGradient()
    {
        int n = Size;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            // Perturb variable i in whichever array holds it.
            double[] array = i < _alphas.Length ? _alphas : i < _alphas.Length + _means.Length ? _means : _icf;
            int j = i < _alphas.Length ? i : i < _alphas.Length + _means.Length ? i - _alphas.Length : i - _alphas.Length - _means.Length;
            double xi = array[j];
            double h = 1e-5 * Math.Max(1.0, Math.Abs(xi));
            array[j] = xi + h;
            Gradient(_gradientUp);
            array[j] = xi - h;
            Gradient(_gradientDown);
            array[j] = xi;
            var row = _hessian.AsSpan(i * n, n);
            for (int c = 0; c < n; c++)
            {
                row[c] = (_gradientUp[c] - _gradientDown[c]) / (2 * h);
            }

            sum += row[i];
        }

        return sum;
    }

    private void Gradient(Span<double> g)
    {
        int a = _alphas.Length, m = _means.Length;
        Gmm.ObjectiveGradient(_alphas, _means, _icf, _x, 1.0, 0, D, K, g[..a], g.Slice(a, m), g[(a + m)..]);
    }
}
