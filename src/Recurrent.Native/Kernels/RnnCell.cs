using System.Runtime.CompilerServices;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>
/// One simple-RNN step over rows [0, Batch), units [U0, U1): h = act(z), z already holding x·W_ihᵀ + h'·W_hhᵀ + b.
/// A masked row carries h' and outputs 0.
/// </summary>
internal ref struct RnnCellForward<T> : IActivationKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Span<T> Gates;              // [B, H] in: z; out: h (activation)
    public ReadOnlySpan<T> HPrev;      // [B, H]
    public Span<T> H;                  // [B, H]
    public Span<T> Y;                  // [B, H]
    public ReadOnlySpan<float> Mask;   // [B]
    public int Batch, Hidden, U0, U1;

    [MethodImpl(MethodImplOptions.NoInlining)]   // its own inlining budget per width: see Dispatch
    public void Run<TGate, TAct, TV, TOps>()
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int n = U1 - U0;
        for (int b = 0; b < Batch; b++)
        {
            int o = b * Hidden + U0;
            if (!Mask.IsEmpty && Mask[b] == 0f)
            {
                HPrev.Slice(o, n).CopyTo(H.Slice(o, n));
                Y.Slice(o, n).Clear();
                Gates.Slice(o, n).Clear();
                continue;
            }
            var body = new ActBody<TAct>();
            VectorLoop.Run<T, TV, TOps, ActBody<TAct>>(Gates.Slice(o, n), Gates.Slice(o, n), ref body);
            Gates.Slice(o, n).CopyTo(H.Slice(o, n));
            Gates.Slice(o, n).CopyTo(Y.Slice(o, n));
        }
    }

    private struct ActBody<TF> : IVectorBody<T> where TF : struct, IActivationOp<T>
    {
        public TV Apply<TV, TOps>(TV x, TV y) where TV : struct where TOps : IVec<T, TV> => TF.Forward<TV, TOps>(x);
    }
}

/// <summary>
/// The backward of <see cref="RnnCellForward{T}"/>: dz = (dy + dh_next) ⊙ act'(h); DH is zeroed for present rows
/// (the caller adds dz · W_hh). Masked rows get dz = 0 and pass DH through.
/// </summary>
internal ref struct RnnCellBackward<T> : IActivationKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ReadOnlySpan<T> DY;         // [B, H]
    public Span<T> DH;                 // [B, H]
    public Span<T> DGates;             // [B, H] in: h of this step; out: dz (in place)
    public ReadOnlySpan<float> Mask;   // [B]
    public int Batch, Hidden, U0, U1;

    [MethodImpl(MethodImplOptions.NoInlining)]   // its own inlining budget per width: see Dispatch
    public void Run<TGate, TAct, TV, TOps>()
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int n = U1 - U0;
        for (int b = 0; b < Batch; b++)
        {
            int o = b * Hidden + U0;
            var dz = DGates.Slice(o, n);
            if (!Mask.IsEmpty && Mask[b] == 0f) { dz.Clear(); continue; }
            var add = new AddBody();
            VectorLoop.Run<T, TV, TOps, AddBody>(DY.Slice(o, n), DH.Slice(o, n), ref add);      // dh = dy + dh_next
            var body = new DerivBody<TAct>();
            VectorLoop.Run<T, TV, TOps, DerivBody<TAct>>(DH.Slice(o, n), dz, ref body);         // dz = dh ⊙ act'(h), in place over h
            DH.Slice(o, n).Clear();
        }
    }

    private struct AddBody : IVectorBody<T>
    {
        public TV Apply<TV, TOps>(TV x, TV y) where TV : struct where TOps : IVec<T, TV> => TOps.Add(x, y);
    }

    private struct DerivBody<TF> : IVectorBody<T> where TF : struct, IActivationOp<T>
    {
        public TV Apply<TV, TOps>(TV dh, TV h) where TV : struct where TOps : IVec<T, TV> => TOps.Mul(dh, TF.Derivative<TV, TOps>(h));
    }
}
