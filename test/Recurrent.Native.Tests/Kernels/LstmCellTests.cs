using Recurrent.Native.Kernels;
using Recurrent.Native.Kernels.Reference;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="LstmCellForward{T,TPeep}"/> and <see cref="LstmCellBackward{T,TPeep}"/> against
/// <see cref="LstmCellReference"/> at every width: with and without peepholes, every gate and cell activation the
/// layers accept, masked rows (0 = absent, any other value = present), hidden sizes around the vector and panel widths,
/// and unit ranges [U0, U1) starting at multiples of the panel width, as the worker threads split them. Every buffer is
/// compared whole, so a write outside the rows or units asked for fails too.
/// </summary>
[TestClass]
public sealed class LstmCellTests
{
    /// <summary>
    /// Each value is a chain of ≲ 10 roundings and activations (each within ~16 u, tanh's bound, see ElementwiseTests)
    /// on O(1) values, against a twin that computes in double. Up to ≈ 9 u (of max(1, |value|)) is seen; 32 u leaves
    /// room for other hardware's exp and FMA, and is still far below what a wrong term or a wrong unit gives.
    /// </summary>
    private const double Ulps = 32;

    private static readonly Activation[] GateActivations = [Activation.Sigmoid, Activation.HardSigmoid];
    private static readonly Activation[] CellActivations =
        [Activation.Tanh, Activation.Softsign, Activation.ReLU, Activation.Identity, Activation.Sigmoid];

    [TestMethod] public void Forward_MatchesReferenceAtEveryWidth_Float() => Run<float>(41, Forward<float, NoPeephole>, Forward<float, GravesPeephole>);
    [TestMethod] public void Forward_MatchesReferenceAtEveryWidth_Double() => Run<double>(42, Forward<double, NoPeephole>, Forward<double, GravesPeephole>);
    [TestMethod] public void Backward_MatchesReferenceAtEveryWidth_Float() => Run<float>(43, Backward<float, NoPeephole>, Backward<float, GravesPeephole>);
    [TestMethod] public void Backward_MatchesReferenceAtEveryWidth_Double() => Run<double>(44, Backward<double, NoPeephole>, Backward<double, GravesPeephole>);
    [TestMethod] public void UnitSplits_GiveTheSameBitsAtEveryWidth_Float() => Splits<float>();
    [TestMethod] public void UnitSplits_GiveTheSameBitsAtEveryWidth_Double() => Splits<double>();

    private delegate void CaseRunner(Rng rng, CellCase c);

    private static void Run<T>(int seed, CaseRunner plain, CaseRunner peephole) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (var gate in GateActivations)
            foreach (var cell in CellActivations)
            foreach (var c in CellCase.All<T>(gate, cell))
            {
                plain(rng, c);
                peephole(rng, c);
            }
        });
    }

    private static void Forward<T, TPeep>(Rng rng, CellCase c) where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
    {
        var data = LstmStepData<T>.Random(rng, c.Batch, c.Hidden, c.Mask);
        var expected = data.Clone();
        LstmCellReference.Forward(expected.Forward<TPeep>(c.U0, c.U1), c.Gate, c.Cell);
        var actual = data.Clone();
        var k = actual.Forward<TPeep>(c.U0, c.U1);
        Dispatch.Activations<T, LstmCellForward<T, TPeep>>(ref k, c.Gate, c.Cell);
        Compare(expected, actual, $"forward {typeof(TPeep).Name} {c}");
    }

    private static void Backward<T, TPeep>(Rng rng, CellCase c) where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
    {
        var data = LstmStepData<T>.Random(rng, c.Batch, c.Hidden, c.Mask);
        LstmCellReference.Forward(data.Forward<TPeep>(0, c.Hidden), c.Gate, c.Cell);    // activations and c to go back through
        foreach (bool inPlace in new[] { false, true })
        {
            var expected = data.Clone();
            LstmCellReference.Backward(expected.Backward<TPeep>(c.U0, c.U1, inPlace), c.Gate, c.Cell);
            var actual = data.Clone();
            var k = actual.Backward<TPeep>(c.U0, c.U1, inPlace);
            Dispatch.Activations<T, LstmCellBackward<T, TPeep>>(ref k, c.Gate, c.Cell);
            Compare(expected, actual, $"backward {typeof(TPeep).Name} {c} inPlace={inPlace}");
        }
    }

    private static void Compare<T>(LstmStepData<T> expected, LstmStepData<T> actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var ((name, e), (_, a)) in expected.Buffers().Zip(actual.Buffers()))
            KernelAssert.Near(e, a, Ulps, $"{what} {name}");
    }

    /// <summary>Units [0, H) in one call or in panel-aligned pieces, in any order: the same bits (threads may split there).</summary>
    private static void Splits<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(45);
        KernelAssert.AtEveryWidth(() =>
        {
            int pw = GemmProblem<T>.PanelWidth, hidden = 3 * pw + 1;
            foreach (var gate in GateActivations)
            foreach (var cell in CellActivations)
            {
                SplitCase<T, NoPeephole>(rng, gate, cell, hidden, pw);
                SplitCase<T, GravesPeephole>(rng, gate, cell, hidden, pw);
            }
        });
    }

    private static void SplitCase<T, TPeep>(Rng rng, Activation gate, Activation cell, int hidden, int pw)
        where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
    {
        var data = LstmStepData<T>.Random(rng, 3, hidden, [1, 0, 1]);
        var whole = data.Clone();
        var k = whole.Forward<TPeep>(0, hidden);
        Dispatch.Activations<T, LstmCellForward<T, TPeep>>(ref k, gate, cell);
        var b = whole.Backward<TPeep>(0, hidden, inPlace: false);
        Dispatch.Activations<T, LstmCellBackward<T, TPeep>>(ref b, gate, cell);

        var pieces = data.Clone();
        foreach (var (u0, u1) in new[] { (2 * pw, hidden), (0, pw), (pw, 2 * pw) })
        {
            k = pieces.Forward<TPeep>(u0, u1);
            Dispatch.Activations<T, LstmCellForward<T, TPeep>>(ref k, gate, cell);
        }
        foreach (var (u0, u1) in new[] { (pw, 2 * pw), (2 * pw, hidden), (0, pw) })
        {
            b = pieces.Backward<TPeep>(u0, u1, inPlace: false);
            Dispatch.Activations<T, LstmCellBackward<T, TPeep>>(ref b, gate, cell);
        }
        foreach (var ((name, e), (_, a)) in whole.Buffers().Zip(pieces.Buffers()))
            KernelAssert.Identical<T>(e, a, $"{typeof(TPeep).Name} {gate}/{cell} H={hidden} {name}");
    }
}
