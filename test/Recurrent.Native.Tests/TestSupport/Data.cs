using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>Random test data.</summary>
internal static class Data
{
    public static T[] Uniform<T>(Rng rng, int n, double lo = -1, double hi = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[n];
        for (int i = 0; i < n; i++) a[i] = T.CreateTruncating(rng.Uniform(lo, hi));
        return a;
    }

    public static int[] Classes(Rng rng, int n, int classes)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = rng.NextInt(classes);
        return a;
    }

    /// <summary>A [T, B] mask where sequence b is present on steps [start[b], end[b]).</summary>
    public static float[] Mask(int steps, int batch, int[] start, int[] end)
    {
        var m = new float[steps * batch];
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                m[t * batch + b] = t >= start[b] && t < end[b] ? 1f : 0f;
        return m;
    }
}
