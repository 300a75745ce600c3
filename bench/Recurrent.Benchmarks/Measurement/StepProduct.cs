using Recurrent.Benchmarks.Cases;
using Recurrent.Native.Kernels;

namespace Recurrent.Benchmarks.Measurement;

/// <summary>
/// A lower bound for one streaming step of B streams: its two products and nothing else, with the engine's GEMM on
/// weights packed once, the rows split between the threads as the engine splits a step of 16 streams or more. The LSTM's
/// [B, I + H + 1] · [I + H + 1, 4H] (x, h and a 1 for the bias) and the head's [B, H + 1] · [H + 1, I]; no cell, no
/// softmax, no state, no hand-off of a job to the workers. A step cannot be faster than this with this GEMM.
/// </summary>
internal static class StepProduct
{
    /// <summary>Multiply-adds of one step, as FLOPs: 2·B·(I + H + 1)·4H + 2·B·(H + 1)·I.</summary>
    public static long Flops(Shape s) => 2L * s.B * ((s.I + s.H + 1L) * 4 * s.H + (s.H + 1L) * s.I);

    /// <summary>Microseconds per step of <paramref name="samples"/> samples of about <paramref name="sampleSeconds"/> each.</summary>
    public static double[] Measure(Shape s, int threads, int samples, double sampleSeconds)
    {
        int k = s.I + s.H + 1, n = 4 * s.H, kh = s.H + 1;
        var x = BenchData.Uniform(s.B * k, BenchData.InputStream);
        var h = BenchData.Uniform(s.B * kh, BenchData.InputStream);
        var w = new PackedMatrix<float>();
        w.PackRowMajor(BenchData.Uniform(k * n, BenchData.MatrixStream), k, n, n);
        var head = new PackedMatrix<float>();
        head.PackRowMajor(BenchData.Uniform(kh * s.I, BenchData.MatrixStream), kh, s.I, s.I);
        var gates = new float[s.B * n];
        var logits = new float[s.B * s.I];
        return ParallelPasses.Measure(threads, samples, sampleSeconds, (id, count) =>
        {
            int r0 = s.B * id / count, r1 = s.B * (id + 1) / count;
            Gemm.Multiply<float>(x, k, w, gates, n, r0, r1, 0, w.PanelCount, accumulate: false);
            Gemm.Multiply<float>(h, kh, head, logits, s.I, r0, r1, 0, head.PanelCount, accumulate: false);
        });
    }
}
