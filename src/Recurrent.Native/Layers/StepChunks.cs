namespace Recurrent.Native.Layers;

/// <summary>
/// The unit blocks of one time step, cut into chunks that workers claim: each worker owns an equal run of blocks and
/// claims its own chunks first, then those of runs other workers have not reached yet, so a slower core ends up with
/// less of the step instead of keeping the others waiting at the barrier. A run is claimed in chunks of a third of what
/// is left of it (16 blocks: 6, 4, 2, 2, 1, 1): the step ends on single blocks, so when the cores run at similar speeds
/// the worker that runs out of chunks first waits for less than a block of the other's. One counter per owner and step
/// parity, each on its own cache line; a claim is one interlocked increment. Which worker computes a chunk never
/// changes the results.
/// </summary>
/// <remarks>
/// Phases (a forward step; a backward step's product for the step before and its cell) are separated by barriers.
/// Phase i uses the counters of parity i &amp; 1, and worker 0 clears the other parity at the start of phase i: every
/// worker finished claiming in phase i − 1 before the barrier that ended it, and none can start phase i + 1 before the
/// next one. The counters of phase 0 are cleared before the workers start.
/// </remarks>
internal readonly ref struct StepChunks
{
    private const int Stride = 16;   // ints per counter: one 64-byte line each
    private readonly Span<int> _counters;
    private readonly int _blocks, _workers;

    /// <summary>
    /// Each chunk is this fraction of what is left of its run. Measured in one process against equal chunks (four per
    /// worker, the earlier scheme, itself the fastest of one, two, four and eight per worker): with thirds, the time the
    /// workers of a 65,512,32,100 training step spent waiting at barriers fell by about half and the step was a little
    /// faster; halves waited about as little, quarters more (docs/architecture.md, Threads).
    /// </summary>
    private const int Divisor = 3;

    public StepChunks(int[] counters, int blocks, int workers)
    {
        _blocks = blocks;
        _workers = workers;
        _counters = counters.AsSpan(0, Length(workers));
    }

    /// <summary>Counters needed for <paramref name="workers"/> workers.</summary>
    public static int Length(int workers) => 2 * workers * Stride;

    /// <summary>Clears the counters that phase <paramref name="phase"/> will use.</summary>
    public void Reset(int phase)
    {
        int parity = phase & 1;
        for (int o = 0; o < _workers; o++) Volatile.Write(ref _counters[(parity * _workers + o) * Stride], 0);
    }

    /// <summary>Claims the next unclaimed chunk of <paramref name="owner"/>'s run in phase <paramref name="phase"/>: blocks [first, end).</summary>
    public bool TryClaim(int phase, int owner, out int first, out int end)
    {
        var (b0, b1) = Split.Range(_blocks, owner, _workers);
        int chunk = Interlocked.Increment(ref _counters[((phase & 1) * _workers + owner) * Stride]) - 1;
        first = b0;
        for (int i = 0; i < chunk && first < b1; i++) first += Size(b1 - first);
        if (first >= b1) { first = end = 0; return false; }
        end = first + Size(b1 - first);
        return true;
    }

    /// <summary>Blocks in the next chunk of a run with <paramref name="left"/> blocks left (at least one).</summary>
    private static int Size(int left) => (left + Divisor - 1) / Divisor;
}
