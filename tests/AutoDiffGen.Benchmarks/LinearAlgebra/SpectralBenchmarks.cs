using System;
using System.Runtime.InteropServices;
using AutoDiffGen.LinearAlgebra;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;

namespace AutoDiffGen.Benchmarks.LinearAlgebra;

/// <summary>
/// Symmetric eigendecomposition and SVD of a random n x n matrix, values and vectors, against
/// Math.NET Numerics 5 with its managed provider (the baseline of each category) and, when
/// libopenblas.so.0 can be loaded, OpenBLAS's LAPACK (dsyevd, dgesdd; single-threaded) as the ceiling.
/// Without OpenBLAS those benchmarks are filtered out. Run: <c>--filter *SpectralBenchmarks*</c>.
/// </summary>
[Config(typeof(SpectralConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SpectralBenchmarks
{
    private double[] _symmetric = [];
    private double[] _general = [];
    private double[] _work = [];
    private double[] _values = [];
    private double[] _u = [];
    private double[] _vt = [];
    private Matrix _symmetricMatrix = null!;
    private Matrix _generalMatrix = null!;
    private MathNet.Numerics.LinearAlgebra.Matrix<double> _mnSymmetric = null!;
    private MathNet.Numerics.LinearAlgebra.Matrix<double> _mnGeneral = null!;

    [Params(500)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseManaged();
        int n = N;
        var rng = new Random(2024);
        _symmetric = new double[n * n];
        _general = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double v = (2 * rng.NextDouble()) - 1;
                _symmetric[(i * n) + j] = v;
                _symmetric[(j * n) + i] = v;
            }
        }

        for (int i = 0; i < n * n; i++)
        {
            _general[i] = (2 * rng.NextDouble()) - 1;
        }

        _symmetricMatrix = new Matrix(n, n, _symmetric);
        _generalMatrix = new Matrix(n, n, _general);
        _mnSymmetric = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => _symmetric[(i * n) + j]);
        _mnGeneral = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => _general[(i * n) + j]);
        _work = new double[n * n];
        _values = new double[n];
        _u = new double[n * n];
        _vt = new double[n * n];
        OpenBlas.TrySetSingleThreaded();
        if (OpenBlas.IsAvailable)
        {
            // Sanity check of the native binding: both calls must succeed and agree on the largest value.
            int eigInfo = OpenBlas_Dsyevd();
            double eigMax = _values[n - 1];
            int svdInfo = OpenBlas_Dgesdd();
            double svdMax = _values[0];
            double ours = new SymmetricEigenDecomposition(_symmetricMatrix, computeEigenvectors: false).Eigenvalues[0];
            double oursSvd = new SingularValueDecomposition(_generalMatrix, computeVectors: false).SingularValues[0];
            if (eigInfo != 0 || svdInfo != 0 || Math.Abs(eigMax - ours) > 1e-9 * Math.Abs(ours) || Math.Abs(svdMax - oursSvd) > 1e-9 * oursSvd)
            {
                throw new InvalidOperationException($"OpenBLAS check failed: info {eigInfo}/{svdInfo}, max eigenvalue {eigMax} vs {ours}, max singular value {svdMax} vs {oursSvd}.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("SymmetricEigen")]
    public object MathNetManaged_Eigen() => _mnSymmetric.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);

    [Benchmark]
    [BenchmarkCategory("SymmetricEigen")]
    public object AutoDiffGen_Eigen() => new SymmetricEigenDecomposition(_symmetricMatrix);

    [Benchmark]
    [BenchmarkCategory("SymmetricEigen")]
    public int OpenBlas_Dsyevd()
    {
        _symmetric.CopyTo(_work, 0);
        return OpenBlas.Dsyevd(N, _work, _values);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Svd")]
    public object MathNetManaged_Svd() => _mnGeneral.Svd(computeVectors: true);

    [Benchmark]
    [BenchmarkCategory("Svd")]
    public object AutoDiffGen_Svd() => new SingularValueDecomposition(_generalMatrix);

    [Benchmark]
    [BenchmarkCategory("Svd")]
    public int OpenBlas_Dgesdd()
    {
        _general.CopyTo(_work, 0);
        return OpenBlas.Dgesdd(N, _work, _values, _u, _vt);
    }

    /// <summary>Short runs (the machine is shared) and no OpenBLAS benchmarks when the library is absent.</summary>
    private sealed class SpectralConfig : ManualConfig
    {
        public SpectralConfig()
        {
            AddJob(Job.ShortRun);

            // The generated project builds slowly while other work shares the machine.
            WithBuildTimeout(TimeSpan.FromMinutes(10));
            if (!OpenBlas.IsAvailable)
            {
                AddFilter(new SimpleFilter(b => !b.Descriptor.WorkloadMethod.Name.StartsWith("OpenBlas", StringComparison.Ordinal)));
            }
        }
    }

    /// <summary>
    /// LAPACK entry points of libopenblas.so.0, bound at run time with NativeLibrary. Debian's build
    /// does not export the LAPACKE C wrappers from libopenblas.so.0, so the Fortran symbols (dsyevd_,
    /// dgesdd_) are called directly, with workspace sizes queried once. They read column-major storage:
    /// for the symmetric matrix that is the same matrix, for the general one it is A^T, whose SVD costs the same.
    /// </summary>
    private static unsafe class OpenBlas
    {
        private static readonly nint Library = NativeLibrary.TryLoad("libopenblas.so.0", out nint handle) ? handle : 0;
        private static readonly nint SyevdPtr = Export("dsyevd_");
        private static readonly nint GesddPtr = Export("dgesdd_");
        private static readonly nint ThreadsPtr = Export("openblas_set_num_threads");
        private static double[] _syevdWork = [];
        private static int[] _syevdIwork = [];
        private static double[] _gesddWork = [];
        private static int[] _gesddIwork = [];

        public static bool IsAvailable => SyevdPtr != 0 && GesddPtr != 0;

        public static void TrySetSingleThreaded()
        {
            if (ThreadsPtr != 0)
            {
                ((delegate* unmanaged<int, void>)ThreadsPtr)(1);
            }
        }

        /// <summary>dsyevd with eigenvectors; the workspace is queried (lwork = -1) on the first call.</summary>
        public static int Dsyevd(int n, double[] a, double[] w)
        {
            var f = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nint, nint, void>)SyevdPtr;
            byte jobz = (byte)'V', uplo = (byte)'L';
            int info = 0;
            fixed (double* pa = a, pw = w)
            {
                if (_syevdWork.Length == 0)
                {
                    int lq = -1, liq = -1, iworkQuery = 0;
                    double workQuery = 0;
                    f(&jobz, &uplo, &n, pa, &n, pw, &workQuery, &lq, &iworkQuery, &liq, &info, 1, 1);
                    _syevdWork = new double[Math.Max(1, (int)workQuery)];
                    _syevdIwork = new int[Math.Max(1, iworkQuery)];
                }

                int lwork = _syevdWork.Length, liwork = _syevdIwork.Length;
                fixed (double* pwork = _syevdWork)
                fixed (int* piwork = _syevdIwork)
                {
                    f(&jobz, &uplo, &n, pa, &n, pw, pwork, &lwork, piwork, &liwork, &info, 1, 1);
                }
            }

            return info;
        }

        /// <summary>dgesdd with the thin singular vectors (jobz = 'S'); workspace queried on the first call.</summary>
        public static int Dgesdd(int n, double[] a, double[] s, double[] u, double[] vt)
        {
            var f = (delegate* unmanaged<byte*, int*, int*, double*, int*, double*, double*, int*, double*, int*, double*, int*, int*, int*, nint, void>)GesddPtr;
            byte jobz = (byte)'S';
            int info = 0;
            if (_gesddIwork.Length == 0)
            {
                _gesddIwork = new int[8 * n];
            }

            fixed (double* pa = a, ps = s, pu = u, pvt = vt)
            fixed (int* piwork = _gesddIwork)
            {
                if (_gesddWork.Length == 0)
                {
                    int lq = -1;
                    double workQuery = 0;
                    f(&jobz, &n, &n, pa, &n, ps, pu, &n, pvt, &n, &workQuery, &lq, piwork, &info, 1);
                    _gesddWork = new double[Math.Max(1, (int)workQuery)];
                }

                int lwork = _gesddWork.Length;
                fixed (double* pwork = _gesddWork)
                {
                    f(&jobz, &n, &n, pa, &n, ps, pu, &n, pvt, &n, pwork, &lwork, piwork, &info, 1);
                }
            }

            return info;
        }

        private static nint Export(string name) => Library != 0 && NativeLibrary.TryGetExport(Library, name, out nint p) ? p : 0;
    }
}
