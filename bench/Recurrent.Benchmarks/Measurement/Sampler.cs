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
/// <param name="WarmupIterations">...and at least this many iterations.</param>
/// <param name="Samples">Samples wanted.</param>
/// <param name="MinSampleSeconds">A sample times as many back-to-back iterations as fill this (timer resolution, noise).</param>
/// <param name="MaxSeconds">Stop sampling after this long once <paramref name="MinSamples"/> are taken.</param>
/// <param name="MinSamples">Samples always taken.</param>
internal sealed record SamplingSettings(double WarmupSeconds, int WarmupIterations, int Samples, double MinSampleSeconds,
    double MaxSeconds, int MinSamples);

/// <summary>Times a workload: warm-up, then samples of back-to-back iterations.</summary>
internal static class Sampler
{
    /// <summary>Per-iteration seconds of every sample, the iterations per sample, and the check value.</summary>
    public static (double[] Seconds, int Inner, double Check) Measure(IWorkload work, SamplingSettings s)
    {
        var clock = Stopwatch.StartNew();
        work.Run();
        double check = work.Check();
        var recent = new Queue<double>([clock.Elapsed.TotalSeconds]);
        for (int done = 1; done < s.WarmupIterations || clock.Elapsed.TotalSeconds < s.WarmupSeconds; done++)
        {
            long t0 = Stopwatch.GetTimestamp();
            work.Run();
            recent.Enqueue(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            if (recent.Count > 5) recent.Dequeue();
        }
        // The fastest recent warm-up iteration sizes the samples (a preempted one would make them too short).
        int inner = (int)Math.Clamp(Math.Ceiling(s.MinSampleSeconds / Math.Max(recent.Min(), 1e-9)), 1, 1_000_000);

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
        return (seconds.ToArray(), inner, check);
    }
}
