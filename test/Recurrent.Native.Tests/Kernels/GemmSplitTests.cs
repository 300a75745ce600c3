using System.Runtime.CompilerServices;
using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/> over row and panel sub-ranges, as the worker threads call it: a sub-range computes exactly its
/// block of C and touches nothing else, and every element comes out with the same bits whichever split computed it
/// (a row inside a 6-, 5- or 4-row tile or alone, its panel alone or with others) — determinism across thread counts rests on it.
/// </summary>
[TestClass]
public sealed class GemmSplitTests
{
    [TestMethod] public void SubRanges_MatchReferenceAtEveryWidth_Float() => SubRanges<float>();
    [TestMethod] public void SubRanges_MatchReferenceAtEveryWidth_Double() => SubRanges<double>();
    [TestMethod] public void EverySplit_GivesTheSameBitsAtEveryWidth_Float() => EverySplit<float>();
    [TestMethod] public void EverySplit_GivesTheSameBitsAtEveryWidth_Double() => EverySplit<double>();
    [TestMethod] public void RowBlocks_GiveTheBitsOfSingleTilesAtEveryWidth_Float() => RowBlocks<float>();
    [TestMethod] public void RowBlocks_GiveTheBitsOfSingleTilesAtEveryWidth_Double() => RowBlocks<double>();
    [TestMethod] public void SmallPanels_GiveTheBitsOfSingleTilesAtEveryWidth_Float() => SmallPanels<float>();
    [TestMethod] public void SmallPanels_GiveTheBitsOfSingleTilesAtEveryWidth_Double() => SmallPanels<double>();

    /// <summary>
    /// Rows are tiled whole: 6-row tiles, the rest made up with 5-row tiles (32 = 2 × 6 + 4 × 5), 4-row tiles only where
    /// 5- and 6-row tiles cannot make up the count (below 20 rows), single rows only for 1, 2, 3 and 7 rows.
    /// </summary>
    [TestMethod]
    public void Tiling_MakesUpRowsWithFiveRowTiles()
    {
        Assert.AreEqual((12, 32, 32), Gemm.Tiling(32));
        Assert.AreEqual((0, 5, 13), Gemm.Tiling(13));
        for (int m = 0; m <= 200; m++)
        {
            var (sixes, fives, tiled) = Gemm.Tiling(m);
            string what = $"m = {m}: 6-row tiles to {sixes}, 5-row tiles to {fives}, 4-row tiles to {tiled}";
            Assert.IsTrue(sixes % 6 == 0 && sixes <= fives && (fives - sixes) % 5 == 0 && fives <= tiled && (tiled - fives) % 4 == 0, what);
            Assert.AreEqual(m is 1 or 2 or 3 ? m : m == 7 ? 1 : 0, m - tiled, what + ": single rows");
            if (m >= 20) Assert.AreEqual(fives, tiled, what + ": 4-row tiles");
            if (m % 6 == 0) Assert.AreEqual(m, sixes, what);
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
    /// last panel and rows over a multiple of 6 made up with 5-row tiles: the whole call matches the reference and gives
    /// the same bits as computing it one 6-row tile's rows at a time, each call far below a block.
    /// </summary>
    private static void RowBlocks<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(33);
        int k = 4099, block = Gemm.RowBlock<T>(k), m = 2 * block + Gemm.TileRows + 2;   // 2 blocks, the second with the 5-row tiles (2 rows over a multiple of 6: 4 of them)
        Assert.IsTrue(block >= Gemm.TileRows && block % Gemm.TileRows == 0 && block < m / 2, $"block of {block} rows for K = {k}");
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
