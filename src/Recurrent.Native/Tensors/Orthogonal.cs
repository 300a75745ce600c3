namespace Recurrent.Native.Tensors;

/// <summary>Random orthogonal matrices (Gram–Schmidt on a Gaussian matrix, in double).</summary>
internal static class Orthogonal
{
    /// <summary>Fills <paramref name="destination"/> (<c>[n, n]</c>, row-major) with a random orthogonal matrix.</summary>
    public static void Fill<T>(Span<T> destination, int n, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var q = new double[n * n];
        for (int i = 0; i < q.Length; i++) q[i] = rng.Gaussian();
        for (int r = 0; r < n; r++)
        {
            var row = q.AsSpan(r * n, n);
            for (int pass = 0; pass < 2; pass++) // re-orthogonalise once for accuracy
                for (int p = 0; p < r; p++)
                {
                    var prev = q.AsSpan(p * n, n);
                    double dot = 0;
                    for (int j = 0; j < n; j++) dot += row[j] * prev[j];
                    for (int j = 0; j < n; j++) row[j] -= dot * prev[j];
                }
            double norm = 0;
            foreach (double v in row) norm += v * v;
            norm = Math.Sqrt(norm);
            for (int j = 0; j < n; j++) row[j] /= norm;
        }
        for (int i = 0; i < q.Length; i++) destination[i] = T.CreateTruncating(q[i]);
    }
}
