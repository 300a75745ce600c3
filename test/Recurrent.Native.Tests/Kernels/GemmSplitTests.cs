using System.Runtime.CompilerServices;
using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/> over row and panel sub-ranges, as the worker threads call it: a sub-range computes exactly its
/// block of C and touches nothing else, and every element comes out with the same bits whichever split computed it
/// (a row inside an 8- to 4-row tile or alone, its panel alone or with others) — determinism across thread counts rests on it.
/// Each test runs with both tilings (tiles of at most 8 rows, for 32 vector registers, and of at most 6), whichever this
/// machine uses.
/// </summary>
[TestClass]
public sealed class GemmSplitTests
{
    [TestMethod] public void SubRanges_MatchReferenceAtEveryWidth_Float() => AtEveryTiling(SubRanges<float>);
    [TestMethod] public void SubRanges_MatchReferenceAtEveryWidth_Double() => AtEveryTiling(SubRanges<double>);
    [TestMethod] public void EverySplit_GivesTheSameBitsAtEveryWidth_Float() => AtEveryTiling(EverySplit<float>);
    [TestMethod] public void EverySplit_GivesTheSameBitsAtEveryWidth_Double() => AtEveryTiling(EverySplit<double>);
    [TestMethod] public void RowBlocks_GiveTheBitsOfSingleTilesAtEveryWidth_Float() => AtEveryTiling(RowBlocks<float>);
    [TestMethod] public void RowBlocks_GiveTheBitsOfSingleTilesAtEveryWidth_Double() => AtEveryTiling(RowBlocks<double>);
    [TestMethod] public void SmallPanels_GiveTheBitsOfSingleTilesAtEveryWidth_Float() => AtEveryTiling(SmallPanels<float>);
    [TestMethod] public void SmallPanels_GiveTheBitsOfSingleTilesAtEveryWidth_Double() => AtEveryTiling(SmallPanels<double>);

    /// <summary>Runs <paramref name="body"/> with tiles of at most 6 rows, then of at most 8, then restores this machine's choice.</summary>
    private static void AtEveryTiling(Action body)
    {
        int keep = Gemm.LargestTileRows;
        try
        {
            foreach (int largest in new[] { Gemm.TileRows, Gemm.MaxTileRows })
            {
                Gemm.LargestTileRows = largest;
                body();
            }
        }
        finally { Gemm.LargestTileRows = keep; }
    }

    /// <summary>
    /// With tiles of at most 6 rows, rows are tiled whole: 6-row tiles, the rest made up with 5-row tiles
    /// (32 = 2 × 6 + 4 × 5), 4-row tiles only where 5- and 6-row tiles cannot make up the count (below 20 rows), single
    /// rows only for 1, 2, 3 and 7 rows.
    /// </summary>
    [TestMethod]
    public void Tiling_MakesUpRowsWithFiveRowTiles()
    {
        Assert.AreEqual(new Gemm.TileCounts(0, 0, 2, 4, 0), Gemm.Tiling(32, 6));
        Assert.AreEqual(new Gemm.TileCounts(0, 0, 0, 1, 2), Gemm.Tiling(13, 6));
        for (int m = 0; m <= 200; m++)
        {
            var t = Gemm.Tiling(m, 6);
            string what = $"m = {m}: {t}";
            Assert.IsTrue(t.Eights == 0 && t.Sevens == 0 && t.Sixes >= 0 && t.Fives >= 0 && t.Fours >= 0, what);
            Assert.AreEqual(m is 1 or 2 or 3 ? m : m == 7 ? 1 : 0, m - t.Rows, what + ": single rows");
            if (m >= 20) Assert.AreEqual(0, t.Fours, what + ": 4-row tiles");
            if (m % 6 == 0) Assert.AreEqual(m / 6, t.Sixes, what);
        }
    }

    /// <summary>
    /// With tiles of at most 8 rows (32 vector registers), rows are tiled whole: 8-row tiles, the rest made up with
    /// one 7-, 6- or 5-row tile, or by giving back one or two 8-row tiles for two or three of 6 and 5 rows
    /// (42 = 4 × 8 + 2 × 5); 4-row tiles only for 4 and 9 rows, single rows only for 1, 2 and 3.
    /// </summary>
    [TestMethod]
    public void Tiling_WithEightRowTiles_MakesUpRowsWithSmallerTiles()
    {
        Assert.AreEqual(new Gemm.TileCounts(4, 0, 0, 0, 0), Gemm.Tiling(32, 8));
        Assert.AreEqual(new Gemm.TileCounts(4, 0, 0, 2, 0), Gemm.Tiling(42, 8));
        Assert.AreEqual(new Gemm.TileCounts(0, 0, 2, 1, 0), Gemm.Tiling(17, 8));
        for (int m = 0; m <= 200; m++)
        {
            var t = Gemm.Tiling(m, 8);
            string what = $"m = {m}: {t}";
            Assert.IsTrue(t.Eights >= 0 && t.Sevens >= 0 && t.Sixes >= 0 && t.Fives >= 0 && t.Fours >= 0, what);
            Assert.AreEqual(m is 1 or 2 or 3 ? m : 0, m - t.Rows, what + ": single rows");
            Assert.AreEqual(m is 4 or 9 ? 1 : 0, t.Fours, what + ": 4-row tiles");
            Assert.IsLessThanOrEqualTo(3, t.Sevens + t.Sixes + t.Fives + t.Fours, what + ": at most three smaller tiles");
            if (m % 8 == 0) Assert.AreEqual(m / 8, t.Eights, what);
        }
    }

    private static void SubRanges<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(31);
        KernelAssert.AtEveryWidth(() =>
        {
            int pw = GemmProblem<T>.PanelWidth;
            foreach (var form in Enum.GetValues<GemmForm>())
            foreach (var (m, n, k, groups) in new[] { (9, 2 * pw + 3, 7, 1), (6, 4 * (pw + 1), 5, 4) })
            {
                var p = new GemmProblem<T>(rng, form, m, n, k, groups, pad: 2);
                int panels = p.Packed.PanelCount;
                foreach (bool accumulate in new[] { false, true })
                {
                    var full = p.Reference(accumulate);
                    var tolerance = p.Tolerance(accumulate);
                    for (int r0 = 0; r0 <= m; r0++)
                    for (int r1 = r0; r1 <= m; r1++)
                    for (int p0 = 0; p0 <= panels; p0++)
                    for (int p1 = p0; p1 <= panels; p1++)
                    {
                        // The reference's values inside rows [r0, r1) × the columns of panels [p0, p1); C0 elsewhere.
                        var expected = (T[])p.C0.Clone();
                        var inside = new bool[expected.Length];
                        for (int panel = p0; panel < p1; panel++)
                        {
                            var (col, width) = p.Packed.PanelColumns(panel);
                            for (int r = r0; r < r1; r++)
                            {
                                Array.Copy(full, r * p.Ldc + col, expected, r * p.Ldc + col, width);
                                inside.AsSpan(r * p.Ldc + col, width).Fill(true);
                            }
                        }
                        KernelAssert.Near(expected, p.Kernel(accumulate, r0, r1, p0, p1), i => inside[i] ? tolerance(i) : 0,
                            $"{p} accumulate={accumulate} rows [{r0}, {r1}) panels [{p0}, {p1})");
                    }
                }
            }
        });
    }

    private static void EverySplit<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(32);
        KernelAssert.AtEveryWidth(() =>
        {
            int pw = GemmProblem<T>.PanelWidth;
            foreach (var form in new[] { GemmForm.NN, GemmForm.NT })
            foreach (int groups in new[] { 1, 4 })
            {
                // 41 rows: the splits below call every row count from 1 to 40, so every tiling (see Tiling_*) meets the others.
                var p = new GemmProblem<T>(rng, form, 41, groups * (2 * pw + 3), 37, groups, pad: 1);
                int m = p.M, panels = p.Packed.PanelCount;
                foreach (bool accumulate in new[] { false, true })
                {
                    var whole = p.Kernel(accumulate);
                    string what = $"{p} accumulate={accumulate}";

                    var c = (T[])p.C0.Clone();
                    for (int r = 0; r < m; r++) Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, r, r + 1, 0, panels, accumulate);
                    KernelAssert.Identical<T>(whole, c, what + " one row at a time");

                    for (int split = 1; split < m; split++)
                    {
                        c = (T[])p.C0.Clone();
                        Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, split, m, 0, panels, accumulate);
                        Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, 0, split, 0, panels, accumulate);
                        KernelAssert.Identical<T>(whole, c, $"{what} rows split at {split}");
                    }

                    c = (T[])p.C0.Clone();
                    for (int panel = panels - 1; panel >= 0; panel--)
                        Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, 0, m, panel, panel + 1, accumulate);
                    KernelAssert.Identical<T>(whole, c, what + " one panel at a time");

                    for (int split = 1; split < panels; split++)
                    {
                        c = (T[])p.C0.Clone();
                        Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, 3, m, 0, split, accumulate);
                        Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, 0, 3, 0, split, accumulate);
                        Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, 0, m, split, panels, accumulate);
                        KernelAssert.Identical<T>(whole, c, $"{what} panels split at {split}, rows at 3");
                    }
                }
            }
        });
    }

    /// <summary>
    /// A reduction long enough that A's rows are taken in several blocks (<see cref="Gemm.RowBlock{T}"/>), a partial
    /// last panel and rows over a multiple of the largest tile made up with 5-row tiles: the whole call matches the reference and gives
    /// the same bits as computing it one 6-row tile's rows at a time, each call far below a block.
    /// </summary>
    private static void RowBlocks<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(33);
        int tile = Gemm.LargestTileRows, k = 4099, block = Gemm.RowBlock<T>(k, tile), m = 2 * block + tile + 2;   // 2 blocks, the second with 5-row tiles (2 rows over a multiple of the tile: 4 or 2 of them)
        Assert.IsTrue(block >= tile && block % tile == 0 && block < m / 2, $"block of {block} rows for K = {k}");
        WholeMatchesSixRowCalls(new GemmProblem<T>(rng, GemmForm.NN, m, GemmProblem<T>.PanelWidth + 3, k), $"in blocks of {block} rows");
    }

    /// <summary>
    /// Few panels and many rows (the dense head's products): each 6-row tile goes over all the panels before the next
    /// (<see cref="Gemm.SmallPanelsBytes"/>), with a padded last panel and 5-row tiles at the end.
    /// </summary>
    private static void SmallPanels<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(34);
        int k = 65, m = (int)(Gemm.SmallPanelsBytes / (k * Unsafe.SizeOf<T>())) + 2 * Gemm.TileRows + 4;   // A just over the bound
        WholeMatchesSixRowCalls(new GemmProblem<T>(rng, GemmForm.NN, m, 2 * GemmProblem<T>.PanelWidth + 3, k), "with row tiles over all the panels", p =>
        {
            long panelBytes = (long)p.Packed.PanelCount * k * p.Packed.PanelWidth * Unsafe.SizeOf<T>();
            Assert.IsTrue(panelBytes <= Gemm.SmallPanelsBytes && (long)m * k * Unsafe.SizeOf<T>() > Gemm.SmallPanelsBytes, $"{p}: not the small-panel case");
        });
    }

    /// <summary>
    /// At every width, the whole call (accumulating) matches the reference and gives the same bits as computing it one
    /// 6-row tile's rows at a time; <paramref name="check"/> first checks that the width's packing is the case meant.
    /// </summary>
    private static void WholeMatchesSixRowCalls<T>(GemmProblem<T> p, string how, Action<GemmProblem<T>>? check = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reference = p.Reference(accumulate: true);
        var tolerance = p.Tolerance(accumulate: true);
        KernelAssert.AtEveryWidth(() =>
        {
            check?.Invoke(p);
            var whole = p.Kernel(accumulate: true);
            KernelAssert.Near(reference, whole, tolerance, $"{p} {how}");
            var c = (T[])p.C0.Clone();
            for (int r = 0; r < p.M; r += Gemm.TileRows)
                Gemm.Multiply<T>(p.A, p.Lda, p.Packed, c, p.Ldc, r, Math.Min(r + Gemm.TileRows, p.M), 0, p.Packed.PanelCount, accumulate: true);
            KernelAssert.Identical<T>(whole, c, $"{p} {how}: against 6 rows at a time");
        });
    }
}
