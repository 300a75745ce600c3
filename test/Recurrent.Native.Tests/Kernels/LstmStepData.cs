using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// The buffers of one LSTM step, <c>[B, H]</c> and <c>[B, 4H]</c>, filled at random, so the kernel and its twin can run
/// on identical copies. Pre-activations are mostly in [-3, 3], every seventh at ±15 or ±40 where the gates saturate.
/// </summary>
internal sealed class LstmStepData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private LstmStepData(int batch, int hidden, float[] mask) => (Batch, Hidden, Mask) = (batch, hidden, mask);

    public int Batch { get; }
    public int Hidden { get; }
    public float[] Mask { get; }
    public T[] Gates { get; private init; } = [];
    public T[] HPrev { get; private init; } = [];
    public T[] CPrev { get; private init; } = [];
    public T[] H { get; private init; } = [];
    public T[] C { get; private init; } = [];
    public T[] Y { get; private init; } = [];
    public T[] Peepholes { get; private init; } = [];
    public T[] DY { get; private init; } = [];
    public T[] DH { get; private init; } = [];
    public T[] DC { get; private init; } = [];
    public T[] DGates { get; private init; } = [];
    public T[] PeepholeGrads { get; private init; } = [];

    public static LstmStepData<T> Random(Rng rng, int batch, int hidden, float[] mask)
    {
        int bh = batch * hidden;
        var gates = TestSupport.Data.Uniform<T>(rng, 4 * bh, -3, 3);
        for (int i = 0; i < gates.Length; i += 7) gates[i] = T.CreateTruncating((i % 2 == 0 ? 1 : -1) * (i % 3 == 0 ? 40 : 15));
        T[] U(int n, double r) => TestSupport.Data.Uniform<T>(rng, n, -r, r);
        return new LstmStepData<T>(batch, hidden, mask)
        {
            Gates = gates, HPrev = U(bh, 1), CPrev = U(bh, 2), H = U(bh, 1), C = U(bh, 1), Y = U(bh, 1),
            Peepholes = U(3 * hidden, 1), DY = U(bh, 1), DH = U(bh, 1), DC = U(bh, 1), DGates = U(4 * bh, 1),
            PeepholeGrads = U(3 * hidden, 1),
        };
    }

    public LstmStepData<T> Clone() => new(Batch, Hidden, Mask)
    {
        Gates = (T[])Gates.Clone(), HPrev = (T[])HPrev.Clone(), CPrev = (T[])CPrev.Clone(), H = (T[])H.Clone(),
        C = (T[])C.Clone(), Y = (T[])Y.Clone(), Peepholes = (T[])Peepholes.Clone(), DY = (T[])DY.Clone(),
        DH = (T[])DH.Clone(), DC = (T[])DC.Clone(), DGates = (T[])DGates.Clone(), PeepholeGrads = (T[])PeepholeGrads.Clone(),
    };

    /// <summary>The forward arguments for units [u0, u1); no peephole buffer unless <typeparamref name="TPeep"/> is on.</summary>
    public LstmCellForward<T, TPeep> Forward<TPeep>(int u0, int u1) where TPeep : struct, IPeephole => new()
    {
        Gates = Gates, HPrev = HPrev, CPrev = CPrev, H = H, C = C, Y = Y, Mask = Mask,
        Peepholes = TPeep.Enabled ? Peepholes : default,
        Batch = Batch, Hidden = Hidden, U0 = u0, U1 = u1,
    };

    /// <summary>The backward arguments for units [u0, u1); dz overwrites the activations when <paramref name="inPlace"/> (as the layer runs it).</summary>
    public LstmCellBackward<T, TPeep> Backward<TPeep>(int u0, int u1, bool inPlace) where TPeep : struct, IPeephole => new()
    {
        Gates = Gates, C = C, CPrev = CPrev, DY = DY, DH = DH, DC = DC, DGates = inPlace ? Gates : DGates, Mask = Mask,
        Peepholes = TPeep.Enabled ? Peepholes : default, PeepholeGrads = TPeep.Enabled ? PeepholeGrads : default,
        Batch = Batch, Hidden = Hidden, U0 = u0, U1 = u1,
    };

    /// <summary>Every buffer, named, for comparisons.</summary>
    public IEnumerable<(string Name, T[] Values)> Buffers() =>
    [
        (nameof(Gates), Gates), (nameof(H), H), (nameof(C), C), (nameof(Y), Y), (nameof(DH), DH), (nameof(DC), DC),
        (nameof(DGates), DGates), (nameof(PeepholeGrads), PeepholeGrads),
    ];
}
