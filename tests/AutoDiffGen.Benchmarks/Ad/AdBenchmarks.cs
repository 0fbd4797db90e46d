using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AutoDiffGen.Benchmarks.Ad;

// Run: dotnet run -c Release --project tests/AutoDiffGen.Benchmarks -- --filter "*.RosenbrockBenchmarks*" "*.GmmBenchmarks*" --launchCount 3
// (three processes: the primal's tiered JIT result varies from one process to the next).
// Finite differences are in *FiniteDifference* (slow: 2N evaluations per gradient).

/// <summary>Rosenbrock, n = 100,000: primal, generated gradient and JVP, hand-written gradient.</summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks
{
    private double[] _x = [];
    private double[] _gradient = [];
    private double[] _direction = [];

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
    }

    [Benchmark(Baseline = true)]
    public double Primal() => Rosenbrock.Value(_x);

    [Benchmark]
    public double GeneratedGradient() => Rosenbrock.ValueGradient(_x, _gradient);

    [Benchmark]
    public double HandWrittenGradient() => Rosenbrock.HandGradient(_x, _gradient);

    [Benchmark]
    public double GeneratedJvp() => Rosenbrock.ValueJvp(_x, _direction, out _);
}

/// <summary>ADBench GMM, d = 10, K = 25, n = 1000: primal, generated gradient and JVP.</summary>
[MemoryDiagnoser]
public class GmmBenchmarks
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
    private double[] _dAlphas = [];
    private double[] _dMeans = [];
    private double[] _dIcf = [];

    [GlobalSetup]
    public void Setup()
    {
        (_alphas, _means, _icf, _x) = Gmm.Data(D, K, Points, 7);
        _gAlphas = new double[_alphas.Length];
        _gMeans = new double[_means.Length];
        _gIcf = new double[_icf.Length];
        (_dAlphas, _dMeans, _dIcf, _) = Gmm.Data(D, K, 1, 8);
    }

    [Benchmark(Baseline = true)]
    public double Primal() => Gmm.Objective(_alphas, _means, _icf, _x, 1.0, 0, D, K);

    [Benchmark]
    public double GeneratedGradient() => Gmm.ObjectiveGradient(_alphas, _means, _icf, _x, 1.0, 0, D, K, _gAlphas, _gMeans, _gIcf);

    [Benchmark]
    public double GeneratedJvp() => Gmm.ObjectiveJvp(_alphas, _means, _icf, _x, 1.0, 0, D, K, _dAlphas, _dMeans, _dIcf, out _);
}

/// <summary>
/// Central finite differences of the full gradient (2N evaluations): the cost the generated
/// gradient replaces. Few iterations: one operation takes seconds.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class FiniteDifferenceBenchmarks
{
    private double[] _x = [];
    private double[] _gradient = [];
    private (double[] Alphas, double[] Means, double[] Icf, double[] X) _gmm;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _x = new double[100_000];
        for (int i = 0; i < _x.Length; i++) _x[i] = random.NextDouble() * 2 - 1;
        _gradient = new double[_x.Length];
        _gmm = Gmm.Data(10, 25, 1000, 7);
    }

    [Benchmark]
    public double RosenbrockCentralDifferences() => CentralDifferences(x => Rosenbrock.Value(x), _x, _gradient);

    [Benchmark]
    public double GmmCentralDifferences()
    {
        var (alphas, means, icf, x) = _gmm;
        var g = new double[alphas.Length + means.Length + icf.Length];
        double sum = CentralDifferences(a => Gmm.Objective(a, means, icf, x, 1.0, 0, 10, 25), alphas, g.AsSpan(0, alphas.Length));
        sum += CentralDifferences(m => Gmm.Objective(alphas, m, icf, x, 1.0, 0, 10, 25), means, g.AsSpan(alphas.Length, means.Length));
        sum += CentralDifferences(q => Gmm.Objective(alphas, means, q, x, 1.0, 0, 10, 25), icf, g.AsSpan(alphas.Length + means.Length));
        return sum;
    }

    private static double CentralDifferences(Func<double[], double> f, double[] x, Span<double> gradient)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            double h = 1e-6 * Math.Max(1.0, Math.Abs(xi));
            x[i] = xi + h;
            double up = f(x);
            x[i] = xi - h;
            double down = f(x);
            x[i] = xi;
            gradient[i] = (up - down) / (2 * h);
            sum += gradient[i];
        }

        return sum;
    }
}
