using System.Runtime.CompilerServices;
using Recurrent.Native.Kernels;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/> against <see cref="Reference.GemmReference"/> at every width: NN, NT and TN, accumulate on and
/// off, tight and padded leading dimensions, groups 1 and 4, every M, N and K from 0 to 3 panels + 1, odd, prime and
/// large shapes. Padding columns of C must come back unchanged (the comparison covers them).
/// </summary>
[TestClass]
public sealed class GemmTests
{
    [TestMethod] public void SmallShapes_MatchReferenceAtEveryWidth_Float() => SmallShapes<float>();
    [TestMethod] public void SmallShapes_MatchReferenceAtEveryWidth_Double() => SmallShapes<double>();
    [TestMethod] public void FourGroups_MatchReferenceAtEveryWidth_Float() => FourGroups<float>();
    [TestMethod] public void FourGroups_MatchReferenceAtEveryWidth_Double() => FourGroups<double>();
    [TestMethod] public void PrimeAndLargeShapes_MatchReferenceAtEveryWidth_Float() => PrimeAndLarge<float>();
    [TestMethod] public void PrimeAndLargeShapes_MatchReferenceAtEveryWidth_Double() => PrimeAndLarge<double>();

    private static void SmallShapes<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(21);
        KernelAssert.AtEveryWidth(() =>
        {
            int last = 3 * GemmProblem<T>.PanelWidth + 1;
            var shapes = new List<(int M, int N, int K)>();
            for (int v = 0; v <= last; v++)
            {
                shapes.AddRange([(1, v, 1), (5, v, 3), (4, v, 0), (0, v, 3), (7, v, 17)]);
                shapes.AddRange([(v, GemmProblem<T>.PanelWidth + 1, 5), (v, 1, 2)]);
                shapes.AddRange([(5, GemmProblem<T>.PanelWidth + 3, v), (1, 1, v)]);
            }
            foreach (var (m, n, k) in shapes)
                foreach (int pad in new[] { 0, 3 })
                    CheckAllForms<T>(rng, m, n, k, groups: 1, pad);
        });
    }

    private static void FourGroups<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(22);
        KernelAssert.AtEveryWidth(() =>
        {
            for (int groupWidth = 0; groupWidth <= 3 * GemmProblem<T>.PanelWidth + 1; groupWidth++)
                foreach (var (m, k) in new[] { (1, 3), (6, 7) })
                    foreach (int pad in new[] { 0, 2 })
                        CheckAllForms<T>(rng, m, 4 * groupWidth, k, groups: 4, pad);
        });
    }

    private static void PrimeAndLarge<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(23);
        // M × N × K; both orientations of the LSTM-like 1 × 320 × 1024 and 32 × 65 × 1024.
        (int M, int N, int K, int Groups)[] shapes =
            [(1, 320, 1024, 1), (1, 1024, 320, 4), (7, 13, 29, 1), (29, 7, 13, 1), (13, 29, 7, 1),
             (7, 4 * 13, 29, 4), (32, 65, 1024, 1), (32, 1024, 65, 4), (3, 97, 101, 1)];
        // The reference does not depend on the width: compute it once per problem, then run the kernel at every width.
        // TN is Transpose then NN, both covered elsewhere: only the smaller shapes run it, to keep the naive loop short.
        foreach (var (m, n, k, groups) in shapes)
            CheckAllForms<T>(rng, m, n, k, groups, pad: 1, KernelAssert.AtEveryWidth, skipTN: m * n * k > 100_000);
    }

    private static void CheckAllForms<T>(Rng rng, int m, int n, int k, int groups, int pad, Action<Action>? widths = null, bool skipTN = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var form in Enum.GetValues<GemmForm>().Where(f => !(skipTN && f == GemmForm.TN)))
        {
            var p = new GemmProblem<T>(rng, form, m, n, k, groups, pad);
            foreach (bool accumulate in new[] { false, true })
            {
                var expected = p.Reference(accumulate);
                var tolerance = p.Tolerance(accumulate);
                (widths ?? (body => body()))(() => KernelAssert.Near(expected, p.Kernel(accumulate), tolerance, $"{p} accumulate={accumulate}"));
            }
        }
    }

    /// <summary>
    /// The column sums read in the transpose's pass (bias gradients) add the rows in order onto the sums' starting values,
    /// exactly as a plain loop does, whatever the column split (split points off the 8-column blocks included).
    /// </summary>
    [TestMethod]
    public void Transpose_ColumnSums_AddTheRowsInOrder()
    {
        var rng = new Rng(25);
        foreach (int rows in new[] { 0, 1, 8, 31, 64, 70 })
            foreach (int cols in new[] { 1, 5, 16, 37 })
            {
                var src = TestSupport.Data.Uniform<float>(rng, rows * cols);
                var start = TestSupport.Data.Uniform<float>(rng, cols);
                var expected = (float[])start.Clone();
                for (int c = 0; c < cols; c++)
                    for (int r = 0; r < rows; r++) expected[c] += src[r * cols + c];
                foreach (int mid in new[] { 0, cols / 3, cols - 1 })
                {
                    var sums = (float[])start.Clone();
                    var dst = new float[rows * cols];
                    Gemm.Transpose<float>(src, rows, cols, dst, mid, cols, sums);
                    Gemm.Transpose<float>(src, rows, cols, dst, 0, mid, sums);
                    CollectionAssert.AreEqual(expected, sums, $"[{rows}, {cols}] split at {mid}");
                }
            }
        var d = TestSupport.Data.Uniform<double>(rng, 13 * 3);
        var dSums = new double[3];
        Gemm.Transpose<double>(d, 13, 3, new double[39], 0, 3, dSums);
        for (int c = 0; c < 3; c++)
        {
            double e = 0;
            for (int r = 0; r < 13; r++) e += d[r * 3 + c];
            Assert.AreEqual(e, dSums[c], $"double column {c}");
        }
    }

    [TestMethod]
    public void Transpose_ByRowRanges_MatchesWhole()
    {
        var rng = new Rng(24);
        foreach (int rows in new[] { 0, 1, 31, 32, 33, 70 })
            foreach (int cols in new[] { 1, 5, 32, 65 })
            {
                var src = TestSupport.Data.Uniform<float>(rng, rows * cols);
                var whole = new float[rows * cols];
                Gemm.Transpose<float>(src, rows, cols, whole, 0, cols);
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        Assert.AreEqual(src[r * cols + c], whole[c * rows + r], $"[{rows}, {cols}] at ({r}, {c})");
                var split = new float[rows * cols];
                int mid = cols / 3;
                Gemm.Transpose<float>(src, rows, cols, split, mid, cols);
                Gemm.Transpose<float>(src, rows, cols, split, 0, mid);
                CollectionAssert.AreEqual(whole, split, $"[{rows}, {cols}] split at {mid}");
            }
    }

    /// <summary>
    /// A source larger than <see cref="Gemm.ManyPagesBytes"/> is transposed 8 rows at a time across the columns: the same
    /// values and column sums (rows added in order) as a plain loop, with rows and a column split off the 8 × 8 blocks.
    /// </summary>
    [TestMethod]
    public void Transpose_LargerThanManyPages_MatchesPlainLoop()
    {
        var rng = new Rng(26);
        int rows = 1030, cols = 1030, mid = 333;
        Assert.IsGreaterThan(Gemm.ManyPagesBytes, (long)rows * cols * sizeof(float), "not the large case");
        var src = TestSupport.Data.Uniform<float>(rng, rows * cols);
        var start = TestSupport.Data.Uniform<float>(rng, cols);
        var expected = (float[])start.Clone();
        for (int c = 0; c < cols; c++)
            for (int r = 0; r < rows; r++) expected[c] += src[r * cols + c];
        KernelAssert.AtEveryWidth(() =>
        {
            var sums = (float[])start.Clone();
            var dst = new float[rows * cols];
            Gemm.Transpose<float>(src, rows, cols, dst, mid, cols, sums);
            Gemm.Transpose<float>(src, rows, cols, dst, 0, mid, sums);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    if (dst[c * rows + r] != src[r * cols + c]) Assert.Fail($"{SimdWidth.Current}: ({r}, {c}) not transposed");
            CollectionAssert.AreEqual(expected, sums, $"{SimdWidth.Current}: column sums");
        });
    }

    [TestMethod] public void PackRowMajorPanels_LargerThanManyPages_Float() => PackLarge<float>();
    [TestMethod] public void PackRowMajorPanels_LargerThanManyPages_Double() => PackLarge<double>();

    /// <summary>
    /// B larger than <see cref="Gemm.ManyPagesBytes"/> is packed a block of rows at a time across its full panels: every
    /// panel holds its columns k-major and zeros in its padding, four groups with a padded panel each, packed in two
    /// panel ranges as two workers do, over a buffer that held other values.
    /// </summary>
    private static void PackLarge<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(27);
        int k = 1100, n = 4 * 250, ldb = n + 3;
        Assert.IsGreaterThan(Gemm.ManyPagesBytes, (long)k * ldb * Unsafe.SizeOf<T>(), "not the large case");
        var b = TestSupport.Data.Uniform<T>(rng, k * ldb);
        KernelAssert.AtEveryWidth(() =>
        {
            var packed = new PackedMatrix<T>();
            packed.PackRowMajor(TestSupport.Data.Uniform<T>(rng, k * ldb), k, n, ldb, groups: 4);   // other values first
            packed.Resize(k, n, groups: 4);
            int pw = packed.PanelWidth, mid = packed.PanelCount / 3;
            packed.PackRowMajorPanels(b, ldb, mid, packed.PanelCount);
            packed.PackRowMajorPanels(b, ldb, 0, mid);
            var data = packed.Data;
            for (int panel = 0; panel < packed.PanelCount; panel++)
            {
                var (col, width) = packed.PanelColumns(panel);
                for (int kk = 0; kk < k; kk++)
                    for (int j = 0; j < pw; j++)
                    {
                        T expected = j < width ? b[kk * ldb + col + j] : T.Zero;
                        if (data[(panel * k + kk) * pw + j] != expected) Assert.Fail($"{SimdWidth.Current}: panel {panel}, k {kk}, column {j}");
                    }
            }
        });
    }

    [TestMethod]
    public void Multiply_RejectsInvalidArguments()
    {
        var rng = new Rng(25);
        var p = new GemmProblem<float>(rng, GemmForm.NN, 4, 8, 6);
        var c = new float[4 * 8];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Gemm.Multiply<float>(p.A, 5, p.Packed, c, 8, 4, false));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Gemm.Multiply<float>(p.A, 6, p.Packed, c, 7, 4, false));
        Assert.ThrowsExactly<ArgumentException>(() => Gemm.Multiply<float>(p.A, 6, p.Packed, c.AsSpan(1), 8, 4, false));
        Assert.ThrowsExactly<ArgumentException>(() => Gemm.Multiply<float>(p.A.AsSpan(1), 6, p.Packed, c, 8, 4, false));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply<float>(p.A, 6, p.Packed, c, 8, 0, 4, 0, p.Packed.PanelCount + 1, false));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => p.Packed.PackRowMajor(p.B, 6, 8, 8, groups: 3));
        if (SimdWidth.Best == VectorWidth.Scalar) return;
        SimdWidth.Current = VectorWidth.Scalar;
        try
        {
            var scalar = new GemmProblem<float>(rng, GemmForm.NN, 4, 8, 6);
            var packedForScalar = scalar.Packed;
            SimdWidth.Current = SimdWidth.Best;
            Assert.ThrowsExactly<InvalidOperationException>(() => Gemm.Multiply<float>(scalar.A, 6, packedForScalar, c, 8, 4, false));
        }
        finally { SimdWidth.Current = SimdWidth.Best; }
    }
}
