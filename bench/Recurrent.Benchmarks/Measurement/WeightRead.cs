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
        var sinks = new float[16 * threads];   // keeps the sums, one cache line per thread
        return ParallelPasses.Measure(threads, samples, sampleSeconds, (id, _) => sinks[16 * id] += Sum(buffers[id]));
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
