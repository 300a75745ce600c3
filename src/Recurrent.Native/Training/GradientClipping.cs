namespace Recurrent.Native.Training;

/// <summary>Gradient clipping over the flat gradient buffer (sums in a fixed order, so results never depend on threads).</summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all gradients, accumulated in double.</summary>
    public static double GlobalNorm<T>(ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T g in gradients) { double d = double.CreateTruncating(g); sum += d * d; }
        return Math.Sqrt(sum);
    }

    /// <summary>Scales all gradients by maxNorm / norm when the global norm exceeds <paramref name="maxNorm"/>; returns the norm before.</summary>
    public static double ClipByGlobalNorm<T>(Span<T> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = GlobalNorm<T>(gradients);
        if (norm > maxNorm && norm > 0)
        {
            T scale = T.CreateTruncating(maxNorm / (norm + 1e-6));
            foreach (ref T g in gradients) g *= scale;
        }
        return norm;
    }

    /// <summary>Clamps every gradient to [−<paramref name="maxValue"/>, <paramref name="maxValue"/>].</summary>
    public static void ClipByValue<T>(Span<T> gradients, double maxValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T hi = T.CreateTruncating(maxValue), lo = -hi;
        foreach (ref T g in gradients) g = T.Clamp(g, lo, hi);
    }
}
