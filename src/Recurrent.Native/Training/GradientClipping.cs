using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Native.Training;

/// <summary>Gradient clipping over the flat gradient buffer (sums in a fixed order, so results never depend on threads).</summary>
public static class GradientClipping
{
    /// <summary>
    /// The L2 norm of all gradients, accumulated in double: for float, over whole vectors in four accumulators, then the
    /// tail (a fixed order for a given length). Trainers call it on the whole gradient buffer after every minibatch, on the
    /// calling thread while the workers wait, so float (what the ML.NET trainer uses) must not be a scalar chain of
    /// dependent additions. Double, the precision of the gradient checks, keeps the plain loop.
    /// </summary>
    public static double GlobalNorm<T>(ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated) sum = SumOfSquares(MemoryMarshal.Cast<T, float>(gradients));
        else
        {
            sum = 0;
            foreach (T g in gradients) { double d = double.CreateTruncating(g); sum += d * d; }
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Scales all gradients by maxNorm / norm when the global norm exceeds <paramref name="maxNorm"/>; returns the norm before.</summary>
    public static double ClipByGlobalNorm<T>(Span<T> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = GlobalNorm<T>(gradients);
        if (norm > maxNorm && norm > 0)
        {
            T scale = T.CreateTruncating(maxNorm / (norm + 1e-6));
            var v = new Vector<T>(scale);
            int i = 0;
            for (; i <= gradients.Length - Vector<T>.Count; i += Vector<T>.Count) (new Vector<T>(gradients[i..]) * v).CopyTo(gradients[i..]);
            for (; i < gradients.Length; i++) gradients[i] *= scale;
        }
        return norm;
    }

    /// <summary>Σ g² of floats, widened to double.</summary>
    private static double SumOfSquares(ReadOnlySpan<float> g)
    {
        ref float r = ref MemoryMarshal.GetReference(g);
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i <= g.Length - 16; i += 16)
        {
            var (a0, a1) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
            var (b0, b1) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i + 8));
            s0 += a0 * a0; s1 += a1 * a1; s2 += b0 * b0; s3 += b1 * b1;
        }
        double sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; i < g.Length; i++) { double d = g[i]; sum += d * d; }
        return sum;
    }

    /// <summary>Clamps every gradient to [−<paramref name="maxValue"/>, <paramref name="maxValue"/>].</summary>
    public static void ClipByValue<T>(Span<T> gradients, double maxValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T hi = T.CreateTruncating(maxValue), lo = -hi;
        foreach (ref T g in gradients) g = T.Clamp(g, lo, hi);
    }
}
