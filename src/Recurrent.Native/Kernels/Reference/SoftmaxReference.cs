namespace Recurrent.Native.Kernels.Reference;

/// <summary>Scalar twin of <see cref="Softmax"/> for one row, in double.</summary>
internal static class SoftmaxReference
{
    /// <summary>p_i = exp(z_i − max z) / Σ_j exp(z_j − max z).</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.IsEmpty) return;
        double max = double.NegativeInfinity;
        foreach (T v in z) max = Math.Max(max, double.CreateTruncating(v));
        double sum = 0;
        foreach (T v in z) sum += Math.Exp(double.CreateTruncating(v) - max);
        for (int i = 0; i < z.Length; i++) p[i] = T.CreateTruncating(Math.Exp(double.CreateTruncating(z[i]) - max) / sum);
    }

    /// <summary>log p_index = z_index − max z − log Σ_j exp(z_j − max z).</summary>
    public static double LogProbability<T>(ReadOnlySpan<T> z, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        foreach (T v in z) max = Math.Max(max, double.CreateTruncating(v));
        double sum = 0;
        foreach (T v in z) sum += Math.Exp(double.CreateTruncating(v) - max);
        return double.CreateTruncating(z[index]) - max - Math.Log(sum);
    }

    /// <summary>dz_i = p_i (dp_i − Σ_j p_j dp_j).</summary>
    public static void Backward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> dp, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double dot = 0;
        for (int i = 0; i < p.Length; i++) dot += double.CreateTruncating(p[i]) * double.CreateTruncating(dp[i]);
        for (int i = 0; i < p.Length; i++)
            dz[i] = T.CreateTruncating(double.CreateTruncating(p[i]) * (double.CreateTruncating(dp[i]) - dot));
    }
}
