using System;
using System.Runtime.InteropServices;
using AutoDiffGen.LinearAlgebra;
using BenchmarkDotNet.Attributes;
using MathNetMatrix = MathNet.Numerics.LinearAlgebra.Matrix<double>;

namespace AutoDiffGen.Benchmarks.LinearAlgebra;

/// <summary>
/// LU (GETRF), Cholesky (POTRF) and Householder QR (GEQRF) of order <see cref="N"/>: AutoDiffGen against Math.NET Numerics 5's
/// managed provider and, when libopenblas.so.0 can be loaded, OpenBLAS's LAPACK (dgetrf_/dpotrf_, the
/// Fortran entry points dgetrf_/dpotrf_/dgeqrf_, which Debian's libopenblas0 exports; LAPACKE is not in that build) on one thread
/// and on all cores. Every contestant factors a fresh copy of the same matrix per operation (the copy is O(n^2)).
/// Run with e.g. <c>--filter *FactorizationBenchmarks*</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public unsafe class FactorizationBenchmarks
{
    private Matrix _general = null!;
    private Matrix _spd = null!;
    private MathNetMatrix _generalMathNet = null!;
    private MathNetMatrix _spdMathNet = null!;
    private double[] _work = [];
    private int[] _ipiv = [];
    // Fortran calling convention: every argument by reference, plus the hidden length of the UPLO string.
    private delegate* unmanaged<int*, int*, double*, int*, int*, int*, void> _dgetrf;
    private delegate* unmanaged<byte*, int*, double*, int*, int*, nint, void> _dpotrf;
    private delegate* unmanaged<int*, int*, double*, int*, double*, double*, int*, int*, void> _dgeqrf;
    private double[] _tau = [];
    private double[] _qrWork = [];
    private delegate* unmanaged<int, void> _setThreads;

    [Params(1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseManaged();
        var rng = new Random(42);
        _general = new Matrix(N, N);
        var g = _general.Data;
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = (2.0 * rng.NextDouble()) - 1.0;
        }

        // B B^T + n I is symmetric positive definite; the product is formed once here.
        _spd = new Matrix(N, N);
        var b = _general.Data.ToArray();
        var s = _spd.Data;
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < N; p++)
                {
                    sum += b[(i * N) + p] * b[(j * N) + p];
                }

                s[(i * N) + j] = sum;
                s[(j * N) + i] = sum;
            }

            s[(i * N) + i] += N;
        }

        _generalMathNet = MathNetMatrix.Build.Dense(N, N, (i, j) => _general[i, j]);
        _spdMathNet = MathNetMatrix.Build.Dense(N, N, (i, j) => _spd[i, j]);
        _work = new double[N * N];
        _ipiv = new int[N];

        if (NativeLibrary.TryLoad("libopenblas.so.0", out nint lib)
            && NativeLibrary.TryGetExport(lib, "dgetrf_", out nint getrf)
            && NativeLibrary.TryGetExport(lib, "dpotrf_", out nint potrf)
            && NativeLibrary.TryGetExport(lib, "dgeqrf_", out nint geqrf)
            && NativeLibrary.TryGetExport(lib, "openblas_set_num_threads", out nint threads))
        {
            _dgetrf = (delegate* unmanaged<int*, int*, double*, int*, int*, int*, void>)getrf;
            _dpotrf = (delegate* unmanaged<byte*, int*, double*, int*, int*, nint, void>)potrf;
            _setThreads = (delegate* unmanaged<int, void>)threads;
            _dgeqrf = (delegate* unmanaged<int*, int*, double*, int*, double*, double*, int*, int*, void>)geqrf;

            // Workspace query (LWORK = -1), then a buffer of the optimal size, allocated once.
            int n = N, lwork = -1, info = 0;
            double best = 0.0;
            _tau = new double[N];
            fixed (double* a = _work)
            fixed (double* tau = _tau)
            {
                _dgeqrf(&n, &n, a, &n, tau, &best, &lwork, &info);
            }

            _qrWork = new double[Math.Max(1, (int)best)];
        }
        else
        {
            Console.WriteLine("// libopenblas.so.0 not found: the OpenBLAS benchmarks return immediately (install libopenblas0).");
        }
    }

    [Benchmark(Baseline = true)]
    public double LuMathNetManaged() => _generalMathNet.LU().Determinant;

    [Benchmark]
    public double LuAutoDiffGen() => new LuDecomposition(_general).Determinant;

    [Benchmark]
    public int LuOpenBlas1Thread() => Getrf(1);

    [Benchmark]
    public int LuOpenBlasAllCores() => Getrf(Environment.ProcessorCount);

    [Benchmark]
    public double CholeskyMathNetManaged() => _spdMathNet.Cholesky().DeterminantLn;

    [Benchmark]
    public double CholeskyAutoDiffGen() => new CholeskyDecomposition(_spd).LogDeterminant;

    [Benchmark]
    public int CholeskyOpenBlas1Thread() => Potrf(1);

    [Benchmark]
    public int CholeskyOpenBlasAllCores() => Potrf(Environment.ProcessorCount);

    [Benchmark]
    public double QrMathNetManaged() => _generalMathNet.QR().R[0, 0];

    [Benchmark]
    public double QrAutoDiffGen() => new QrDecomposition(_general).IsFullRank ? 1.0 : 0.0;

    [Benchmark]
    public int QrOpenBlas1Thread() => Geqrf(1);

    [Benchmark]
    public int QrOpenBlasAllCores() => Geqrf(Environment.ProcessorCount);

    private int Geqrf(int threads)
    {
        if (_dgeqrf == null)
        {
            return -1;
        }

        _setThreads(threads);
        _general.Data.CopyTo(_work);
        int n = N, lwork = _qrWork.Length, info = 0;
        fixed (double* a = _work)
        fixed (double* tau = _tau)
        fixed (double* work = _qrWork)
        {
            _dgeqrf(&n, &n, a, &n, tau, work, &lwork, &info);
        }

        return info;
    }

    private int Getrf(int threads)
    {
        if (_dgetrf == null)
        {
            return -1;
        }

        _setThreads(threads);

        // Row-major data read as column-major is A^T: still a random matrix of the same order.
        _general.Data.CopyTo(_work);
        int n = N, info = 0;
        fixed (double* a = _work)
        fixed (int* ipiv = _ipiv)
        {
            _dgetrf(&n, &n, a, &n, ipiv, &info);
        }

        return info;
    }

    private int Potrf(int threads)
    {
        if (_dpotrf == null)
        {
            return -1;
        }

        _setThreads(threads);

        // Symmetric, so the storage order does not matter.
        _spd.Data.CopyTo(_work);
        int n = N, info = 0;
        byte uplo = (byte)'L';
        fixed (double* a = _work)
        {
            _dpotrf(&uplo, &n, a, &n, &info, 1);
        }

        return info;
    }
}
