using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>
/// Matrix products on a packed right-hand operand: <c>C[M, N] (+)= A[M, K] · B[K, N]</c>, A row-major with leading
/// dimension lda, B a <see cref="PackedMatrix{T}"/>. The three forms the layers need map onto it: NN (pack B row-major),
/// NT (pack the weight <c>[out, in]</c> transposed) and TN (transpose A with <see cref="Transpose"/>, then NN).
/// Every element of C is one multiply-add chain over k = 0..K-1 in order, whatever the tile or thread that computes
/// it, so results do not depend on how rows or panels are split.
/// </summary>
public static class Gemm
{
    /// <summary>Rows per register tile.</summary>
    internal const int TileRows = 4;

    /// <summary>C rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) × panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>) of A · B.</summary>
    /// <param name="a">A <c>[M, K]</c>, row-major.</param>
    /// <param name="lda">Leading dimension of A (≥ K).</param>
    /// <param name="b">Packed B <c>[K, N]</c>.</param>
    /// <param name="c">C <c>[M, N]</c>, row-major.</param>
    /// <param name="ldc">Leading dimension of C (≥ N).</param>
    /// <param name="rowStart">First row of C to compute.</param>
    /// <param name="rowEnd">One past the last row of C to compute.</param>
    /// <param name="panelStart">First panel of B (see <see cref="PackedMatrix{T}.PanelColumns"/>).</param>
    /// <param name="panelEnd">One past the last panel.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply<T>(ReadOnlySpan<T> a, int lda, PackedMatrix<T> b, Span<T> c, int ldc,
        int rowStart, int rowEnd, int panelStart, int panelEnd, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (b.Width != SimdWidth.Current)
            throw new InvalidOperationException($"B was packed for {b.Width} but the kernels run at {SimdWidth.Current}; pack it again.");
        if ((uint)rowStart > (uint)rowEnd) throw new ArgumentOutOfRangeException(nameof(rowStart));
        if ((uint)panelStart > (uint)panelEnd || panelEnd > b.PanelCount) throw new ArgumentOutOfRangeException(nameof(panelEnd));
        if (rowEnd == rowStart || panelEnd == panelStart) return;
        if (lda < b.K) throw new ArgumentOutOfRangeException(nameof(lda), lda, $"Must be at least K = {b.K}.");
        if (ldc < b.N) throw new ArgumentOutOfRangeException(nameof(ldc), ldc, $"Must be at least N = {b.N}.");
        if (b.K > 0 && a.Length < (rowEnd - 1) * lda + b.K) throw new ArgumentException("A is too short for the rows requested.", nameof(a));
        if (c.Length < (rowEnd - 1) * ldc + b.N) throw new ArgumentException("C is too short for the rows requested.", nameof(c));
        var k = new Kernel<T> { A = a, Lda = lda, B = b, C = c, Ldc = ldc, R0 = rowStart, R1 = rowEnd, P0 = panelStart, P1 = panelEnd, Acc = accumulate };
        Dispatch.Width<T, Kernel<T>>(ref k);
    }

    /// <summary>C = A · B (or +=) over all rows and panels.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, int lda, PackedMatrix<T> b, Span<T> c, int ldc, int m, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(a, lda, b, c, ldc, 0, m, 0, b.PanelCount, accumulate);

    /// <summary>dst <c>[cols, rows]</c> = src<c>[rows, cols]</c>ᵀ, for rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of dst.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> src, int rows, int cols, Span<T> dst, int rowStart, int rowEnd) where T : unmanaged
    {
        if (src.Length < rows * cols || dst.Length < rows * cols) throw new ArgumentException("Buffers too short for the transpose.");
        const int Block = 32;
        for (int c0 = rowStart; c0 < rowEnd; c0 += Block)
        {
            int c1 = Math.Min(c0 + Block, rowEnd);
            for (int r0 = 0; r0 < rows; r0 += Block)
            {
                int r1 = Math.Min(r0 + Block, rows);
                for (int col = c0; col < c1; col++)
                    for (int r = r0; r < r1; r++)
                        dst[col * rows + r] = src[r * cols + col];
            }
        }
    }

    private ref struct Kernel<T> : IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> A;
        public int Lda;
        public PackedMatrix<T> B;
        public Span<T> C;
        public int Ldc, R0, R1, P0, P1;
        public bool Acc;

        public void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>
        {
            int kk = B.K, pw = B.PanelWidth, w = TOps.Count;
            ref T a0 = ref MemoryMarshal.GetReference(A);
            ref T b0 = ref MemoryMarshal.GetReference(B.Data);
            Span<T> scratch = stackalloc T[TileRows * PackedMatrix<T>.VectorsPerPanel * 16];
            for (int p = P0; p < P1; p++)
            {
                var (col, width) = B.PanelColumns(p);
                ref T panel = ref Unsafe.Add(ref b0, (nint)p * kk * pw);
                bool full = width == pw;
                int r = R0;
                for (; r + TileRows <= R1; r += TileRows)
                {
                    if (full) Tile4<T, TV, TOps>(ref Unsafe.Add(ref a0, (nint)r * Lda), Lda, ref panel, kk, w, ref C[r * Ldc + col], Ldc, Acc);
                    else Partial<TV, TOps>(ref Unsafe.Add(ref a0, (nint)r * Lda), TileRows, ref panel, kk, w, r, col, width, scratch);
                }
                for (; r < R1; r++)
                {
                    if (full) Tile1<T, TV, TOps>(ref Unsafe.Add(ref a0, (nint)r * Lda), ref panel, kk, w, ref C[r * Ldc + col], Acc);
                    else Partial<TV, TOps>(ref Unsafe.Add(ref a0, (nint)r * Lda), 1, ref panel, kk, w, r, col, width, scratch);
                }
            }
        }

        /// <summary>A panel with padded columns: run the same tile on a scratch copy of C, then copy the real columns.</summary>
        private void Partial<TV, TOps>(ref T a, int rows, ref T panel, int kk, int w, int r, int col, int width, scoped Span<T> scratch)
            where TV : struct where TOps : IVec<T, TV>
        {
            int pw = 2 * w;
            for (int i = 0; i < rows; i++)
            {
                var s = scratch.Slice(i * pw, pw);
                s.Clear();
                if (Acc) C.Slice((r + i) * Ldc + col, width).CopyTo(s);
            }
            if (rows == TileRows) Tile4<T, TV, TOps>(ref a, Lda, ref panel, kk, w, ref scratch[0], pw, Acc);
            else Tile1<T, TV, TOps>(ref a, ref panel, kk, w, ref scratch[0], Acc);
            for (int i = 0; i < rows; i++) scratch.Slice(i * pw, width).CopyTo(C.Slice((r + i) * Ldc + col, width));
        }
    }

    /// <summary>The register tile: 4 rows × 2 vectors of C, 8 accumulators, one pass over k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4<T, TV, TOps>(ref T a, int lda, ref T panel, int kk, int w, ref T c, int ldc, bool acc)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVec<T, TV>
    {
        ref T c1 = ref Unsafe.Add(ref c, ldc);
        ref T c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref T c3 = ref Unsafe.Add(ref c, 3 * ldc);
        TV z = TOps.Splat(T.Zero);
        TV c00 = acc ? TOps.Load(in c) : z, c01 = acc ? TOps.Load(in Unsafe.Add(ref c, w)) : z;
        TV c10 = acc ? TOps.Load(in c1) : z, c11 = acc ? TOps.Load(in Unsafe.Add(ref c1, w)) : z;
        TV c20 = acc ? TOps.Load(in c2) : z, c21 = acc ? TOps.Load(in Unsafe.Add(ref c2, w)) : z;
        TV c30 = acc ? TOps.Load(in c3) : z, c31 = acc ? TOps.Load(in Unsafe.Add(ref c3, w)) : z;
        ref T a1 = ref Unsafe.Add(ref a, lda);
        ref T a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref T a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref T bp = ref panel;
        int pw = 2 * w;
        for (int k = 0; k < kk; k++)
        {
            TV b0 = TOps.Load(in bp), b1 = TOps.Load(in Unsafe.Add(ref bp, w));
            TV x = TOps.Splat(Unsafe.Add(ref a, k));
            c00 = TOps.MulAdd(x, b0, c00); c01 = TOps.MulAdd(x, b1, c01);
            x = TOps.Splat(Unsafe.Add(ref a1, k));
            c10 = TOps.MulAdd(x, b0, c10); c11 = TOps.MulAdd(x, b1, c11);
            x = TOps.Splat(Unsafe.Add(ref a2, k));
            c20 = TOps.MulAdd(x, b0, c20); c21 = TOps.MulAdd(x, b1, c21);
            x = TOps.Splat(Unsafe.Add(ref a3, k));
            c30 = TOps.MulAdd(x, b0, c30); c31 = TOps.MulAdd(x, b1, c31);
            bp = ref Unsafe.Add(ref bp, pw);
        }
        TOps.Store(c00, ref c); TOps.Store(c01, ref Unsafe.Add(ref c, w));
        TOps.Store(c10, ref c1); TOps.Store(c11, ref Unsafe.Add(ref c1, w));
        TOps.Store(c20, ref c2); TOps.Store(c21, ref Unsafe.Add(ref c2, w));
        TOps.Store(c30, ref c3); TOps.Store(c31, ref Unsafe.Add(ref c3, w));
    }

    /// <summary>One row × 2 vectors: the same multiply-add chain per element as <see cref="Tile4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<T, TV, TOps>(ref T a, ref T panel, int kk, int w, ref T c, bool acc)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVec<T, TV>
    {
        TV z = TOps.Splat(T.Zero);
        TV c0 = acc ? TOps.Load(in c) : z, c1 = acc ? TOps.Load(in Unsafe.Add(ref c, w)) : z;
        ref T bp = ref panel;
        int pw = 2 * w;
        for (int k = 0; k < kk; k++)
        {
            TV x = TOps.Splat(Unsafe.Add(ref a, k));
            c0 = TOps.MulAdd(x, TOps.Load(in bp), c0);
            c1 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref bp, w)), c1);
            bp = ref Unsafe.Add(ref bp, pw);
        }
        TOps.Store(c0, ref c);
        TOps.Store(c1, ref Unsafe.Add(ref c, w));
    }
}
