using Recurrent.Native.Kernels;
using Recurrent.Native.Kernels.Reference;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="RnnCellForward{T}"/> and <see cref="RnnCellBackward{T}"/> against <see cref="RnnCellReference"/> at every
/// width, every activation, masked rows, hidden sizes around the vector and panel widths and panel-aligned unit
/// ranges (<see cref="CellCase"/>). Every buffer is compared whole, so a write outside the rows or units asked for fails.
/// </summary>
[TestClass]
public sealed class RnnCellTests
{
    /// <summary>One activation (≤ 16 u, see ElementwiseTests) or one add and one multiply, against a twin in double.</summary>
    private const double Ulps = 16;

    [TestMethod] public void ForwardAndBackward_MatchReferenceAtEveryWidth_Float() => MatchReference<float>();
    [TestMethod] public void ForwardAndBackward_MatchReferenceAtEveryWidth_Double() => MatchReference<double>();
    [TestMethod] public void UnitSplits_GiveTheSameBitsAtEveryWidth_Float() => Splits<float>();
    [TestMethod] public void UnitSplits_GiveTheSameBitsAtEveryWidth_Double() => Splits<double>();

    private static void MatchReference<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(51);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (var act in Enum.GetValues<Activation>())
            foreach (var c in CellCase.All<T>(Activation.Identity, act))
            {
                var data = Step<T>.Random(rng, c.Batch, c.Hidden, c.Mask);
                var expected = data.Clone();
                RnnCellReference.Forward(expected.Forward(c.U0, c.U1), act);
                var actual = data.Clone();
                var f = actual.Forward(c.U0, c.U1);
                Dispatch.Activations<T, RnnCellForward<T>>(ref f, Activation.Identity, act);
                Compare(expected, actual, $"forward {c}");

                // Backward from the h of a whole forward step; dz replaces h in place, the only form the kernel has.
                RnnCellReference.Forward(data.Forward(0, c.Hidden), act);
                expected = data.Clone();
                RnnCellReference.Backward(expected.Backward(c.U0, c.U1), act);
                actual = data.Clone();
                var b = actual.Backward(c.U0, c.U1);
                Dispatch.Activations<T, RnnCellBackward<T>>(ref b, Activation.Identity, act);
                Compare(expected, actual, $"backward {c}");
            }
        });
    }

    private static void Compare<T>(Step<T> expected, Step<T> actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var ((name, e), (_, a)) in expected.Buffers().Zip(actual.Buffers()))
            KernelAssert.Near(e, a, Ulps, $"{what} {name}");
    }

    /// <summary>Units [0, H) in one call or in panel-aligned pieces, in any order: the same bits (threads may split there).</summary>
    private static void Splits<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(52);
        KernelAssert.AtEveryWidth(() =>
        {
            int pw = GemmProblem<T>.PanelWidth, hidden = 3 * pw + 1;
            foreach (var act in Enum.GetValues<Activation>())
            {
                var data = Step<T>.Random(rng, 3, hidden, [0, 1, 1]);
                var whole = data.Clone();
                var f = whole.Forward(0, hidden);
                Dispatch.Activations<T, RnnCellForward<T>>(ref f, Activation.Identity, act);
                var b = whole.Backward(0, hidden);
                Dispatch.Activations<T, RnnCellBackward<T>>(ref b, Activation.Identity, act);

                var pieces = data.Clone();
                foreach (var (u0, u1) in new[] { (2 * pw, hidden), (0, pw), (pw, 2 * pw) })
                {
                    f = pieces.Forward(u0, u1);
                    Dispatch.Activations<T, RnnCellForward<T>>(ref f, Activation.Identity, act);
                }
                foreach (var (u0, u1) in new[] { (pw, 2 * pw), (2 * pw, hidden), (0, pw) })
                {
                    b = pieces.Backward(u0, u1);
                    Dispatch.Activations<T, RnnCellBackward<T>>(ref b, Activation.Identity, act);
                }
                foreach (var ((name, e), (_, a)) in whole.Buffers().Zip(pieces.Buffers()))
                    KernelAssert.Identical<T>(e, a, $"{act} H={hidden} {name}");
            }
        });
    }

    /// <summary>The buffers of one simple-RNN step <c>[B, H]</c>; pre-activations as in <see cref="LstmStepData{T}"/>.</summary>
    private sealed class Step<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private int _batch, _hidden;
        private float[] _mask = [];
        private T[] _gates = [], _hPrev = [], _h = [], _y = [], _dy = [], _dh = [];

        public static Step<T> Random(Rng rng, int batch, int hidden, float[] mask)
        {
            int bh = batch * hidden;
            var gates = TestSupport.Data.Uniform<T>(rng, bh, -3, 3);
            for (int i = 0; i < gates.Length; i += 7) gates[i] = T.CreateTruncating((i % 2 == 0 ? 1 : -1) * (i % 3 == 0 ? 40 : 15));
            T[] U(int n) => TestSupport.Data.Uniform<T>(rng, n, -1, 1);
            return new Step<T> { _batch = batch, _hidden = hidden, _mask = mask, _gates = gates, _hPrev = U(bh), _h = U(bh), _y = U(bh), _dy = U(bh), _dh = U(bh) };
        }

        public Step<T> Clone() => new()
        {
            _batch = _batch, _hidden = _hidden, _mask = _mask, _gates = (T[])_gates.Clone(), _hPrev = (T[])_hPrev.Clone(),
            _h = (T[])_h.Clone(), _y = (T[])_y.Clone(), _dy = (T[])_dy.Clone(), _dh = (T[])_dh.Clone(),
        };

        public RnnCellForward<T> Forward(int u0, int u1) => new()
        {
            Gates = _gates, HPrev = _hPrev, H = _h, Y = _y, Mask = _mask, Batch = _batch, Hidden = _hidden, U0 = u0, U1 = u1,
        };

        public RnnCellBackward<T> Backward(int u0, int u1) => new()
        {
            DY = _dy, DH = _dh, DGates = _gates, Mask = _mask, Batch = _batch, Hidden = _hidden, U0 = u0, U1 = u1,
        };

        public IEnumerable<(string Name, T[] Values)> Buffers() => [("Gates", _gates), ("H", _h), ("Y", _y), ("DH", _dh)];
    }
}
