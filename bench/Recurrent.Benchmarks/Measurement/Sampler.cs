using System.Diagnostics;

namespace Recurrent.Benchmarks.Measurement;

/// <summary>One repeatable unit of work of a case: a training step, an inference call, a streaming step, a GEMM.</summary>
internal interface IWorkload : IDisposable
{
    /// <summary>Runs one iteration.</summary>
    void Run();

    /// <summary>
    /// A number computed from the first iteration on the shared data and weights (first-step loss, or a sum of squares of
    /// the outputs), so that the report can show both engines computed the same thing. Called once, after the first run.
    /// </summary>
    double Check();
}

/// <summary>How long to warm up and how many samples to take.</summary>
/// <param name="WarmupSeconds">Warm up at least this long (tiered JIT, caches, allocator pools)...</param>
/// <param name="WarmupIterations">...and at least this many iterations; then until the speed is stable (see <see cref="Sampler"/>).</param>
/// <param name="MaxWarmupSeconds">Give up waiting for a stable speed after this long.</param>
/// <param name="Samples">Samples wanted.</param>
/// <param name="MinSampleSeconds">A sample times as many back-to-back iterations as fill this (timer resolution, noise).</param>
/// <param name="MaxSeconds">Stop sampling after this long once <paramref name="MinSamples"/> are taken.</param>
/// <param name="MinSamples">Samples always taken.</param>
internal sealed record SamplingSettings(double WarmupSeconds, int WarmupIterations, double MaxWarmupSeconds, int Samples,
    double MinSampleSeconds, double MaxSeconds, int MinSamples);

/// <summary>
/// Times a workload. Warm-up first: the minimum time and iterations, then blocks of at least <see cref="BlockSeconds"/>
/// and 3 iterations until the fastest iteration of a block is no more than <see cref="Improvement"/> faster than that
/// of the block before (.NET's tiered JIT can take seconds on a busy machine to replace the first, slow code; the
/// fastest iteration ignores preemptions). Then samples of back-to-back iterations.
/// </summary>
internal static class Sampler
{
    private const double BlockSeconds = 0.5, Improvement = 0.03;

    /// <summary>Per-iteration seconds of every sample, the iterations per sample, the check value and the warm-up length.</summary>
    public static (double[] Seconds, int Inner, double Check, double WarmupSeconds) Measure(IWorkload work, SamplingSettings s)
    {
        var clock = Stopwatch.StartNew();
        work.Run();
        double check = work.Check();
        double fastest = clock.Elapsed.TotalSeconds;
        for (int done = 1; done < s.WarmupIterations || clock.Elapsed.TotalSeconds < s.WarmupSeconds; done++)
            fastest = Math.Min(fastest, Time(work));
        for (double previous = double.PositiveInfinity; fastest < (1 - Improvement) * previous && clock.Elapsed.TotalSeconds < s.MaxWarmupSeconds;)
        {
            previous = fastest;
            fastest = double.PositiveInfinity;
            var block = Stopwatch.StartNew();
            for (int i = 0; i < 3 || block.Elapsed.TotalSeconds < BlockSeconds; i++) fastest = Math.Min(fastest, Time(work));
        }
        double warmup = clock.Elapsed.TotalSeconds;
        int inner = (int)Math.Clamp(Math.Ceiling(s.MinSampleSeconds / Math.Max(fastest, 1e-9)), 1, 1_000_000);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var seconds = new List<double>(s.Samples);
        var sampling = Stopwatch.StartNew();
        while (seconds.Count < s.Samples && (seconds.Count < s.MinSamples || sampling.Elapsed.TotalSeconds < s.MaxSeconds))
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) work.Run();
            seconds.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / inner);
        }
        return (seconds.ToArray(), inner, check, warmup);
    }

    private static double Time(IWorkload work)
    {
        long t0 = Stopwatch.GetTimestamp();
        work.Run();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
