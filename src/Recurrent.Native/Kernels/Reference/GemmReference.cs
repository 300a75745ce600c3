namespace Recurrent.Native.Kernels.Reference;

/// <summary>
/// Scalar twin of <see cref="Gemm"/>: the naive triple loop on unpacked row-major operands, the algorithmic oracle.
/// Each element is summed in double in the order c0, k = 0..K-1, so for <c>float</c> it is also an accuracy reference.
/// </summary>
internal static class GemmReference
{
    /// <summary>C[M, N] (+)= op(A)[M, K] · op(B)[K, N].</summary>
    /// <param name="a">A <c>[M, K]</c> row-major, or when <paramref name="transposeA"/> its transpose stored <c>[K, M]</c>.</param>
    /// <param name="lda">Leading dimension of the stored A.</param>
    /// <param name="transposeA">A is stored transposed.</param>
    /// <param name="b">B <c>[K, N]</c> row-major, or when <paramref name="transposeB"/> its transpose stored <c>[N, K]</c>.</param>
    /// <param name="ldb">Leading dimension of the stored B.</param>
    /// <param name="transposeB">B is stored transposed.</param>
    /// <param name="c">C <c>[M, N]</c> row-major; columns N..ldc-1 are never touched.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The reduction length.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply<T>(ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, int m, int n, int k, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? double.CreateTruncating(c[i * ldc + j]) : 0.0;
                for (int kk = 0; kk < k; kk++)
                {
                    T aik = transposeA ? a[kk * lda + i] : a[i * lda + kk];
                    T bkj = transposeB ? b[j * ldb + kk] : b[kk * ldb + j];
                    sum += double.CreateTruncating(aik) * double.CreateTruncating(bkj);
                }
                c[i * ldc + j] = T.CreateTruncating(sum);
            }
        }
    }
}
