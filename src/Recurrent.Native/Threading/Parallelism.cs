namespace Recurrent.Native.Threading;

/// <summary>
/// When a layer call is worth splitting between workers. A barrier costs about a microsecond between two idle cores and
/// far more when the cores are busy, so work per barrier below <see cref="MinimumFlopsPerBarrier"/> runs on the calling
/// thread alone. The split never changes results (see <see cref="Kernels.Gemm"/>), only speed. Measured with two workers
/// on one streaming step per call (bench family "stream"): 2·B·4H·H = 32 Ki flops (H = 64, B = 1) ran 2.3 µs alone and
/// 3.8 µs split; 128 Ki about even (6–8 against 5–6 µs); 256 Ki and 512 Ki faster split (H = 256, B = 1: 23–26 against
/// 14–17 µs; the inference of 8,64,16,200 went from 3.3 to 1.9 ms).
/// </summary>
internal static class Parallelism
{
    /// <summary>Floating-point operations between two barriers below which one worker does everything (tests may lower it).</summary>
    internal static long MinimumFlopsPerBarrier { get; set; } = 1L << 17;

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
