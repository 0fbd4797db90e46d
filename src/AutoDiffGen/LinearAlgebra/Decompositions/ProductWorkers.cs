using System;
using System.Threading;

namespace AutoDiffGen.LinearAlgebra;

/// <summary>
/// A small set of background threads, started on first use and kept, that share the row chunks of
/// one large <see cref="BlockKernels.SubtractProduct(int, int, int, double*, nint, nint, double*, nint, nint, double*, nint, bool)"/>
/// with the calling thread. Unlike <c>Parallel.For</c> it allocates nothing per call, and the caller
/// never waits for a helper that has not started: it claims chunks itself until none are left and then
/// waits only for helpers already inside a chunk.
/// </summary>
/// <remarks>
/// One product runs on the helpers at a time; a second thread that arrives meanwhile (for example two
/// factorisations running concurrently) computes its product alone rather than queueing.
/// </remarks>
internal static unsafe class ProductWorkers
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread[]? _threads;

    // The open job: written by the caller before _open is set, read by helpers only while it is set.
    private static BlockKernels.Product _job;
    private static int _rowsPerChunk;
    private static int _chunks;
    private static int _nextChunk;
    private static int _open;
    private static int _active;

    /// <summary>Most threads a product can use: the caller plus one helper per further processor.</summary>
    public static int Capacity { get; } = Math.Min(Environment.ProcessorCount, 64);

    /// <summary>Runs the product in row chunks on the caller and up to <paramref name="helpers"/> helper threads.
    /// Returns false, having done nothing, when another product holds the helpers.</summary>
    public static bool TryRun(in BlockKernels.Product product, int rowsPerChunk, int helpers)
    {
        if (!Monitor.TryEnter(Gate))
        {
            return false;
        }

        try
        {
            EnsureStarted();
            _job = product;
            _rowsPerChunk = rowsPerChunk;
            _chunks = (product.M + rowsPerChunk - 1) / rowsPerChunk;
            _nextChunk = 0;

            // Full fences: a helper that sees _open == 1 also sees the job written above.
            Interlocked.Exchange(ref _open, 1);
            int deficit = Math.Min(helpers, _threads!.Length) - Wake.CurrentCount;
            if (deficit > 0)
            {
                Wake.Release(deficit);
            }

            RunChunks();

            // Close the job, then wait for helpers that joined before the close. A helper joining
            // later increments _active before reading _open, so it sees the close and leaves.
            Interlocked.Exchange(ref _open, 0);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _active) != 0)
            {
                spin.SpinOnce();
            }

            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureStarted()
    {
        if (_threads != null)
        {
            return;
        }

        var threads = new Thread[Capacity - 1];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = "AutoDiffGen product worker",
            };
            threads[i].Start();
        }

        _threads = threads;
    }

    private static void RunChunks()
    {
        int chunks = _chunks;
        while (true)
        {
            int claimed = Interlocked.Increment(ref _nextChunk) - 1;
            if (claimed >= chunks)
            {
                return;
            }

            // Bottom chunks first: in a lower-triangular update they are the longest.
            int chunk = chunks - 1 - claimed;
            int rowBegin = chunk * _rowsPerChunk;
            _job.RunRows(rowBegin, Math.Min(_job.M, rowBegin + _rowsPerChunk));
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Wake.Wait();
            Interlocked.Increment(ref _active);
            try
            {
                if (Volatile.Read(ref _open) == 1)
                {
                    RunChunks();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _active);
            }
        }
    }
}
