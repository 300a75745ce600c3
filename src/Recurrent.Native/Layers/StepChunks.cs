namespace Recurrent.Native.Layers;

/// <summary>
/// The unit blocks of one time step, cut into chunks that workers claim: each worker owns an equal run of chunks and
/// claims its own first, then the chunks other workers have not reached yet, so a slower core ends up with less of the
/// step instead of keeping the others waiting at the barrier. One counter per owner and step parity, each on its own
/// cache line; a claim is one interlocked increment. Which worker computes a chunk never changes the results.
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
    private readonly int _blocks, _perChunk, _chunks, _workers;

    public StepChunks(int[] counters, int blocks, int workers)
    {
        _blocks = blocks;
        _workers = workers;
        // About four chunks per worker. Measured in one process against one and two per worker (static halves, or halves
        // that can be stolen) and eight: four was fastest or within noise of it for H = 128, 256, 512.
        _perChunk = Math.Max(1, blocks / (4 * workers));
        _chunks = (blocks + _perChunk - 1) / _perChunk;
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
        var (c0, c1) = Split.Range(_chunks, owner, _workers);
        int chunk = c0 + Interlocked.Increment(ref _counters[((phase & 1) * _workers + owner) * Stride]) - 1;
        if (chunk >= c1) { first = end = 0; return false; }
        first = chunk * _perChunk;
        end = Math.Min(first + _perChunk, _blocks);
        return true;
    }
}
