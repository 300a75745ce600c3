using Recurrent.Native.Kernels;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// One cell test case at the current width: activations, batch and mask, hidden size, unit range. Hidden sizes sit
/// around the vector width W and the panel width P (1, 2, 3, W ± 1, W, P ± 1, P, 2P + 3, 3P + 1); unit ranges are the
/// whole row and panel-aligned pieces of it; masks cover none, some, all and a non-binary "present" value.
/// </summary>
internal readonly record struct CellCase(Activation Gate, Activation Cell, int Batch, float[] Mask, int Hidden, int U0, int U1)
{
    private static readonly (int Batch, float[] Mask)[] Masks = [(3, []), (3, [1, 0, 1]), (3, [0, 0.5f, 0]), (1, []), (1, [0])];

    public static IEnumerable<CellCase> All<T>(Activation gate, Activation cell) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = SimdWidth.Lanes<T>(), pw = GemmProblem<T>.PanelWidth;
        var hiddens = new[] { 1, 2, 3, w - 1, w, w + 1, pw - 1, pw, pw + 1, 2 * pw + 3, 3 * pw + 1 }.Where(h => h > 0).Distinct();
        foreach (int hidden in hiddens)
        {
            var ranges = new[] { (0, hidden), (0, pw), (pw, hidden), (pw, 2 * pw), (2 * pw, hidden) }
                .Select(r => (U0: r.Item1, U1: Math.Min(r.Item2, hidden))).Where(r => r.U0 < r.U1).Distinct();
            foreach (var (u0, u1) in ranges)
                foreach (var (batch, mask) in Masks)
                    yield return new CellCase(gate, cell, batch, mask, hidden, u0, u1);
        }
    }

    public override string ToString() =>
        $"{Gate}/{Cell} B={Batch} mask=[{string.Join(",", Mask)}] H={Hidden} units [{U0}, {U1})";
}
