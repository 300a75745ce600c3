using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Kernels;

/// <summary>
/// The right-hand operand of <see cref="Gemm"/>, packed once and reused for many products: logical B <c>[K, N]</c>
/// cut into panels of <see cref="PanelWidth"/> columns, each stored k-major (<c>panel[k * PanelWidth + j]</c>) so the
/// micro-kernel streams it with unit stride. The N columns form <see cref="Groups"/> equal groups (the four gates of an
/// LSTM); each group is zero-padded to whole panels, and panels are ordered block-major — panel <c>p * Groups + g</c>
/// holds block <c>p</c> of group <c>g</c> — so that a contiguous panel range covers the same units of every gate.
/// </summary>
public sealed class PackedMatrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Vectors per panel.</summary>
    internal const int VectorsPerPanel = 2;

    private readonly AlignedArray<T> _data = new();

    /// <summary>Rows of the logical B (the reduction length).</summary>
    public int K { get; private set; }
    /// <summary>Columns of the logical B.</summary>
    public int N { get; private set; }
    /// <summary>Number of equal column groups.</summary>
    public int Groups { get; private set; } = 1;
    /// <summary>Columns per panel (a multiple of the vector length).</summary>
    public int PanelWidth { get; private set; }
    /// <summary>Panels per group.</summary>
    public int BlocksPerGroup { get; private set; }
    /// <summary>Total panels.</summary>
    public int PanelCount => BlocksPerGroup * Groups;
    /// <summary>The vector width the panels were laid out for.</summary>
    internal VectorWidth Width { get; private set; }
    internal ReadOnlySpan<T> Data => _data.Span;

    /// <summary>Sets the shape (and grows the buffer) without packing: then several workers pack panel ranges.</summary>
    public void Resize(int k, int n, int groups = 1) => Layout(k, n, groups);

    /// <summary>Packs B given row-major <c>[K, N]</c> with leading dimension <paramref name="ldb"/>.</summary>
    public void PackRowMajor(ReadOnlySpan<T> b, int k, int n, int ldb, int groups = 1)
    {
        Layout(k, n, groups);
        PackRowMajorPanels(b, ldb, 0, PanelCount);
    }

    /// <summary>
    /// Rows of B that <see cref="PackRowMajorPanels"/> copies into every full panel before the next rows, when B spans
    /// more than <see cref="Gemm.ManyPagesBytes"/> (the window's states [T·B, H] of 65,512,32,100, 6.5 MB): panel by
    /// panel, every row of B is a page walk again for each panel.
    /// </summary>
    private const int PackRows = 64;

    /// <summary>Packs panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>) of B row-major into the shape set by <see cref="Resize"/>.</summary>
    public void PackRowMajorPanels(ReadOnlySpan<T> b, int ldb, int panelStart, int panelEnd)
    {
        int k = K, n = N;
        CheckSource(b.Length, k, n, ldb);
        int pw = PanelWidth;
        bool moves = Vector256.IsHardwareAccelerated && pw * Unsafe.SizeOf<T>() % Vector256<byte>.Count == 0;
        for (int panel = panelStart; panel < panelEnd; panel++)
        {
            var (col, width) = PanelColumns(panel);
            if (moves && width == pw) continue;   // below
            var dst = _data.Span.Slice(panel * k * pw, k * pw);
            dst.Clear();
            for (int kk = 0; kk < k; kk++)
                b.Slice(kk * ldb + col, width).CopyTo(dst.Slice(kk * pw, width));
        }
        if (!moves) return;
        // Full panels with 256-bit moves: passes of PackRows rows across the panels (a large B), or one pass of all the rows.
        int rowsPerPass = (long)k * ldb * Unsafe.SizeOf<T>() > Gemm.ManyPagesBytes ? PackRows : k;
        for (int k0 = 0; k0 < k; k0 += rowsPerPass)
            for (int panel = panelStart; panel < panelEnd; panel++)
            {
                var (col, width) = PanelColumns(panel);
                if (width == pw) CopyRows(b, ldb, col, _data.Span.Slice(panel * k * pw, k * pw), k0, Math.Min(k0 + rowsPerPass, k));
            }
    }

    /// <summary>
    /// Rows [<paramref name="k0"/>, <paramref name="k1"/>) of a full panel, <see cref="PanelWidth"/> elements each from B
    /// (columns from <paramref name="col"/>), with 256-bit moves: a span copy per row costs a call for 64 bytes.
    /// </summary>
    private void CopyRows(ReadOnlySpan<T> b, int ldb, int col, Span<T> dst, int k0, int k1)
    {
        int rowBytes = PanelWidth * Unsafe.SizeOf<T>();
        ref byte s0 = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(b), col));
        ref byte d0 = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(dst));
        nuint stride = (nuint)ldb * (nuint)Unsafe.SizeOf<T>();
        for (int kk = k0; kk < k1; kk++)
        {
            ref byte s1 = ref Unsafe.Add(ref s0, (nuint)kk * stride);
            ref byte d1 = ref Unsafe.Add(ref d0, (nuint)kk * (nuint)rowBytes);
            for (int o = 0; o < rowBytes; o += Vector256<byte>.Count)
                Vector256.LoadUnsafe(ref s1, (nuint)o).StoreUnsafe(ref d1, (nuint)o);
        }
    }

    /// <summary>Packs B = Bt^T from <paramref name="bt"/> given row-major <c>[N, K]</c> (a weight matrix <c>[out, in]</c>).</summary>
    public void PackTransposed(ReadOnlySpan<T> bt, int k, int n, int ldbt, int groups = 1)
    {
        Layout(k, n, groups);
        CheckSource(bt.Length, n, k, ldbt);
        int pw = PanelWidth;
        for (int panel = 0; panel < PanelCount; panel++)
        {
            var (col, width) = PanelColumns(panel);
            var dst = _data.Span.Slice(panel * k * pw, k * pw);
            dst.Clear();
            for (int j = 0; j < width; j++)
            {
                var row = bt.Slice((col + j) * ldbt, k);
                for (int kk = 0; kk < k; kk++) dst[kk * pw + j] = row[kk];
            }
        }
    }

    /// <summary>
    /// Packs B = [T1ᵀ; T2ᵀ; b] (<c>[K1 + K2 + 1, N]</c>) from two weights given row-major <c>[N, K1]</c> and <c>[N, K2]</c>
    /// and a bias <c>[N]</c> as the last row: the stacked operand of one product [x, h, 1] · [W_ihᵀ; W_hhᵀ; b].
    /// </summary>
    public void PackTransposedStacked(ReadOnlySpan<T> top, int k1, ReadOnlySpan<T> bottom, int k2, ReadOnlySpan<T> bias, int n, int groups = 1)
    {
        Layout(k1 + k2 + 1, n, groups);
        PackTransposedStackedPanels(top, k1, bottom, k2, bias, 0, PanelCount);
    }

    /// <summary>Packs panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>) of the stacked operand into the shape set by <see cref="Resize"/>.</summary>
    public void PackTransposedStackedPanels(ReadOnlySpan<T> top, int k1, ReadOnlySpan<T> bottom, int k2, ReadOnlySpan<T> bias, int panelStart, int panelEnd)
    {
        int n = N;
        if (K != k1 + k2 + 1) throw new InvalidOperationException($"Resize to K = {k1 + k2 + 1} first (K is {K}).");
        CheckSource(top.Length, n, k1, k1);
        CheckSource(bottom.Length, n, k2, k2);
        if (bias.Length != n) throw new ArgumentException($"Bias holds {bias.Length} values; N = {n}.", nameof(bias));
        int pw = PanelWidth, k = k1 + k2 + 1;
        for (int panel = panelStart; panel < panelEnd; panel++)
        {
            var (col, width) = PanelColumns(panel);
            var dst = _data.Span.Slice(panel * k * pw, k * pw);
            dst.Clear();
            for (int j = 0; j < width; j++)
            {
                var upper = top.Slice((col + j) * k1, k1);
                for (int kk = 0; kk < k1; kk++) dst[kk * pw + j] = upper[kk];
                var lower = bottom.Slice((col + j) * k2, k2);
                for (int kk = 0; kk < k2; kk++) dst[(k1 + kk) * pw + j] = lower[kk];
                dst[(k - 1) * pw + j] = bias[col + j];
            }
        }
    }

    /// <summary>First column in C and number of real (unpadded) columns of a panel.</summary>
    public (int Column, int Width) PanelColumns(int panel)
    {
        int g = panel % Groups, block = panel / Groups;
        int gw = N / Groups;
        int start = block * PanelWidth;
        return (g * gw + start, Math.Min(PanelWidth, gw - start));
    }

    private void Layout(int k, int n, int groups)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "Must be non-negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Must be non-negative.");
        if (groups < 1 || n % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"Must be positive and divide N = {n}.");
        Width = SimdWidth.Current;
        K = k; N = n; Groups = groups;
        PanelWidth = SimdWidth.Lanes<T>() * VectorsPerPanel;
        BlocksPerGroup = (n / groups + PanelWidth - 1) / PanelWidth;
        int size = PanelCount * k * PanelWidth;
        _data.EnsureLength(size);
    }

    private static void CheckSource(int length, int rows, int cols, int ld)
    {
        if (ld < cols) throw new ArgumentOutOfRangeException(nameof(ld), ld, $"Leading dimension must be at least {cols}.");
        if (rows > 0 && length < (rows - 1) * ld + cols)
            throw new ArgumentException($"Source holds {length} elements; [{rows}, {cols}] with leading dimension {ld} needs {(rows - 1) * ld + cols}.");
    }
}
