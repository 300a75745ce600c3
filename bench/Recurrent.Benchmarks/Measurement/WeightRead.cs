using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Benchmarks.Measurement;

/// <summary>
/// A lower bound for one streaming step: the time to read the step's weights once and do nothing else. The threads
/// each read their share of a buffer of that size (summing it with four Vector256 accumulators) and meet at a spinning
/// barrier after every pass, as a step's workers do; the buffer is read in the same order every pass, as the engine
/// reads its packed weights. A step that reads more bytes than the cores' L2 caches hold cannot be faster than this.
/// </summary>
internal static class WeightRead
{
    /// <summary>Bytes of one streaming step's weights: the LSTM's packed [I + H + 1, 4H] and the head's [H + 1, I], as floats.</summary>
    public static long StepBytes(Shape s) => 4L * ((s.I + s.H + 1) * 4L * s.H + (s.H + 1L) * s.I);

    /// <summary>Microseconds per pass of <paramref name="samples"/> samples of about <paramref name="sampleSeconds"/> each.</summary>
    public static double[] Measure(long bytes, int threads, int samples, double sampleSeconds)
    {
        int share = (int)(bytes / 4 / threads / 32 * 32);
        var buffers = Enumerable.Range(0, threads).Select(_ => GC.AllocateArray<float>(share, pinned: true)).ToArray();
        foreach (var b in buffers) b.AsSpan().Fill(1e-7f);
        Parallel(buffers, 200); // JIT, caches
        int passes = 64;
        while (Parallel(buffers, passes) < sampleSeconds / 4) passes *= 2;
        passes = (int)Math.Max(1, passes * sampleSeconds / Parallel(buffers, passes));
        var result = new double[samples];
        for (int i = 0; i < samples; i++) result[i] = Parallel(buffers, passes) / passes * 1e6;
        return result;
    }

    /// <summary>Wall seconds for every thread (the caller is one) to read its buffer <paramref name="passes"/> times, meeting after each.</summary>
    private static double Parallel(float[][] buffers, int passes)
    {
        int threads = buffers.Length;
        var arrived = new long[16 * (threads + 1)];   // one cache line per thread: the passes it has finished
        using var start = new Barrier(threads);
        var helpers = new Thread[threads - 1];
        for (int i = 0; i < helpers.Length; i++)
        {
            int id = i + 1;
            helpers[i] = new Thread(() => { start.SignalAndWait(); Passes(buffers[id], passes, arrived, id, threads); }) { IsBackground = true };
            helpers[i].Start();
        }
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        Passes(buffers[0], passes, arrived, 0, threads);
        foreach (var t in helpers) t.Join();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static void Passes(float[] buffer, int passes, long[] arrived, int id, int threads)
    {
        float sink = 0;
        for (int p = 1; p <= passes; p++)
        {
            sink += Sum(buffer);
            Volatile.Write(ref arrived[16 * id], p);
            for (int o = 0; o < threads; o++)
                while (Volatile.Read(ref arrived[16 * o]) < p) Thread.SpinWait(1);
        }
        if (sink == float.MaxValue) Console.Error.Write("");   // keeps the sums
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float[] a)
    {
        ref float r = ref MemoryMarshal.GetArrayDataReference(a);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (nuint i = 0; i < (nuint)a.Length; i += 32)
        {
            s0 += Vector256.LoadUnsafe(ref r, i);
            s1 += Vector256.LoadUnsafe(ref r, i + 8);
            s2 += Vector256.LoadUnsafe(ref r, i + 16);
            s3 += Vector256.LoadUnsafe(ref r, i + 24);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3);
    }
}
