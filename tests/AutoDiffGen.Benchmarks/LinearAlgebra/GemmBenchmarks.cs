// How to run (from the repository root; Release build, about 6-10 minutes for all sizes):
//
//   apt-get install -y libopenblas0      # optional: adds the OpenBLAS ceiling (cblas_dgemm in libopenblas.so.0)
//   dotnet run -c Release --project tests/AutoDiffGen.Benchmarks -- --filter '*GemmBenchmarks*'
//
// Add e.g. `--anyCategories 1-thread` or `--filter '*GemmBenchmarks*' --allCategories 2-threads` to run
// one thread count only. The table shows GFLOP/s (2 n^3 / mean time) and, per thread count, the ratio to
// Math.NET Numerics' managed provider (the baseline). OpenBLAS rows are left out when the library
// cannot be loaded; its thread count is set with openblas_set_num_threads before each run.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using AutoDiffGen.LinearAlgebra;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra.Double;

namespace AutoDiffGen.Benchmarks.LinearAlgebra;

/// <summary>C = A B for square n x n matrices: ours (1 and 2 threads) vs Math.NET managed and OpenBLAS.</summary>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    private double[] _a = [];
    private double[] _b = [];
    private double[] _c = [];
    private DenseMatrix _ma = null!;
    private DenseMatrix _mb = null!;
    private DenseMatrix _mc = null!;

    /// <summary>The order of the matrices.</summary>
    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(12345);
        _a = Enumerable.Range(0, N * N).Select(_ => random.NextDouble() - 0.5).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => random.NextDouble() - 0.5).ToArray();
        _c = new double[N * N];
        Control.UseManaged();
        _ma = DenseMatrix.OfColumnMajor(N, N, _a);
        _mb = DenseMatrix.OfColumnMajor(N, N, _b);
        _mc = new DenseMatrix(N, N);
    }

    [GlobalSetup(Targets = [nameof(MathNetManaged1Thread)])]
    public void SetupMathNet1()
    {
        Setup();
        Control.MaxDegreeOfParallelism = 1;
    }

    [GlobalSetup(Targets = [nameof(MathNetManaged2Threads)])]
    public void SetupMathNet2()
    {
        Setup();
        Control.MaxDegreeOfParallelism = 2;
    }

    [GlobalSetup(Targets = [nameof(OpenBlas1Thread)])]
    public void SetupOpenBlas1()
    {
        Setup();
        OpenBlas.SetThreads(1);
    }

    [GlobalSetup(Targets = [nameof(OpenBlas2Threads)])]
    public void SetupOpenBlas2()
    {
        Setup();
        OpenBlas.SetThreads(2);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("1-thread")]
    public void MathNetManaged1Thread() => _ma.Multiply(_mb, _mc);

    [Benchmark, BenchmarkCategory("1-thread")]
    public void AutoDiffGen1Thread()
        => Kernels.Gemm(MatrixOp.None, MatrixOp.None, N, N, N, 1.0, _a, N, _b, N, 0.0, _c, N, maxDegreeOfParallelism: 1);

    [Benchmark, BenchmarkCategory("1-thread")]
    public void OpenBlas1Thread() => OpenBlas.Dgemm(N, _a, _b, _c);

    [Benchmark(Baseline = true), BenchmarkCategory("2-threads")]
    public void MathNetManaged2Threads() => _ma.Multiply(_mb, _mc);

    [Benchmark, BenchmarkCategory("2-threads")]
    public void AutoDiffGen2Threads()
        => Kernels.Gemm(MatrixOp.None, MatrixOp.None, N, N, N, 1.0, _a, N, _b, N, 0.0, _c, N, maxDegreeOfParallelism: 2);

    [Benchmark, BenchmarkCategory("2-threads")]
    public void OpenBlas2Threads() => OpenBlas.Dgemm(N, _a, _b, _c);
}

/// <summary>Short runs (the machine is shared), grouped by thread count, with a GFLOP/s column; drops OpenBLAS when it is missing.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    public GemmBenchmarkConfig()
    {
        // One warm-up iteration: Math.NET's managed product at n = 2048 takes 10-25 s per call, and the
        // JIT-ted kernels are already warm after BenchmarkDotNet's jitting and pilot stages.
        AddJob(Job.ShortRun.WithWarmupCount(1));
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        AddColumn(new GflopsColumn());
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        AddFilter(new SimpleFilter(b => OpenBlas.IsAvailable || !b.Descriptor.WorkloadMethod.Name.StartsWith("OpenBlas", StringComparison.Ordinal)));
        HideColumns(Column.Error, Column.StdDev);
    }
}

/// <summary>2 n^3 floating-point operations divided by the mean time of one call.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Billions of floating-point operations per second (2 n^3 per product)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats || benchmarkCase.Parameters["N"] is not int n)
        {
            return "-";
        }

        double flops = 2.0 * n * n * n;
        return (flops / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>cblas_dgemm and openblas_set_num_threads from libopenblas.so.0, bound at run time so a missing library is not an error.</summary>
internal static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> DgemmPointer;
    private static readonly delegate* unmanaged<int, void> SetThreadsPointer;

    static OpenBlas()
    {
        if (NativeLibrary.TryLoad("libopenblas.so.0", out nint handle)
            && NativeLibrary.TryGetExport(handle, "cblas_dgemm", out nint dgemm)
            && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads))
        {
            DgemmPointer = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)dgemm;
            SetThreadsPointer = (delegate* unmanaged<int, void>)setThreads;
        }
    }

    public static bool IsAvailable => DgemmPointer != null;

    public static void SetThreads(int threads)
    {
        if (IsAvailable)
        {
            SetThreadsPointer(threads);
        }
    }

    /// <summary>Row-major C = A B for n x n matrices.</summary>
    public static void Dgemm(int n, double[] a, double[] b, double[] c)
    {
        fixed (double* pa = a, pb = b, pc = c)
        {
            DgemmPointer(RowMajor, NoTrans, NoTrans, n, n, n, 1.0, pa, n, pb, n, 0.0, pc, n);
        }
    }
}
