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
        var (inner, check, _, warmup) = WarmUp(work, s);
        Collect();
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

    /// <summary>
    /// Both engines in one process, taking turns: in round r, one block of <paramref name="a"/> and one of
    /// <paramref name="b"/>, a first in even rounds and b first in odd ones. A block first lets the other engine's threads
    /// stop spinning (<see cref="QuietSeconds"/>), runs untimed for <see cref="RewarmSeconds"/> (and at least one iteration:
    /// caches and threads after the other engine), then times back-to-back iterations as <see cref="Measure"/> does. Both see
    /// the same machine, whatever state it is in, so the ratio of a round's two blocks is not moved by the machine changing
    /// speed between processes or minutes.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="probe"/>, each round also runs it between the two blocks (after the same pause), and its rate is
    /// that round's entry in <c>Probe</c>: the machine's state between the two engines' blocks.
    /// </remarks>
    public static (double[] A, double[] B, double CheckA, double CheckB, double WarmupSeconds, double[] Probe) MeasurePaired(IWorkload a, IWorkload b,
        SamplingSettings s, PeakProbe? probe = null)
    {
        var clock = Stopwatch.StartNew();
        var (innerA, checkA, fastestA, _) = WarmUp(a, s);
        var (innerB, checkB, fastestB, _) = WarmUp(b, s);
        innerA = Iterations(PairedBlockSeconds, fastestA);
        innerB = Iterations(PairedBlockSeconds, fastestB);
        double warmup = clock.Elapsed.TotalSeconds;
        Collect();
        int rounds = 2 * s.Samples, minRounds = 2 * s.MinSamples;
        var sa = new List<double>(rounds);
        var sb = new List<double>(rounds);
        var sp = new List<double>(probe is null ? 0 : rounds);
        var sampling = Stopwatch.StartNew();
        for (int r = 0; r < rounds && (r < minRounds || sampling.Elapsed.TotalSeconds < 2 * s.MaxSeconds); r++)
        {
            var (first, second, innerFirst, innerSecond, firstList, secondList) = r % 2 == 0 ? (a, b, innerA, innerB, sa, sb) : (b, a, innerB, innerA, sb, sa);
            firstList.Add(Block(first, innerFirst));
            if (probe is not null)
            {
                Thread.Sleep(TimeSpan.FromSeconds(QuietSeconds));
                sp.Add(probe.Sample());
            }
            secondList.Add(Block(second, innerSecond));
        }
        return (sa.ToArray(), sb.ToArray(), checkA, checkB, warmup, sp.ToArray());
    }

    /// <summary>
    /// Pause before a paired block: libtorch's OpenMP threads spin for a while after their last parallel region, and our
    /// workers spin and yield before they sleep. Measured (the process's CPU time over the pause, in two halves): every
    /// thread of either engine was idle within the first half.
    /// </summary>
    public const double QuietSeconds = 0.05;
    /// <summary>Timed length of a paired block: long enough that one preemption moves its mean little.</summary>
    public const double PairedBlockSeconds = 0.25;
    /// <summary>Untimed running at the start of a paired block.</summary>
    public const double RewarmSeconds = 0.01;

    private static double Block(IWorkload work, int inner)
    {
        Thread.Sleep(TimeSpan.FromSeconds(QuietSeconds));
        var rewarm = Stopwatch.StartNew();
        do work.Run(); while (rewarm.Elapsed.TotalSeconds < RewarmSeconds);
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < inner; i++) work.Run();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds / inner;
    }

    /// <summary>The warm-up described above; returns the iterations per sample, the check value, the fastest iteration and the seconds it took.</summary>
    private static (int Inner, double Check, double Fastest, double Seconds) WarmUp(IWorkload work, SamplingSettings s)
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
        return (Iterations(s.MinSampleSeconds, fastest), check, fastest, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Iterations that fill <paramref name="seconds"/> at <paramref name="perIteration"/> each (at least one).</summary>
    private static int Iterations(double seconds, double perIteration) =>
        (int)Math.Clamp(Math.Ceiling(seconds / Math.Max(perIteration, 1e-9)), 1, 1_000_000);

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Time(IWorkload work)
    {
        long t0 = Stopwatch.GetTimestamp();
        work.Run();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
