using Recurrent.Native.Kernels;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Layers;

/// <summary>
/// LSTM with PyTorch's equations and parameters (gate order i, f, g, o), optionally with Graves peepholes
/// (<c>peephole_i/f/o [H]</c>: the input and forget gates see c(t-1), the output gate sees c(t), as in DL4J's GravesLSTM).
/// The gate activation (sigmoid or hard sigmoid) and the cell activation (tanh by default) can be chosen.
/// </summary>
public sealed class LstmLayer<T> : RecurrentLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer and declares its tensors (names end in <paramref name="suffix"/>, e.g. <c>_l0</c>).</summary>
    public LstmLayer(ParameterLayout layout, string suffix, int inputSize, int hidden, bool peepholes = false, bool reverse = false,
        Activation gateActivation = Activation.Sigmoid, Activation cellActivation = Activation.Tanh, double forgetBias = 1.0)
        : base(layout, suffix, inputSize, hidden, 4, reverse,
            peepholes ? [("peephole_i", [hidden]), ("peephole_f", [hidden]), ("peephole_o", [hidden])] : [])
    {
        Peepholes = peepholes;
        GateActivation = gateActivation;
        CellActivation = cellActivation;
        ForgetBias = forgetBias;
    }

    /// <summary>True for a Graves LSTM.</summary>
    public bool Peepholes { get; }
    /// <summary>Activation of the i, f, o gates.</summary>
    public Activation GateActivation { get; }
    /// <summary>Activation of the candidate g and of the cell output.</summary>
    public Activation CellActivation { get; }
    /// <summary>Initial forget-gate bias (in <c>bias_ih</c>).</summary>
    public double ForgetBias { get; }
    /// <inheritdoc/>
    public override bool HasCell => true;

    private ParameterTensor? PeepholeI => Peepholes ? Parameters[4] : null;

    internal override void Initialize(Span<T> p, Rng rng)
    {
        base.Initialize(p, rng);
        BiasIH.Of(p).Slice(Hidden, Hidden).Fill(T.CreateTruncating(ForgetBias));
        if (Peepholes)
        {
            double bound = 1.0 / Math.Sqrt(Hidden);
            foreach (ref T v in p.Slice(PeepholeI!.Offset, 3 * Hidden)) v = T.CreateTruncating(rng.Uniform(-bound, bound));
        }
    }

    private protected override void CellForward(RecurrentCache c, LayerPass<T> pass, int t, int gateStep, int prevSlot, int slot, int u0, int u1, int r0, int r1)
    {
        int b = pass.Batch, h = Hidden, bh = b * h, o = r0 * h, n = (r1 - r0) * h;
        if (Peepholes) Run<GravesPeephole>(); else Run<NoPeephole>();

        void Run<TPeep>() where TPeep : struct, IPeephole
        {
            var k = new LstmCellForward<T, TPeep>
            {
                Gates = c.Gates.Slice((gateStep * bh + o) * 4, n * 4),
                HPrev = c.Hs.Slice(prevSlot * bh + o, n), CPrev = c.Cs.Slice(prevSlot * bh + o, n),
                H = c.Hs.Slice(slot * bh + o, n), C = c.Cs.Slice(slot * bh + o, n),
                Y = pass.Output.Span.Slice(t * bh + o, n),
                Mask = pass.Mask.IsEmpty ? default : pass.MaskAt(t)[r0..r1],
                Peepholes = Peepholes ? pass.Params.AsSpan(PeepholeI!.Offset, 3 * h) : default,
                Batch = r1 - r0, Hidden = h, U0 = u0, U1 = u1,
            };
            Dispatch.Activations<T, LstmCellForward<T, TPeep>>(ref k, GateActivation, CellActivation);
        }
    }

    private protected override bool CellBackwardSplitsRows => !Peepholes;

    private protected override void CellBackward(RecurrentCache c, LayerPass<T> pass, int t, int prevSlot, int slot, int u0, int u1, int r0, int r1)
    {
        int b = pass.Batch, h = Hidden, bh = b * h, o = r0 * h, n = (r1 - r0) * h;
        if (Peepholes) Run<GravesPeephole>(); else Run<NoPeephole>();

        void Run<TPeep>() where TPeep : struct, IPeephole
        {
            var gates = c.Gates.Slice((t * bh + o) * 4, n * 4);
            var k = new LstmCellBackward<T, TPeep>
            {
                Gates = gates, DGates = gates,
                C = c.Cs.Slice(slot * bh + o, n), CPrev = c.Cs.Slice(prevSlot * bh + o, n),
                DY = pass.OutputGrad.Span.Slice(t * bh + o, n),
                DH = c.DH.AsSpan(o, n), DC = c.DC.AsSpan(o, n),
                Mask = pass.Mask.IsEmpty ? default : pass.MaskAt(t)[r0..r1],
                Peepholes = Peepholes ? pass.Params.AsSpan(PeepholeI!.Offset, 3 * h) : default,
                PeepholeGrads = Peepholes ? pass.Grads.AsSpan(PeepholeI!.Offset, 3 * h) : default,
                Batch = r1 - r0, Hidden = h, U0 = u0, U1 = u1,
            };
            Dispatch.Activations<T, LstmCellBackward<T, TPeep>>(ref k, GateActivation, CellActivation);
        }
    }
}
