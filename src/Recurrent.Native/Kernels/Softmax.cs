using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>Row softmax and its backward.</summary>
public static class Softmax
{
    /// <summary>p = softmax(z) over one row (max-shifted). <paramref name="z"/> and <paramref name="p"/> may alias.</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.IsEmpty) return;
        T max = z[0];
        foreach (T v in z) if (v > max) max = v;
        var k = new ShiftExpKernel<T> { Z = z, P = p, Shift = max };
        Dispatch.Width<T, ShiftExpKernel<T>>(ref k);
        T sum = T.Zero;
        foreach (T v in p[..z.Length]) sum += v;
        T inv = T.One / sum;
        for (int i = 0; i < z.Length; i++) p[i] *= inv;
    }

    /// <summary>log softmax(z)[index] = z[index] - max - log Σ exp(z - max), accurate where p underflows.</summary>
    public static T LogProbability<T>(ReadOnlySpan<T> z, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = z[0];
        foreach (T v in z) if (v > max) max = v;
        T sum = T.Zero;
        foreach (T v in z) sum += T.Exp(v - max);
        return z[index] - max - T.Log(sum);
    }

    /// <summary>dz = p ⊙ (dp − Σ p ⊙ dp), the softmax Jacobian applied to an output gradient, for one row. <paramref name="dp"/> and <paramref name="dz"/> may alias.</summary>
    public static void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> dp, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T dot = T.Zero;
        for (int i = 0; i < p.Length; i++) dot += p[i] * dp[i];
        for (int i = 0; i < p.Length; i++) dz[i] = p[i] * (dp[i] - dot);
    }

    private ref struct ShiftExpKernel<T> : IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> Z;
        public Span<T> P;
        public T Shift;
        public void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>
        {
            var body = new Body { Shift = Shift };
            VectorLoop.Run<T, TV, TOps, Body>(Z, P, ref body);
        }
        private struct Body : IVectorBody<T>
        {
            public T Shift;
            public TV Apply<TV, TOps>(TV z, TV p) where TV : struct where TOps : IVec<T, TV> => TOps.Exp(TOps.Sub(z, TOps.Splat(Shift)));
        }
    }
}
