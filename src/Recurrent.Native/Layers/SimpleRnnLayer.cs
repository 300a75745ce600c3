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

    private protected override void CellForward(RecurrentCache c, LayerPass<T> pass, int t, int gateStep, int prevSlot, int slot, int u0, int u1)
    {
        int bh = pass.Batch * Hidden;
        var k = new RnnCellForward<T>
        {
            Gates = c.Gates.Slice(gateStep * bh, bh), HPrev = c.Hs.Slice(prevSlot * bh, bh), H = c.Hs.Slice(slot * bh, bh),
            Y = pass.Output.Span.Slice(t * bh, bh), Mask = pass.MaskAt(t),
            Batch = pass.Batch, Hidden = Hidden, U0 = u0, U1 = u1,
        };
        Dispatch.Activations<T, RnnCellForward<T>>(ref k, Activation.Identity, Activation);
    }

    private protected override void CellBackward(RecurrentCache c, LayerPass<T> pass, int t, int prevSlot, int slot, int u0, int u1)
    {
        int bh = pass.Batch * Hidden;
        var gates = c.Gates.Slice(t * bh, bh);
        var k = new RnnCellBackward<T>
        {
            DGates = gates, DY = pass.OutputGrad.Span.Slice(t * bh, bh), DH = c.DH.AsSpan(0, bh),
            Mask = pass.MaskAt(t), Batch = pass.Batch, Hidden = Hidden, U0 = u0, U1 = u1,
        };
        Dispatch.Activations<T, RnnCellBackward<T>>(ref k, Activation.Identity, Activation);
    }
}
