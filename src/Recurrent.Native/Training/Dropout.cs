using System.Numerics;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Training;

/// <summary>Inverted-dropout masks: each entry is 0 with probability p, else 1 / (1 − p).</summary>
internal static class Dropout
{
    /// <summary>
    /// Entry i is 0 when the i-th draw of <paramref name="rng"/>'s <see cref="Rng.NextDouble"/> is below p. Compared
    /// here as integers without a branch: NextDouble is u · 2⁻⁵³ for the top 53 bits u of a draw, both sides are exact,
    /// so u · 2⁻⁵³ &lt; p exactly when u &lt; ⌈p · 2⁵³⌉ (the same masks as comparing the doubles).
    /// </summary>
    public static void FillMask<T>(Span<T> mask, double p, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T keep = T.CreateTruncating(1.0 / (1.0 - p));
        ulong threshold = (ulong)Math.Ceiling(p * (1UL << 53));
        for (int i = 0; i < mask.Length; i++) mask[i] = (rng.NextUInt64() >> 11) < threshold ? T.Zero : keep;
    }

    /// <summary>y = x ⊙ mask (elementwise, so the same values whatever the vector width).</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mask, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count) (new Vector<T>(x[i..]) * new Vector<T>(mask[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = x[i] * mask[i];
    }
}
