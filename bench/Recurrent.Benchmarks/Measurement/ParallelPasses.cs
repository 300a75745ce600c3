using System.Diagnostics;

namespace Recurrent.Benchmarks.Measurement;

/// <summary>
/// Times a pass that every thread runs on its own share, the threads meeting at a spinning barrier after every pass as
/// a step's workers do (the calling thread is thread 0). Used for the lower bounds of a streaming step.
/// </summary>
internal static class ParallelPasses
{
    /// <summary>
    /// Microseconds per pass of <paramref name="samples"/> samples of about <paramref name="sampleSeconds"/> each;
    /// <paramref name="pass"/>(thread, threads) runs one thread's share of one pass.
    /// </summary>
    public static double[] Measure(int threads, int samples, double sampleSeconds, Action<int, int> pass)
    {
        Time(threads, 200, pass); // JIT, caches
        int passes = 64;
        while (Time(threads, passes, pass) < sampleSeconds / 4) passes *= 2;
        passes = (int)Math.Max(1, passes * sampleSeconds / Time(threads, passes, pass));
        var result = new double[samples];
        for (int i = 0; i < samples; i++) result[i] = Time(threads, passes, pass) / passes * 1e6;
        return result;
    }

    /// <summary>Wall seconds for every thread to run <paramref name="passes"/> passes, meeting after each.</summary>
    private static double Time(int threads, int passes, Action<int, int> pass)
    {
        var arrived = new long[16 * (threads + 1)];   // one cache line per thread: the passes it has finished
        using var start = new Barrier(threads);
        var helpers = new Thread[threads - 1];
        for (int i = 0; i < helpers.Length; i++)
        {
            int id = i + 1;
            helpers[i] = new Thread(() => { start.SignalAndWait(); Passes(id, threads, passes, arrived, pass); }) { IsBackground = true };
            helpers[i].Start();
        }
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        Passes(0, threads, passes, arrived, pass);
        foreach (var t in helpers) t.Join();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static void Passes(int id, int threads, int passes, long[] arrived, Action<int, int> pass)
    {
        for (int p = 1; p <= passes; p++)
        {
            pass(id, threads);
            Volatile.Write(ref arrived[16 * id], p);
            for (int o = 0; o < threads; o++)
                while (Volatile.Read(ref arrived[16 * o]) < p) Thread.SpinWait(1);
        }
    }
}
