using Recurrent.Native.Tensors;

namespace Recurrent.Native.Training;

/// <summary>Inverted-dropout masks: each entry is 0 with probability p, else 1 / (1 − p).</summary>
internal static class Dropout
{
    public static void FillMask<T>(Span<T> mask, double p, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T keep = T.CreateTruncating(1.0 / (1.0 - p));
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() < p ? T.Zero : keep;
    }

    /// <summary>y = x ⊙ mask.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mask, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * mask[i];
    }
}
