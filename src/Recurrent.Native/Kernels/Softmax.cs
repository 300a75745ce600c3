using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>Row softmax and its backward.</summary>
public static class Softmax
{
    /// <summary>p = softmax(z) over one row (max-shifted). <paramref name="z"/> and <paramref name="p"/> may alias.</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.IsEmpty) return;
        if (p.Length < z.Length) throw new ArgumentException("The output is shorter than the row.", nameof(p));
        var k = new RowKernel<T> { Z = z, P = p[..z.Length] };
        Dispatch.Width<T, RowKernel<T>>(ref k);
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

    /// <summary>
    /// One row at one width: the max and the sum over whole vectors, then across the lanes, then over the tail; the
    /// exponentials and the scaling through <see cref="VectorLoop"/> (the tail on a padded vector, the same arithmetic).
    /// </summary>
    private ref struct RowKernel<T> : IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> Z;   // [n] logits
        public Span<T> P;           // [n] probabilities (may be Z)

        public void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>
        {
            int n = Z.Length, w = TOps.Count, whole = n - n % w;
            ref T z = ref MemoryMarshal.GetReference(Z);
            ref T p = ref MemoryMarshal.GetReference(P);
            Span<T> lanes = stackalloc T[w];
            T max = Z[0];
            if (whole > 0)
            {
                TV m = TOps.Load(in z);
                for (int i = w; i < whole; i += w) m = TOps.Max(TOps.Load(in Unsafe.Add(ref z, i)), m);
                TOps.Store(m, ref lanes[0]);
                foreach (T v in lanes) if (v > max) max = v;
            }
            for (int i = whole; i < n; i++) if (Z[i] > max) max = Z[i];

            var exp = new ShiftExp { Shift = max };
            VectorLoop.Run<T, TV, TOps, ShiftExp>(Z, P, ref exp);

            T sum = T.Zero;
            if (whole > 0)
            {
                TV s = TOps.Load(in p);
                for (int i = w; i < whole; i += w) s = TOps.Add(s, TOps.Load(in Unsafe.Add(ref p, i)));
                TOps.Store(s, ref lanes[0]);
                foreach (T v in lanes) sum += v;
            }
            for (int i = whole; i < n; i++) sum += P[i];

            var scale = new Scale { Factor = T.One / sum };
            VectorLoop.Run<T, TV, TOps, Scale>(P, P, ref scale);
        }

        private struct ShiftExp : IVectorBody<T>
        {
            public T Shift;
            public TV Apply<TV, TOps>(TV z, TV p) where TV : struct where TOps : IVec<T, TV> => TOps.Exp(TOps.Sub(z, TOps.Splat(Shift)));
        }

        private struct Scale : IVectorBody<T>
        {
            public T Factor;
            public TV Apply<TV, TOps>(TV p, TV same) where TV : struct where TOps : IVec<T, TV> => TOps.Mul(p, TOps.Splat(Factor));
        }
    }
}
