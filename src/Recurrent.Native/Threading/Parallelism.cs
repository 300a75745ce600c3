namespace Recurrent.Native.Threading;

/// <summary>
/// When a layer call is worth splitting between workers. A barrier costs about a microsecond between two idle cores and
/// far more when the cores are busy, so work per barrier below <see cref="MinimumFlopsPerBarrier"/> runs on the calling
/// thread alone. The split never changes results (see <see cref="Kernels.Gemm"/>), only speed. The threshold is where
/// two workers stopped losing to one on single streaming steps of growing size (2·B·4H·H flops per barrier: H = 64 and
/// B = 1 ran slower split, H = 128 and B = 1 about even, larger steps faster); it sends one stream of H = 256 and the
/// bench's smallest case (8,64,16,200) to both cores.
/// </summary>
internal static class Parallelism
{
    /// <summary>Floating-point operations between two barriers below which one worker does everything (tests may lower it).</summary>
    internal static long MinimumFlopsPerBarrier { get; set; } = 1L << 17;

    /// <summary>How recurrent layers split their time loop between workers; <see cref="TimeLoopSplit.Auto"/> unless a test forces one.</summary>
    internal static TimeLoopSplit RecurrentSplit { get; set; } = TimeLoopSplit.Auto;

    /// <summary>Runs <paramref name="job"/> on every worker of <paramref name="pool"/>, or inline as worker 0 of 1 when the work is small.</summary>
    public static void Run(WorkerPool pool, IParallelJob job, long flopsPerBarrier)
    {
        if (pool.Workers == 1 || flopsPerBarrier < MinimumFlopsPerBarrier) job.Execute(0, 1);
        else pool.Run(job);
    }

    /// <summary>A barrier among the <paramref name="workers"/> running a job (nothing to wait for when alone).</summary>
    public static void Barrier(WorkerPool pool, int worker, int workers)
    {
        if (workers > 1) pool.Barrier(worker);
    }
}

/// <summary>How a recurrent layer's time loop is shared between workers.</summary>
internal enum TimeLoopSplit
{
    /// <summary>Chosen per call by the layer from the shape (see <c>RecurrentLayer.SplitsRows</c>).</summary>
    Auto,
    /// <summary>Every step's hidden units in claimed chunks, a barrier per step.</summary>
    Units,
    /// <summary>The batch rows, each worker running the whole loop for its rows without a barrier.</summary>
    Rows,
}
