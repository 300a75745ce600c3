using Recurrent.Native.Kernels;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Layers;

/// <summary>Elman RNN as PyTorch's <c>nn.RNN</c>: h(t) = act(x·W_ihᵀ + b_ih + h(t-1)·W_hhᵀ + b_hh), act = tanh or ReLU.</summary>
public sealed class SimpleRnnLayer<T> : RecurrentLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer and declares its tensors (names end in <paramref name="suffix"/>).</summary>
    public SimpleRnnLayer(ParameterLayout layout, string suffix, int inputSize, int hidden, Activation activation = Activation.Tanh, bool reverse = false)
        : base(layout, suffix, inputSize, hidden, 1, reverse, [])
    {
        if (activation is not (Activation.Tanh or Activation.ReLU))
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "A simple RNN takes Tanh or ReLU.");
        Activation = activation;
    }

    /// <summary>The activation (tanh or ReLU).</summary>
    public Activation Activation { get; }
    /// <inheritdoc/>
    public override bool HasCell => false;

    private protected override void CellForward(RecurrentCache c, LayerPass<T> pass, int t, int gateStep, int prevSlot, int slot, int u0, int u1, int r0, int r1)
    {
        int bh = pass.Batch * Hidden, o = r0 * Hidden, n = (r1 - r0) * Hidden;
        var k = new RnnCellForward<T>
        {
            Gates = c.Gates.Slice(gateStep * bh + o, n), HPrev = c.Hs.Slice(prevSlot * bh + o, n), H = c.Hs.Slice(slot * bh + o, n),
            Y = pass.Output.Span.Slice(t * bh + o, n), Mask = pass.Mask.IsEmpty ? default : pass.MaskAt(t)[r0..r1],
            Batch = r1 - r0, Hidden = Hidden, U0 = u0, U1 = u1,
        };
        Dispatch.Activations<T, RnnCellForward<T>>(ref k, Activation.Identity, Activation);
    }

    private protected override void CellBackward(RecurrentCache c, LayerPass<T> pass, int t, int prevSlot, int slot, int u0, int u1, int r0, int r1)
    {
        int bh = pass.Batch * Hidden, o = r0 * Hidden, n = (r1 - r0) * Hidden;
        var k = new RnnCellBackward<T>
        {
            DGates = c.Gates.Slice(t * bh + o, n), DY = pass.OutputGrad.Span.Slice(t * bh + o, n), DH = c.DH.AsSpan(o, n),
            Mask = pass.Mask.IsEmpty ? default : pass.MaskAt(t)[r0..r1], Batch = r1 - r0, Hidden = Hidden, U0 = u0, U1 = u1,
        };
        Dispatch.Activations<T, RnnCellBackward<T>>(ref k, Activation.Identity, Activation);
    }
}
