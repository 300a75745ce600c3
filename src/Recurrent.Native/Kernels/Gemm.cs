using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>
/// Matrix products on a packed right-hand operand: <c>C[M, N] (+)= A[M, K] · B[K, N]</c>, A row-major, B a
/// <see cref="PackedMatrix{T}"/>. The forms the layers need map onto it: NN (pack B row-major), NT (pack the weight
/// <c>[out, in]</c> transposed) and TN (weight gradients dzᵀ · X: <see cref="Transpose"/> dz once, then NN — reading
/// dz in place with a stride of a whole row per k measured twice as slow, every k landing on another page).
/// Every element of C is one multiply-add chain over k = 0..K-1 in order, whatever the tile or thread that computes
/// it, so results do not depend on how rows or panels are split.
/// </summary>
public static class Gemm
{
    /// <summary>Rows per register tile with 16 vector registers: 6 rows × 2 vectors, 12 accumulators (then 5- and 4-row tiles, then single rows, see <c>Tiling</c>).</summary>
    internal const int TileRows = 6;

    /// <summary>The most rows of any register tile (8 rows × 2 vectors: 16 accumulators).</summary>
    internal const int MaxTileRows = 8;

    /// <summary>
    /// Rows of the largest register tile the kernels use on this machine: 8 where the JIT has 32 vector registers
    /// (AVX-512's encoding, at every vector width), else <see cref="TileRows"/>. With 32 registers an 8-row tile keeps its
    /// 16 accumulators, two panel vectors and a broadcast in registers, and a batch of 32 rows is four such tiles. On the
    /// bench machine (Zen 5) the 32-row products fell short of the FMA peak in 6- and 5-row tiles, the 5-row ones slower
    /// per row, and 8-row tiles made the bench's inference steps faster (figures in the commit message of 0f4a945).
    /// Tests may lower it to run the 16-register tiling.
    /// </summary>
    internal static int LargestTileRows { get; set; } = Avx512F.IsSupported ? MaxTileRows : TileRows;

    /// <summary>Panels per one-row tile (a row of A against 4 panels: 8 accumulators).</summary>
    internal const int RowTilePanels = 4;

    /// <summary>
    /// Bytes of A (rows × K) that one pass over all the panels takes before the next rows: a weight gradient's whole A
    /// (2048 × 3200 floats for 65,512,32,100) with its panels is more than the bench machine's L3, a block of 4 MiB
    /// stays there while the panels pass (docs/architecture.md, Kernels).
    /// </summary>
    internal const long RowBlockBytes = 4L << 20;

    /// <summary>
    /// Bytes of panels that stay in a core's L2 while A's rows pass. When the panels asked for are no more than this and
    /// A's rows are more, each row tile goes over all the panels before the next: A is read once and C written row by row,
    /// instead of A read once per panel and C written a panel's columns at a time down all the rows, a new line of C and
    /// often a new page at every tile. These are the tall products of a dense layer (the head's [T·B, H] · [H, O] and its
    /// input gradient [T·B, O] · [O, H]); the step products of a recurrent layer have few rows and keep the order below.
    /// </summary>
    internal const long SmallPanelsBytes = 256L << 10;

    /// <summary>
    /// Bytes of a row-major source beyond which copying it down its columns (a transpose by column blocks, a pack panel by
    /// panel) meets more pages than the TLB holds: every row is then a page walk, once for each few columns. Larger
    /// sources go a few rows at a time across all the columns instead. Smaller ones keep the column walk, which the
    /// prefetchers follow well and which writes a few long runs (across many columns, the row walk writes many short
    /// ones): in-process comparisons on the bench machine (a TLB of 2560 pages of 4 KiB, says /proc/cpuinfo) found the
    /// column walk faster at 3.3 MB, the two even at 6.5 MB and the row walk far faster at 13 and 26 MB.
    /// </summary>
    internal const long ManyPagesBytes = 4L << 20;

    /// <summary>
    /// How many register tiles of each row count (8 down to 4) cover the first <see cref="Rows"/> rows of a product,
    /// the larger tiles first; the rows past them go one by one.
    /// </summary>
    internal readonly record struct TileCounts(int Eights, int Sevens, int Sixes, int Fives, int Fours)
    {
        /// <summary>Rows in tiles.</summary>
        public int Rows => 8 * Eights + 7 * Sevens + 6 * Sixes + 5 * Fives + 4 * Fours;

        /// <summary>The row count of the tile at row offset <paramref name="r"/> (below <see cref="Rows"/>) and the offset where the tiles of that row count end.</summary>
        public (int Rows, int End) At(int r)
        {
            int end = 8 * Eights;
            if (r < end) return (8, end);
            if (r < (end += 7 * Sevens)) return (7, end);
            if (r < (end += 6 * Sixes)) return (6, end);
            if (r < (end += 5 * Fives)) return (5, end);
            return (4, Rows);
        }
    }

    /// <summary>
    /// How m rows are tiled with tiles of at most <paramref name="largest"/> rows (8 or 6). With 8: 8-row tiles, the rows
    /// over a multiple of 8 made up with 7-, 6- and 5-row tiles, giving back 8-row tiles as needed (42 = 4 × 8 + 2 × 5);
    /// 4-row tiles only for 4 and 9 rows, single rows only for 1, 2 and 3. With 6: 6-row tiles, the rest made up with
    /// 5-row tiles (32 = 2 × 6 + 4 × 5), per row about as fast as 6-row tiles where a 4-row tile is slower (see
    /// <see cref="Tile"/>); when m is too small for that, with 5- and 4-row tiles alone (13 = 5 + 2 × 4), else with single
    /// rows. A single row reads the panels once for one row of C.
    /// </summary>
    internal static TileCounts Tiling(int m, int largest)
    {
        if (largest >= MaxTileRows)
        {
            int q = m / 8;
            return (m % 8) switch
            {
                0 => new(q, 0, 0, 0, 0),
                7 => new(q, 1, 0, 0, 0),
                6 => new(q, 0, 1, 0, 0),
                5 => new(q, 0, 0, 1, 0),
                4 when q >= 1 => new(q - 1, 0, 2, 0, 0),        // 12 = 6 + 6
                3 when q >= 1 => new(q - 1, 0, 1, 1, 0),        // 11 = 6 + 5
                2 when q >= 1 => new(q - 1, 0, 0, 2, 0),        // 10 = 5 + 5
                1 when q >= 2 => new(q - 2, 0, 2, 1, 0),        // 17 = 6 + 6 + 5
                1 when q == 1 => new(0, 0, 0, 1, 1),            // 9 = 5 + 4
                4 => new(0, 0, 0, 0, 1),
                _ => default,                                   // 1, 2 or 3 single rows
            };
        }
        int f = (TileRows - m % TileRows) % TileRows;        // 6 · sixes + 5 · f = m
        if (5 * f <= m) return new(0, 0, (m - 5 * f) / TileRows, f, 0);
        for (int fives = m / 5; fives >= 0; fives--)
            if ((m - 5 * fives) % 4 == 0) return new(0, 0, 0, fives, (m - 5 * fives) / 4);
        return new(0, 0, m / TileRows, 0, 0);
    }

    /// <summary>
    /// Bytes of a panel beyond which the first row tile of each panel prefetches the next one (see <see cref="Tile"/>):
    /// a core's L1 data cache on the bench machine. In-process A/B runs of whole steps found the prefetch a clear gain
    /// for 65,512 (panels of 37 KB) on one thread and neutral on two, and a small loss for 64,256 (panels of 20 KB,
    /// which the hardware's own prefetch already brings in time).
    /// </summary>
    internal const long PrefetchPanelBytes = 32L << 10;

    /// <summary>Rows of A per block for a reduction of length <paramref name="k"/>: a multiple of <paramref name="rows"/> (a tile's), at least one tile.</summary>
    internal static int RowBlock<T>(int k, int rows) where T : unmanaged =>
        (int)Math.Clamp(RowBlockBytes / ((long)Math.Max(k, 1) * Unsafe.SizeOf<T>()) / rows, 1, int.MaxValue / rows / 2) * rows;

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
        if (!Check(b, c, ldc, rowStart, rowEnd, panelStart, panelEnd)) return;
        if (lda < b.K) throw new ArgumentOutOfRangeException(nameof(lda), lda, $"Must be at least K = {b.K}.");
        if (b.K > 0 && a.Length < (long)(rowEnd - 1) * lda + b.K) throw new ArgumentException("A is too short for the rows requested.", nameof(a));
        var k = new Kernel<T> { A = a, RowStride = lda, B = b, C = c, Ldc = ldc, R0 = rowStart, R1 = rowEnd, P0 = panelStart, P1 = panelEnd, Acc = accumulate };
        Dispatch.Width<T, Kernel<T>>(ref k);
    }

    /// <summary>C = A · B (or +=) over all rows and panels.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, int lda, PackedMatrix<T> b, Span<T> c, int ldc, int m, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(a, lda, b, c, ldc, 0, m, 0, b.PanelCount, accumulate);

    /// <summary>
    /// dst <c>[cols, rows]</c> = src <c>[rows, cols]</c>ᵀ for rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>)
    /// of dst. Used for the TN products: dW = (dzᵀ) · X. With <paramref name="columnSums"/> (<c>[cols]</c>), also
    /// columnSums[c] += Σ_r src[r, c] for the same columns, adding the rows in order (a bias gradient, read in the same pass).
    /// </summary>
    /// <remarks>
    /// Rows of a gradient [T·B, 4H] are often exactly a page apart (H = 256), so a transpose that walks a column of many
    /// rows maps every line onto the same L1 set and every load misses. Whole 8 × 8 blocks are therefore transposed in
    /// registers (AVX shuffles of floats when the kernels run at 256 bits or more) and the rest element by element. A src
    /// larger than <see cref="ManyPagesBytes"/> (a window's gradient of 65,512,32,100 is 26 MB) is taken 8 rows at a time
    /// across all the columns asked for: walked down 8 columns at a time, its rows' pages are walked again for every 8
    /// columns. Either way each column sum is one chain of additions down the rows, so it does not depend on the split.
    /// </remarks>
    public static void Transpose<T>(ReadOnlySpan<T> src, int rows, int cols, Span<T> dst, int rowStart, int rowEnd, Span<T> columnSums = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (src.Length < (long)rows * cols || dst.Length < (long)rows * cols) throw new ArgumentException("Buffers too short for the transpose.");
        if ((uint)rowStart > (uint)rowEnd || rowEnd > cols) throw new ArgumentOutOfRangeException(nameof(rowEnd), $"Rows of dst [{rowStart}, {rowEnd}) must lie in [0, {cols}].");
        bool sums = !columnSums.IsEmpty;
        if (sums && columnSums.Length < cols) throw new ArgumentException($"Column sums hold {columnSums.Length} values; {cols} needed.", nameof(columnSums));
        ref T s0 = ref MemoryMarshal.GetReference(src);
        ref T d0 = ref MemoryMarshal.GetReference(dst);
        bool blocks = typeof(T) == typeof(float) && Avx.IsSupported && SimdWidth.Current >= VectorWidth.W256;
        int fullRows = blocks ? rows / 8 * 8 : 0;
        int blockEnd = fullRows > 0 ? rowStart + (rowEnd - rowStart) / 8 * 8 : rowStart;   // dst rows [rowStart, blockEnd) in 8 × 8 blocks
        // Passes of 8 rows across all the columns (a large src, see ManyPagesBytes), or one pass of all the rows, down 8
        // columns at a time; each column's blocks come in the order of its rows either way.
        int rowsPerPass = (long)rows * cols * Unsafe.SizeOf<T>() > ManyPagesBytes ? 8 : fullRows;
        for (int rp = 0; rp < fullRows; rp += rowsPerPass)
            for (int c0 = rowStart; c0 < blockEnd; c0 += 8)
            {
                var sum = sums ? Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref columnSums[c0])) : default;
                for (int r0 = rp; r0 < rp + rowsPerPass; r0 += 8)
                    Transpose8x8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref s0, (nint)r0 * cols + c0)), cols,
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref d0, (nint)c0 * rows + r0)), rows, ref sum);
                if (sums) sum.StoreUnsafe(ref Unsafe.As<T, float>(ref columnSums[c0]));
            }
        for (int c = rowStart; c < rowEnd; c++)
        {
            ref T d = ref Unsafe.Add(ref d0, (nint)c * rows);
            T total = sums ? columnSums[c] : T.Zero;
            for (int r = c < blockEnd ? fullRows : 0; r < rows; r++)
            {
                T v = Unsafe.Add(ref s0, (nint)r * cols + c);
                Unsafe.Add(ref d, r) = v;
                total += v;
            }
            if (sums) columnSums[c] = total;
        }
    }

    /// <summary>
    /// An 8 × 8 float block from rows of stride <paramref name="ls"/> to rows of stride <paramref name="ld"/>; its rows are
    /// also added to <paramref name="sum"/>, in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float s, int ls, ref float d, int ld, ref Vector256<float> sum)
    {
        var r0 = Vector256.LoadUnsafe(ref s); var r1 = Vector256.LoadUnsafe(ref s, (nuint)ls);
        var r2 = Vector256.LoadUnsafe(ref s, (nuint)(2 * ls)); var r3 = Vector256.LoadUnsafe(ref s, (nuint)(3 * ls));
        var r4 = Vector256.LoadUnsafe(ref s, (nuint)(4 * ls)); var r5 = Vector256.LoadUnsafe(ref s, (nuint)(5 * ls));
        var r6 = Vector256.LoadUnsafe(ref s, (nuint)(6 * ls)); var r7 = Vector256.LoadUnsafe(ref s, (nuint)(7 * ls));
        sum = sum + r0 + r1 + r2 + r3 + r4 + r5 + r6 + r7;   // the rows in order (unused without column sums)
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref d, (nuint)ld);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref d, (nuint)(2 * ld));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref d, (nuint)(3 * ld));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref d, (nuint)(4 * ld));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref d, (nuint)(5 * ld));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref d, (nuint)(6 * ld));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref d, (nuint)(7 * ld));
    }

    /// <summary>Validates the common arguments; false when there is nothing to compute.</summary>
    private static bool Check<T>(PackedMatrix<T> b, Span<T> c, int ldc, int rowStart, int rowEnd, int panelStart, int panelEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (b.Width != SimdWidth.Current)
            throw new InvalidOperationException($"B was packed for {b.Width} but the kernels run at {SimdWidth.Current}; pack it again.");
        if ((uint)rowStart > (uint)rowEnd) throw new ArgumentOutOfRangeException(nameof(rowStart));
        if ((uint)panelStart > (uint)panelEnd || panelEnd > b.PanelCount) throw new ArgumentOutOfRangeException(nameof(panelEnd));
        if (rowEnd == rowStart || panelEnd == panelStart) return false;
        if (ldc < b.N) throw new ArgumentOutOfRangeException(nameof(ldc), ldc, $"Must be at least N = {b.N}.");
        if (c.Length < (long)(rowEnd - 1) * ldc + b.N) throw new ArgumentException("C is too short for the rows requested.", nameof(c));
        return true;
    }

    private ref struct Kernel<T> : IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> A;
        public nint RowStride;               // A[i, k] at i·RowStride + k
        public PackedMatrix<T> B;
        public Span<T> C;
        public int Ldc, R0, R1, P0, P1;
        public bool Acc;

        public void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>
        {
            ref T a0 = ref MemoryMarshal.GetReference(A);
            Span<T> scratch = stackalloc T[MaxTileRows * PackedMatrix<T>.VectorsPerPanel * 16];
            var tiling = Tiling(R1 - R0, LargestTileRows);
            int tiled = R0 + tiling.Rows;
            var (first, firstEnd) = tiling.At(0);   // the largest tiles: rows [R0, R0 + firstEnd)
            // A's rows in blocks, each over all the panels (a block of one tile when the panels are small, see
            // SmallPanelsBytes, else see RowBlockBytes); the last block also takes the smaller tiles.
            long size = Unsafe.SizeOf<T>(), panelBytes = (P1 - P0) * (long)B.K * B.PanelWidth * size, aBytes = (R1 - R0) * (long)B.K * size;
            int block = panelBytes <= SmallPanelsBytes && aBytes > SmallPanelsBytes ? first : RowBlock<T>(B.K, first);
            for (int rb = R0, re; rb < tiled; rb = re)
            {
                re = R0 + firstEnd - rb > block ? rb + block : tiled;
                Panels<TV, TOps>(rb, re, tiling, scratch);
            }
            for (int r = tiled; r < R1; r++) Row<TV, TOps>(ref Unsafe.Add(ref a0, r * RowStride), r, scratch);
        }

        /// <summary>
        /// Rows [r0, r1) of C × every panel asked for, in the tiles of <paramref name="tiling"/> (from row R0); the tiles
        /// of one row count in one call, but for a padded panel (one tile at a time, through scratch) and the first tile
        /// of a panel that prefetches the next.
        /// </summary>
        private void Panels<TV, TOps>(int r0, int r1, TileCounts tiling, scoped Span<T> scratch) where TV : struct where TOps : IVec<T, TV>
        {
            int kk = B.K, pw = B.PanelWidth;
            bool large = (long)kk * pw * Unsafe.SizeOf<T>() > PrefetchPanelBytes;
            ref T a0 = ref MemoryMarshal.GetReference(A);
            ref T b0 = ref MemoryMarshal.GetReference(B.Data);
            for (int p = P0; p < P1; p++)
            {
                var (col, width) = B.PanelColumns(p);
                ref T panel = ref Unsafe.Add(ref b0, (nint)p * kk * pw);
                for (int r = r0, rows, end, tiles; r < r1; r += rows * tiles)
                {
                    (rows, end) = tiling.At(r - R0);   // this row count's tiles end at R0 + end
                    end += R0;
                    ref T ar = ref Unsafe.Add(ref a0, r * RowStride);
                    bool fetch = large && r == r0 && p + 1 < P1;   // the next panel, read from here on
                    tiles = width != pw || fetch ? 1 : (Math.Min(end, r1) - r) / rows;
                    if (width != pw) Partial<TV, TOps>(ref ar, rows, ref panel, kk, r, col, width, scratch);
                    else TileOf<TV, TOps>(rows, tiles, ref ar, ref panel, kk, ref C[r * Ldc + col], Ldc, ref fetch ? ref Unsafe.Add(ref panel, (nint)kk * pw) : ref panel, fetch);
                }
            }
        }

        /// <summary><paramref name="tiles"/> tiles of <paramref name="rows"/> rows each (8 to 4; or one single row) of A on one panel, into C at <paramref name="c"/> with row stride <paramref name="ldc"/>.</summary>
        private readonly void TileOf<TV, TOps>(int rows, int tiles, ref T a, ref T panel, int kk, ref T c, int ldc, ref T next, bool fetch) where TV : struct where TOps : IVec<T, TV>
        {
            switch (rows)
            {
                case 8 when fetch: Tile<Rows8, Fetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 7 when fetch: Tile<Rows7, Fetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 6 when fetch: Tile<Rows6, Fetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 5 when fetch: Tile<Rows5, Fetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 4 when fetch: Tile<Rows4, Fetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 8: Tile<Rows8, NoFetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 7: Tile<Rows7, NoFetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 6: Tile<Rows6, NoFetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 5: Tile<Rows5, NoFetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                case 4: Tile<Rows4, NoFetch, T, TV, TOps>(tiles, ref a, RowStride, ref panel, kk, ref c, ldc, Acc, ref next); break;
                default: Tile1<T, TV, TOps>(ref a, ref panel, kk, ref c, Acc); break;
            }
        }

        /// <summary>One row of C over the panels: four full panels at a time, then one at a time.</summary>
        private void Row<TV, TOps>(ref T a, int r, scoped Span<T> scratch) where TV : struct where TOps : IVec<T, TV>
        {
            int kk = B.K, pw = B.PanelWidth;
            ref T b0 = ref MemoryMarshal.GetReference(B.Data);
            int p = P0;
            for (; p + RowTilePanels <= P1 && AllFull(p, RowTilePanels); p += RowTilePanels)
                RowTile<T, TV, TOps>(ref a, ref Unsafe.Add(ref b0, (nint)p * kk * pw), kk, (nint)kk * pw, C, r * Ldc, B, p, Acc);
            for (; p < P1; p++)
            {
                var (col, width) = B.PanelColumns(p);
                ref T panel = ref Unsafe.Add(ref b0, (nint)p * kk * pw);
                if (width == pw) Tile1<T, TV, TOps>(ref a, ref panel, kk, ref C[r * Ldc + col], Acc);
                else Partial<TV, TOps>(ref a, 1, ref panel, kk, r, col, width, scratch);
            }
        }

        private readonly bool AllFull(int p, int count)
        {
            for (int i = p; i < p + count; i++) if (B.PanelColumns(i).Width != B.PanelWidth) return false;
            return true;
        }

        /// <summary>A panel with padded columns: run the same tile on a scratch copy of C, then copy the real columns.</summary>
        private void Partial<TV, TOps>(ref T a, int rows, ref T panel, int kk, int r, int col, int width, scoped Span<T> scratch)
            where TV : struct where TOps : IVec<T, TV>
        {
            int pw = B.PanelWidth;
            for (int i = 0; i < rows; i++)
            {
                var s = scratch.Slice(i * pw, pw);
                s.Clear();
                if (Acc) C.Slice((r + i) * Ldc + col, width).CopyTo(s);
            }
            TileOf<TV, TOps>(rows, 1, ref a, ref panel, kk, ref scratch[0], pw, ref panel, false);
            for (int i = 0; i < rows; i++) scratch.Slice(i * pw, width).CopyTo(C.Slice((r + i) * Ldc + col, width));
        }
    }

    /// <summary>The row count of a register tile: a constant of each instantiation of <see cref="Tile"/>, which the JIT folds.</summary>
    private interface ITileRows { static abstract int Rows { get; } }
    private struct Rows4 : ITileRows { public static int Rows => 4; }
    private struct Rows5 : ITileRows { public static int Rows => 5; }
    private struct Rows6 : ITileRows { public static int Rows => 6; }
    private struct Rows7 : ITileRows { public static int Rows => 7; }
    private struct Rows8 : ITileRows { public static int Rows => 8; }

    /// <summary>Whether a <see cref="Tile"/> prefetches the next panel: a constant of each instantiation, so that the loop without it has no test.</summary>
    private interface IFetch { static abstract bool On { get; } }
    private struct Fetch : IFetch { public static bool On => true; }
    private struct NoFetch : IFetch { public static bool On => false; }

    /// <summary>
    /// The register tile: <typeparamref name="TR"/> rows (4 to 8) × 2 vectors of C, one accumulator each, one pass over k.
    /// Per k it loads two vectors of the panel and broadcasts one value of A per row for two multiply-adds each. Six rows
    /// keep twelve independent chains, covering the latency of two FMA pipes with room to spare; five keep ten; four only
    /// the eight the pipes need, with none to spare, and run measurably slower per row. Seven and eight rows need the 32
    /// vector registers of AVX-512's encoding (<see cref="LargestTileRows"/>); with them a panel is read fewer times per
    /// row of C: 4 times for 32 rows instead of 6. Each row of A has its own
    /// reference and one index walks k, so every broadcast is a single addressed load; two k per iteration halve the
    /// loop's own instructions. Rows past <typeparamref name="TR"/> are dead code. One call runs
    /// <paramref name="tiles"/> such tiles down the rows of the same panel, so that the call's own cost (arguments,
    /// prologue, the dispatch on the row count) comes once per panel and row count instead of once per tile: with K = 320
    /// a tile is only a few thousand cycles, and in-process the GEMM and 2-thread training steps of 65,512 were
    /// a little faster so.
    /// <para>
    /// With <typeparamref name="TF"/> (x86), each iteration also asks for two cache lines of the panel at
    /// <paramref name="next"/> into L2, as far into it as this one has read its own: the whole next panel at 256 bits
    /// (half of it at 512, where the hardware's adjacent-line fetch may take the rest). The first row tile of each panel
    /// larger than <see cref="PrefetchPanelBytes"/> does this for the next, which then meets its first tile in L2 instead
    /// of L3: the step weights of 65,512 (4.7 MB, panels of 37 KB) are read from L3 at every step.
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<TR, TF, T, TV, TOps>(int tiles, ref T a0, nint lda, ref T panel, int kk, ref T cr, int ldc, bool acc, ref T next)
        where TR : struct, ITileRows where TF : struct, IFetch where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVec<T, TV>
    {
        for (int t = 0; t < tiles; t++)
        {
            ref T a = ref Unsafe.Add(ref a0, t * TR.Rows * lda);   // tile t: rows [t·TR, (t+1)·TR) of A and C
            ref T c = ref Unsafe.Add(ref cr, t * TR.Rows * ldc);
            nint w = TOps.Count, pw = 2 * w;
            bool five = TR.Rows >= 5, six = TR.Rows >= 6, seven = TR.Rows >= 7, eight = TR.Rows >= 8;
            ref T a1 = ref Unsafe.Add(ref a, lda);       // rows of A [TR, K]
            ref T a2 = ref Unsafe.Add(ref a, 2 * lda);
            ref T a3 = ref Unsafe.Add(ref a, 3 * lda);
            ref T a4 = ref five ? ref Unsafe.Add(ref a, 4 * lda) : ref a;
            ref T a5 = ref six ? ref Unsafe.Add(ref a, 5 * lda) : ref a;
            ref T a6 = ref seven ? ref Unsafe.Add(ref a, 6 * lda) : ref a;
            ref T a7 = ref eight ? ref Unsafe.Add(ref a, 7 * lda) : ref a;
            ref T c1 = ref Unsafe.Add(ref c, ldc);       // rows of C [TR, 2w]
            ref T c2 = ref Unsafe.Add(ref c, 2 * ldc);
            ref T c3 = ref Unsafe.Add(ref c, 3 * ldc);
            ref T c4 = ref five ? ref Unsafe.Add(ref c, 4 * ldc) : ref c;
            ref T c5 = ref six ? ref Unsafe.Add(ref c, 5 * ldc) : ref c;
            ref T c6 = ref seven ? ref Unsafe.Add(ref c, 6 * ldc) : ref c;
            ref T c7 = ref eight ? ref Unsafe.Add(ref c, 7 * ldc) : ref c;
            TV z = TOps.Splat(T.Zero);
            TV c00 = acc ? TOps.Load(in c) : z, c01 = acc ? TOps.Load(in Unsafe.Add(ref c, w)) : z;
            TV c10 = acc ? TOps.Load(in c1) : z, c11 = acc ? TOps.Load(in Unsafe.Add(ref c1, w)) : z;
            TV c20 = acc ? TOps.Load(in c2) : z, c21 = acc ? TOps.Load(in Unsafe.Add(ref c2, w)) : z;
            TV c30 = acc ? TOps.Load(in c3) : z, c31 = acc ? TOps.Load(in Unsafe.Add(ref c3, w)) : z;
            TV c40 = five && acc ? TOps.Load(in c4) : z, c41 = five && acc ? TOps.Load(in Unsafe.Add(ref c4, w)) : z;
            TV c50 = six && acc ? TOps.Load(in c5) : z, c51 = six && acc ? TOps.Load(in Unsafe.Add(ref c5, w)) : z;
            TV c60 = seven && acc ? TOps.Load(in c6) : z, c61 = seven && acc ? TOps.Load(in Unsafe.Add(ref c6, w)) : z;
            TV c70 = eight && acc ? TOps.Load(in c7) : z, c71 = eight && acc ? TOps.Load(in Unsafe.Add(ref c7, w)) : z;
            ref T bp = ref panel;                         // panel [K, 2w]: row k at k·2w
            nint k = 0, pairs = kk - 1;
            ref T np = ref next;
            for (; k < pairs; k += 2)
            {
                if (TF.On && Sse.IsSupported)
                {
                    Sse.Prefetch1(Unsafe.AsPointer(ref np));
                    Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref np, pw)));
                    np = ref Unsafe.Add(ref np, 2 * pw);
                }
                TV b0 = TOps.Load(in bp), b1 = TOps.Load(in Unsafe.Add(ref bp, w));
                TV x = TOps.Splat(Unsafe.Add(ref a, k));
                c00 = TOps.MulAdd(x, b0, c00); c01 = TOps.MulAdd(x, b1, c01);
                x = TOps.Splat(Unsafe.Add(ref a1, k));
                c10 = TOps.MulAdd(x, b0, c10); c11 = TOps.MulAdd(x, b1, c11);
                x = TOps.Splat(Unsafe.Add(ref a2, k));
                c20 = TOps.MulAdd(x, b0, c20); c21 = TOps.MulAdd(x, b1, c21);
                x = TOps.Splat(Unsafe.Add(ref a3, k));
                c30 = TOps.MulAdd(x, b0, c30); c31 = TOps.MulAdd(x, b1, c31);
                if (five) { x = TOps.Splat(Unsafe.Add(ref a4, k)); c40 = TOps.MulAdd(x, b0, c40); c41 = TOps.MulAdd(x, b1, c41); }
                if (six) { x = TOps.Splat(Unsafe.Add(ref a5, k)); c50 = TOps.MulAdd(x, b0, c50); c51 = TOps.MulAdd(x, b1, c51); }
                if (seven) { x = TOps.Splat(Unsafe.Add(ref a6, k)); c60 = TOps.MulAdd(x, b0, c60); c61 = TOps.MulAdd(x, b1, c61); }
                if (eight) { x = TOps.Splat(Unsafe.Add(ref a7, k)); c70 = TOps.MulAdd(x, b0, c70); c71 = TOps.MulAdd(x, b1, c71); }
                b0 = TOps.Load(in Unsafe.Add(ref bp, pw)); b1 = TOps.Load(in Unsafe.Add(ref bp, pw + w));
                x = TOps.Splat(Unsafe.Add(ref a, k + 1));
                c00 = TOps.MulAdd(x, b0, c00); c01 = TOps.MulAdd(x, b1, c01);
                x = TOps.Splat(Unsafe.Add(ref a1, k + 1));
                c10 = TOps.MulAdd(x, b0, c10); c11 = TOps.MulAdd(x, b1, c11);
                x = TOps.Splat(Unsafe.Add(ref a2, k + 1));
                c20 = TOps.MulAdd(x, b0, c20); c21 = TOps.MulAdd(x, b1, c21);
                x = TOps.Splat(Unsafe.Add(ref a3, k + 1));
                c30 = TOps.MulAdd(x, b0, c30); c31 = TOps.MulAdd(x, b1, c31);
                if (five) { x = TOps.Splat(Unsafe.Add(ref a4, k + 1)); c40 = TOps.MulAdd(x, b0, c40); c41 = TOps.MulAdd(x, b1, c41); }
                if (six) { x = TOps.Splat(Unsafe.Add(ref a5, k + 1)); c50 = TOps.MulAdd(x, b0, c50); c51 = TOps.MulAdd(x, b1, c51); }
                if (seven) { x = TOps.Splat(Unsafe.Add(ref a6, k + 1)); c60 = TOps.MulAdd(x, b0, c60); c61 = TOps.MulAdd(x, b1, c61); }
                if (eight) { x = TOps.Splat(Unsafe.Add(ref a7, k + 1)); c70 = TOps.MulAdd(x, b0, c70); c71 = TOps.MulAdd(x, b1, c71); }
                bp = ref Unsafe.Add(ref bp, 2 * pw);
            }
            if (k < kk)
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
                if (five) { x = TOps.Splat(Unsafe.Add(ref a4, k)); c40 = TOps.MulAdd(x, b0, c40); c41 = TOps.MulAdd(x, b1, c41); }
                if (six) { x = TOps.Splat(Unsafe.Add(ref a5, k)); c50 = TOps.MulAdd(x, b0, c50); c51 = TOps.MulAdd(x, b1, c51); }
                if (seven) { x = TOps.Splat(Unsafe.Add(ref a6, k)); c60 = TOps.MulAdd(x, b0, c60); c61 = TOps.MulAdd(x, b1, c61); }
                if (eight) { x = TOps.Splat(Unsafe.Add(ref a7, k)); c70 = TOps.MulAdd(x, b0, c70); c71 = TOps.MulAdd(x, b1, c71); }
            }
            TOps.Store(c00, ref c); TOps.Store(c01, ref Unsafe.Add(ref c, w));
            TOps.Store(c10, ref c1); TOps.Store(c11, ref Unsafe.Add(ref c1, w));
            TOps.Store(c20, ref c2); TOps.Store(c21, ref Unsafe.Add(ref c2, w));
            TOps.Store(c30, ref c3); TOps.Store(c31, ref Unsafe.Add(ref c3, w));
            if (five) { TOps.Store(c40, ref c4); TOps.Store(c41, ref Unsafe.Add(ref c4, w)); }
            if (six) { TOps.Store(c50, ref c5); TOps.Store(c51, ref Unsafe.Add(ref c5, w)); }
            if (seven) { TOps.Store(c60, ref c6); TOps.Store(c61, ref Unsafe.Add(ref c6, w)); }
            if (eight) { TOps.Store(c70, ref c7); TOps.Store(c71, ref Unsafe.Add(ref c7, w)); }
        }
    }

    /// <summary>One row × 2 vectors: the same multiply-add chain per element as <see cref="Tile"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<T, TV, TOps>(ref T a, ref T panel, int kk, ref T c, bool acc)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVec<T, TV>
    {
        nint w = TOps.Count, pw = 2 * w;
        TV z = TOps.Splat(T.Zero);
        TV c0 = acc ? TOps.Load(in c) : z, c1 = acc ? TOps.Load(in Unsafe.Add(ref c, w)) : z;
        ref T bp = ref panel;                         // panel [K, 2w]
        for (nint k = 0; k < kk; k++)
        {
            TV x = TOps.Splat(Unsafe.Add(ref a, k));
            c0 = TOps.MulAdd(x, TOps.Load(in bp), c0);
            c1 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref bp, w)), c1);
            bp = ref Unsafe.Add(ref bp, pw);
        }
        TOps.Store(c0, ref c);
        TOps.Store(c1, ref Unsafe.Add(ref c, w));
    }

    /// <summary>
    /// One row × 4 consecutive full panels (8 accumulators): a matrix-vector product that keeps as many multiply-add
    /// chains in flight as a 4-row <see cref="Tile"/>, with the same chain per element as <see cref="Tile1"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTile<T, TV, TOps>(ref T a, ref T panels, int kk, nint panelSize, Span<T> cRow, int rowOffset,
        PackedMatrix<T> b, int firstPanel, bool acc)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVec<T, TV>
    {
        nint w = TOps.Count, pw = 2 * w;
        ref T c0 = ref cRow[rowOffset + b.PanelColumns(firstPanel).Column];
        ref T c1 = ref cRow[rowOffset + b.PanelColumns(firstPanel + 1).Column];
        ref T c2 = ref cRow[rowOffset + b.PanelColumns(firstPanel + 2).Column];
        ref T c3 = ref cRow[rowOffset + b.PanelColumns(firstPanel + 3).Column];
        TV z = TOps.Splat(T.Zero);
        TV s00 = acc ? TOps.Load(in c0) : z, s01 = acc ? TOps.Load(in Unsafe.Add(ref c0, w)) : z;
        TV s10 = acc ? TOps.Load(in c1) : z, s11 = acc ? TOps.Load(in Unsafe.Add(ref c1, w)) : z;
        TV s20 = acc ? TOps.Load(in c2) : z, s21 = acc ? TOps.Load(in Unsafe.Add(ref c2, w)) : z;
        TV s30 = acc ? TOps.Load(in c3) : z, s31 = acc ? TOps.Load(in Unsafe.Add(ref c3, w)) : z;
        ref T p0 = ref panels;                        // 4 panels [K, 2w], panelSize apart
        ref T p1 = ref Unsafe.Add(ref p0, panelSize);
        ref T p2 = ref Unsafe.Add(ref p0, 2 * panelSize);
        ref T p3 = ref Unsafe.Add(ref p0, 3 * panelSize);
        nint o = 0;                                   // offset of row k within each panel
        for (nint k = 0; k < kk; k++, o += pw)
        {
            TV x = TOps.Splat(Unsafe.Add(ref a, k));
            s00 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p0, o)), s00); s01 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p0, o + w)), s01);
            s10 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p1, o)), s10); s11 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p1, o + w)), s11);
            s20 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p2, o)), s20); s21 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p2, o + w)), s21);
            s30 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p3, o)), s30); s31 = TOps.MulAdd(x, TOps.Load(in Unsafe.Add(ref p3, o + w)), s31);
        }
        TOps.Store(s00, ref c0); TOps.Store(s01, ref Unsafe.Add(ref c0, w));
        TOps.Store(s10, ref c1); TOps.Store(s11, ref Unsafe.Add(ref c1, w));
        TOps.Store(s20, ref c2); TOps.Store(s21, ref Unsafe.Add(ref c2, w));
        TOps.Store(s30, ref c3); TOps.Store(s31, ref Unsafe.Add(ref c3, w));
    }
}
