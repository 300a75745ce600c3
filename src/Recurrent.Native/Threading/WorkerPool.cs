using System.Runtime.ExceptionServices;

namespace Recurrent.Native.Threading;

/// <summary>Work that every worker of a <see cref="WorkerPool"/> runs once, each on its own share.</summary>
public interface IParallelJob
{
    /// <summary>Runs worker <paramref name="worker"/>'s share (0 ≤ worker &lt; workers).</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// Persistent worker threads for the per-time-step work: a job is handed to all workers at once (the calling thread is
/// worker 0) and workers meet at <see cref="Barrier"/> once per time step. Waiting spins briefly, then yields, then
/// sleeps, so an idle pool costs nothing and a busy one pays well under a microsecond per barrier. There is never a
/// fork/join per time step. One job runs at a time; the pool is not reentrant.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private const int SpinIterations = 200;
    private const long YieldTicks = TimeSpan.TicksPerMillisecond; // yield for ~1 ms, then block

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly int[] _sense;
    private readonly long[] _allocated;
    private IParallelJob? _job;
    private long _generation;
    private int _pending;
    private int _barrierCount;
    private int _barrierSense;
    private volatile bool _disposed;
    private volatile bool _faulted;
    private Exception? _error;

    /// <summary>A pool with <paramref name="workers"/> workers (the caller counts as one).</summary>
    public WorkerPool(int workers)
    {
        if (workers < 1 || workers > 256) throw new ArgumentOutOfRangeException(nameof(workers), workers, "Must be in [1, 256].");
        Workers = workers;
        _barrierCount = workers;
        _sense = new int[workers];
        _allocated = new long[workers];
        _sleeping = new int[workers];
        _wake = new SemaphoreSlim[workers];
        _threads = new Thread[workers - 1];
        for (int w = 1; w < workers; w++)
        {
            _wake[w] = new SemaphoreSlim(0);
            int id = w;
            _threads[w - 1] = new Thread(() => WorkerLoop(id)) { IsBackground = true, Name = $"Recurrent worker {id}" };
            _threads[w - 1].Start();
        }
    }

    /// <summary>A pool of one: runs jobs inline.</summary>
    public static WorkerPool Single { get; } = new(1);

    /// <summary>Number of workers, the calling thread included.</summary>
    public int Workers { get; }

    /// <summary>Runs <paramref name="job"/> on every worker and returns when all have finished.</summary>
    public void Run(IParallelJob job)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Workers == 1) { job.Execute(0, 1); return; }
        _error = null;
        _faulted = false;
        _barrierCount = Workers;
        _barrierSense = 0;
        Array.Clear(_sense);
        _job = job;
        Volatile.Write(ref _pending, Workers - 1);
        Interlocked.Increment(ref _generation);
        for (int w = 1; w < Workers; w++)
            if (Interlocked.Exchange(ref _sleeping[w], 0) == 1) _wake[w].Release();
        try { job.Execute(0, Workers); }
        catch (Exception e) { Fault(e); }
        var wait = new Waiter();
        while (Volatile.Read(ref _pending) != 0) wait.Pause();
        _job = null;
        if (_error is { } err) ExceptionDispatchInfo.Capture(err).Throw();
    }

    /// <summary>
    /// Called by every worker inside a job: returns once all workers have arrived. Memory written before the barrier
    /// is visible to every worker after it.
    /// </summary>
    public void Barrier(int worker)
    {
        if (Workers == 1) return;
        int sense = _sense[worker] ^= 1;
        if (Interlocked.Decrement(ref _barrierCount) == 0)
        {
            Volatile.Write(ref _barrierCount, Workers);
            Volatile.Write(ref _barrierSense, sense);
        }
        else
        {
            var wait = new Waiter();
            while (Volatile.Read(ref _barrierSense) != sense)
            {
                if (_faulted) throw new OperationCanceledException("Another worker failed.");
                wait.Pause();
            }
        }
    }

    private void WorkerLoop(int id)
    {
        // The first blocking wait of a thread allocates its waiting machinery once; do it now, not inside a job.
        _wake[id].Wait(1);
        long seen = 0;
        while (true)
        {
            long gen = Volatile.Read(ref _generation);
            if (gen == seen)
            {
                if (!SpinUntilChanged(ref seen)) continue;
                gen = Volatile.Read(ref _generation);
            }
            if (_disposed) return;
            seen = gen;
            try { _job!.Execute(id, Workers); }
            catch (Exception e) { Fault(e); }
            Volatile.Write(ref _allocated[id], GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Waits for a new generation: spin, yield, then sleep on the semaphore. False if it slept and must recheck.</summary>
    private bool SpinUntilChanged(ref long seen)
    {
        long s = seen;
        for (int i = 0; i < SpinIterations; i++)
        {
            if (Volatile.Read(ref _generation) != s || _disposed) return true;
            Thread.SpinWait(8);
        }
        long start = DateTime.UtcNow.Ticks;
        while (DateTime.UtcNow.Ticks - start < YieldTicks)
        {
            if (Volatile.Read(ref _generation) != s || _disposed) return true;
            Thread.Yield();
        }
        int id = Array.IndexOf(_threads, Thread.CurrentThread) + 1;
        // A full fence between this store and the read of the generation below. With a plain (volatile) store, x86 lets
        // the read pass the store while it waits in the store buffer: Run could then bump the generation, find 0 here
        // and release no one, while this read still saw the old generation, and the worker slept through the job with
        // Run waiting for it forever (a hang that a long in-process A/B of training steps met).
        Interlocked.Exchange(ref _sleeping[id], 1);
        if (Volatile.Read(ref _generation) != s || _disposed)
        {
            // Cancel the sleep; if the runner already released us, consume that release.
            if (Interlocked.Exchange(ref _sleeping[id], 0) == 0) _wake[id].Wait();
            return true;
        }
        _wake[id].Wait();
        return false;
    }

    /// <summary>Spin, then yield, then sleep(0): the waiting policy of every loop above.</summary>
    private struct Waiter
    {
        private int _spins;
        private long _start;

        public void Pause()
        {
            if (++_spins < SpinIterations) { Thread.SpinWait(8); return; }
            if (_start == 0) _start = DateTime.UtcNow.Ticks;
            if (DateTime.UtcNow.Ticks - _start < YieldTicks) Thread.Yield();
            else Thread.Sleep(0);
        }
    }

    private void Fault(Exception e)
    {
        if (e is OperationCanceledException && _faulted) return;
        Interlocked.CompareExchange(ref _error, e, null);
        _faulted = true;
    }

    /// <summary>
    /// Bytes allocated so far by the calling thread plus, as of their last job, by every worker thread: exact, unlike a
    /// process-wide count that includes unrelated threads (tests use it to prove a step allocates nothing).
    /// </summary>
    internal long AllocatedBytes()
    {
        long sum = GC.GetAllocatedBytesForCurrentThread();
        for (int w = 1; w < Workers; w++) sum += Volatile.Read(ref _allocated[w]);
        return sum;
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed || Workers == 1) return;
        _disposed = true;
        Interlocked.Increment(ref _generation);
        for (int w = 1; w < Workers; w++)
            if (Interlocked.Exchange(ref _sleeping[w], 0) == 1) _wake[w].Release();
        foreach (var t in _threads) t.Join();
        foreach (var s in _wake) s?.Dispose();
    }
}
