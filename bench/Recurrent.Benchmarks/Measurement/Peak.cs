using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Recurrent.Native.Simd;

namespace Recurrent.Benchmarks.Measurement;

/// <summary>
/// The machine's FP32 peak, measured: a loop of fused multiply-adds on 12 independent accumulators (enough to hide the
/// FMA latency on two pipes), at the vector width the engine runs at (512 bits where AVX-512 is accelerated, else 256),
/// on 1 or more threads at once. Each FMA counts 2 FLOPs per lane.
/// </summary>
internal static class Peak
{
    private const int Accumulators = 12;

    /// <summary>The vector width measured, in bits.</summary>
    public static int Bits => SimdWidth.Best == VectorWidth.W512 ? 512 : 256;

    /// <summary>GFLOP/s of <paramref name="samples"/> samples of about <paramref name="sampleSeconds"/> each, all threads together.</summary>
    public static double[] Measure(int threads, int samples, double sampleSeconds)
    {
        long iterations = IterationsFor(sampleSeconds);
        var rates = new double[samples];
        for (int s = 0; s < samples; s++) rates[s] = Rate(threads, iterations);
        return rates;
    }

    /// <summary>Iterations of the loop that take about <paramref name="seconds"/> on the calling thread (JIT included first).</summary>
    public static long IterationsFor(double seconds)
    {
        Run(1000); // JIT
        long iterations = 1 << 16;
        while (Time(iterations) < seconds / 4) iterations *= 2;
        return (long)(iterations * seconds / Time(iterations));
    }

    /// <summary>GFLOP/s of <paramref name="threads"/> threads each running <paramref name="iterations"/> of the loop, all together.</summary>
    public static double Rate(int threads, long iterations) => threads * iterations * FlopsPerIteration / Parallel(threads, iterations) / 1e9;

    private static double Time(long iterations)
    {
        long t0 = Stopwatch.GetTimestamp();
        Run(iterations);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>Wall time for <paramref name="threads"/> threads (the caller is one) each running the loop, started together.</summary>
    private static double Parallel(int threads, long iterations)
    {
        using var start = new Barrier(threads);
        var helpers = new Thread[threads - 1];
        for (int i = 0; i < helpers.Length; i++)
        {
            helpers[i] = new Thread(() => { start.SignalAndWait(); Run(iterations); }) { IsBackground = true };
            helpers[i].Start();
        }
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        Run(iterations);
        foreach (var t in helpers) t.Join();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>FLOPs of one iteration of the loop.</summary>
    public static double FlopsPerIteration => 2.0 * Accumulators * (Bits / 32);

    /// <summary>The loop on the calling thread.</summary>
    public static float Run(long iterations) => Bits == 512 ? Fma512(iterations) : Fma256(iterations);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma256(long iterations)
    {
        Vector256<float> m = Vector256.Create(0.9999999f), a = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(0.1f), c1 = c0 + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a;
        Vector256<float> c6 = c5 + a, c7 = c6 + a, c8 = c7 + a, c9 = c8 + a, c10 = c9 + a, c11 = c10 + a;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma512(long iterations)
    {
        Vector512<float> m = Vector512.Create(0.9999999f), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(0.1f), c1 = c0 + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a;
        Vector512<float> c6 = c5 + a, c7 = c6 + a, c8 = c7 + a, c9 = c8 + a, c10 = c9 + a, c11 = c10 + a;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}

/// <summary>The peak loop as a workload: one thread, as many iterations as make <c>flops</c> FLOPs.</summary>
internal sealed class PeakLoop(double flops) : IWorkload
{
    private readonly long _iterations = (long)Math.Round(flops / Peak.FlopsPerIteration);
    private float _sum;

    public void Run() => _sum = Peak.Run(_iterations);

    /// <summary>The loop's result (it only keeps the loop from being removed).</summary>
    public double Check() => _sum;

    public void Dispose() { }
}

/// <summary>
/// The peak loop on a paired job's thread count, as a third turn of every round (<see cref="Sampler.MeasurePaired"/>): its rate
/// in that round tells which of the machine's states the round's two engine blocks ran in.
/// </summary>
internal sealed class PeakProbe
{
    /// <summary>Timed length of one probe.</summary>
    public const double Seconds = 0.1;

    private readonly int _threads;
    private readonly long _iterations = Peak.IterationsFor(Seconds);

    /// <summary>Sizes the probe to about <see cref="Seconds"/> at the speed the loop has now.</summary>
    public PeakProbe(int threads) => _threads = threads;

    /// <summary>One probe: GFLOP/s of all its threads together.</summary>
    public double Sample() => Peak.Rate(_threads, _iterations);
}
