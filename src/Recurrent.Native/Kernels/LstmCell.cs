using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>Whether the LSTM cell has Graves peepholes (compiled away when not).</summary>
internal interface IPeephole { static abstract bool Enabled { get; } }
/// <summary>PyTorch's LSTM: no peepholes.</summary>
internal readonly struct NoPeephole : IPeephole { public static bool Enabled => false; }
/// <summary>Graves LSTM: input and forget gates see c(t-1), the output gate sees c(t), one weight per unit each.</summary>
internal readonly struct GravesPeephole : IPeephole { public static bool Enabled => true; }

/// <summary>
/// One LSTM time step over rows [0, Batch) and units [U0, U1), gate order i, f, g, o (PyTorch):
/// <code>
/// i = σ(z_i + p_i ⊙ c') ; f = σ(z_f + p_f ⊙ c') ; g = act(z_g)      (p = 0 without peepholes)
/// c = f ⊙ c' + i ⊙ g ; o = σ(z_o + p_o ⊙ c) ; h = o ⊙ act(c)
/// </code>
/// A masked row (mask 0) carries (h', c') unchanged, outputs 0 and leaves zeros in its gates. A present row runs in two
/// passes: the gates' activations in place (kept for a backward, ignored by prediction), then c and h.
/// </summary>
internal ref struct LstmCellForward<T, TPeep> : IActivationKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
{
    public Span<T> Gates;               // [B, 4H] in: pre-activations z; out: activations (i, f, g, o)
    public ReadOnlySpan<T> HPrev;       // [B, H]
    public ReadOnlySpan<T> CPrev;       // [B, H]
    public Span<T> H;                   // [B, H] new hidden state
    public Span<T> C;                   // [B, H] new cell state
    public Span<T> Y;                   // [B, H] output: h, or 0 at masked rows
    public ReadOnlySpan<float> Mask;    // [B], empty = all present
    public ReadOnlySpan<T> Peepholes;   // [3, H] (p_i, p_f, p_o); empty without peepholes
    public int Batch, Hidden, U0, U1;

    [MethodImpl(MethodImplOptions.NoInlining)]   // its own inlining budget per width: see Dispatch
    public void Run<TGate, TAct, TV, TOps>()
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int hid = Hidden, w = TOps.Count;
        for (int b = 0; b < Batch; b++)
        {
            int row = b * hid, gRow = 4 * row;
            if (!Mask.IsEmpty && Mask[b] == 0f)
            {
                CarryMaskedRow(row, gRow);
                continue;
            }
            ActivateGates<TGate, TAct, TV, TOps>(row, gRow);
            int u = U0;
            for (; u + w <= U1; u += w) Combine<TGate, TAct, TV, TOps>(row, gRow, u);
            for (; u < U1; u++) Combine<TGate, TAct, T, VScalar<T>>(row, gRow, u);
        }
    }

    /// <summary>
    /// Pass 1 of a row: i, f, g (and o without peepholes) activated in place over units [U0, U1), one gate at a time.
    /// Each iteration is one activation, independent of the next; timed against one loop over whole units (three
    /// activations, then c, then act(c)), a little faster on every bench shape (docs/architecture.md, Kernels).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ActivateGates<TGate, TAct, TV, TOps>(int row, int gRow)
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int hid = Hidden, n = U1 - U0;
        ref T z = ref Unsafe.Add(ref MemoryMarshal.GetReference(Gates), gRow + U0);   // [4, H] from unit U0: z_i, z_f, z_g, z_o
        ref T cp = ref Unsafe.Add(ref MemoryMarshal.GetReference(CPrev), row + U0);  // [n]
        if (TPeep.Enabled)
        {
            ref T p = ref Unsafe.Add(ref MemoryMarshal.GetReference(Peepholes), U0);    // [3, H] from unit U0: p_i, p_f, p_o
            Activate<TGate, TV, TOps>(ref z, ref p, ref cp, n, peephole: true);
            Activate<TGate, TV, TOps>(ref Unsafe.Add(ref z, hid), ref Unsafe.Add(ref p, hid), ref cp, n, peephole: true);
        }
        else
        {
            Activate<TGate, TV, TOps>(ref z, ref cp, ref cp, n, peephole: false);
            Activate<TGate, TV, TOps>(ref Unsafe.Add(ref z, hid), ref cp, ref cp, n, peephole: false);
            Activate<TGate, TV, TOps>(ref Unsafe.Add(ref z, 3 * hid), ref cp, ref cp, n, peephole: false);
        }
        Activate<TAct, TV, TOps>(ref Unsafe.Add(ref z, 2 * hid), ref cp, ref cp, n, peephole: false);
    }

    /// <summary>x[j] = f(x[j] + p[j] ⊙ cp[j]) (without the peephole term when not asked) for j in [0, n): vectors, then single values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate<TOp, TV, TOps>(ref T x, ref T p, ref T cp, int n, bool peephole)
        where TOp : struct, IActivationOp<T> where TV : struct where TOps : IVec<T, TV>
    {
        int w = TOps.Count, j = 0;
        for (; j + w <= n; j += w)
        {
            TV v = TOps.Load(in Unsafe.Add(ref x, j));
            if (peephole) v = TOps.MulAdd(TOps.Load(in Unsafe.Add(ref p, j)), TOps.Load(in Unsafe.Add(ref cp, j)), v);
            TOps.Store(TOp.Forward<TV, TOps>(v), ref Unsafe.Add(ref x, j));
        }
        for (; j < n; j++)
        {
            T v = Unsafe.Add(ref x, j);
            if (peephole) v = VScalar<T>.MulAdd(Unsafe.Add(ref p, j), Unsafe.Add(ref cp, j), v);
            Unsafe.Add(ref x, j) = TOp.Forward<T, VScalar<T>>(v);
        }
    }

    /// <summary>Pass 2 at unit u: c = f ⊙ c' + i ⊙ g, o (with its peephole on c), h = o ⊙ act(c), from pass 1's activations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Combine<TGate, TAct, TV, TOps>(int row, int gRow, int u)
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int hid = Hidden;
        ref T a = ref Unsafe.Add(ref MemoryMarshal.GetReference(Gates), gRow + u);   // activations i, f, g (o) at unit u
        TV i = TOps.Load(in a), f = TOps.Load(in Unsafe.Add(ref a, hid)), g = TOps.Load(in Unsafe.Add(ref a, 2 * hid));
        TV c = TOps.MulAdd(f, TOps.Load(in CPrev[row + u]), TOps.Mul(i, g));
        ref T ao = ref Unsafe.Add(ref a, 3 * hid);
        TV o;
        if (TPeep.Enabled)
        {
            o = TGate.Forward<TV, TOps>(TOps.MulAdd(TOps.Load(in Peepholes[2 * hid + u]), c, TOps.Load(in ao)));
            TOps.Store(o, ref ao);
        }
        else o = TOps.Load(in ao);
        TV h = TOps.Mul(o, TAct.Forward<TV, TOps>(c));
        TOps.Store(c, ref C[row + u]);
        TOps.Store(h, ref H[row + u]);
        TOps.Store(h, ref Y[row + u]);
    }

    private void CarryMaskedRow(int row, int gRow)
    {
        int n = U1 - U0;
        HPrev.Slice(row + U0, n).CopyTo(H.Slice(row + U0, n));
        CPrev.Slice(row + U0, n).CopyTo(C.Slice(row + U0, n));
        Y.Slice(row + U0, n).Clear();
        for (int gate = 0; gate < 4; gate++) Gates.Slice(gRow + gate * Hidden + U0, n).Clear();
    }
}

/// <summary>
/// The backward of <see cref="LstmCellForward{T,TPeep}"/> for one step, rows [0, Batch), units [U0, U1):
/// <code>
/// dh = dy + dh_next ; tc = act(c)
/// dz_o = dh ⊙ tc ⊙ σ'(o) ; dc = dc_next + dh ⊙ o ⊙ act'(tc) + dz_o ⊙ p_o
/// dz_i = dc ⊙ g ⊙ σ'(i) ; dz_f = dc ⊙ c' ⊙ σ'(f) ; dz_g = dc ⊙ i ⊙ act'(g)
/// dc' = dc ⊙ f + dz_i ⊙ p_i + dz_f ⊙ p_f
/// </code>
/// On return DC holds dc' and DH is zeroed for present rows (the caller adds dz · W_hh into it). A masked row gets
/// dz = 0 and passes DH and DC through untouched; its dy is ignored (its output is the constant 0).
/// </summary>
internal ref struct LstmCellBackward<T, TPeep> : IActivationKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
{
    public ReadOnlySpan<T> Gates;       // [B, 4H] activations (i, f, g, o) of this step
    public ReadOnlySpan<T> C;           // [B, H] c of this step
    public ReadOnlySpan<T> CPrev;       // [B, H] c of the previous step
    public ReadOnlySpan<T> DY;          // [B, H] gradient of the loss w.r.t. this step's output
    public Span<T> DH;                  // [B, H] in: from the next step; out: 0 (present rows)
    public Span<T> DC;                  // [B, H] in: from the next step; out: dc'
    public Span<T> DGates;              // [B, 4H] out: dz
    public ReadOnlySpan<float> Mask;    // [B], empty = all present
    public ReadOnlySpan<T> Peepholes;   // [3, H]; empty without peepholes
    public Span<T> PeepholeGrads;       // [3, H] accumulated; empty without peepholes
    public int Batch, Hidden, U0, U1;

    [MethodImpl(MethodImplOptions.NoInlining)]   // its own inlining budget per width: see Dispatch
    public void Run<TGate, TAct, TV, TOps>()
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int hid = Hidden, w = TOps.Count;
        for (int b = 0; b < Batch; b++)
        {
            int row = b * hid, gRow = 4 * row;
            if (!Mask.IsEmpty && Mask[b] == 0f)
            {
                for (int gate = 0; gate < 4; gate++) DGates.Slice(gRow + gate * hid + U0, U1 - U0).Clear();
                continue;
            }
            int u = U0;
            for (; u + w <= U1; u += w) Step<TGate, TAct, TV, TOps>(row, gRow, u);
            for (; u < U1; u++) Step<TGate, TAct, T, VScalar<T>>(row, gRow, u);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step<TGate, TAct, TV, TOps>(int row, int gRow, int u)
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>
    {
        int hid = Hidden;
        ref readonly T a = ref Gates[gRow + u];
        TV i = TOps.Load(in a), f = TOps.Load(in Unsafe.Add(ref Unsafe.AsRef(in a), hid));
        TV g = TOps.Load(in Unsafe.Add(ref Unsafe.AsRef(in a), 2 * hid)), o = TOps.Load(in Unsafe.Add(ref Unsafe.AsRef(in a), 3 * hid));
        TV c = TOps.Load(in C[row + u]), cp = TOps.Load(in CPrev[row + u]);
        TV dh = TOps.Add(TOps.Load(in DY[row + u]), TOps.Load(in DH[row + u]));
        TV tc = TAct.Forward<TV, TOps>(c);
        TV dzo = TOps.Mul(TOps.Mul(dh, tc), TGate.Derivative<TV, TOps>(o));
        TV dc = TOps.MulAdd(TOps.Mul(dh, o), TAct.Derivative<TV, TOps>(tc), TOps.Load(in DC[row + u]));
        if (TPeep.Enabled) dc = TOps.MulAdd(dzo, TOps.Load(in Peepholes[2 * hid + u]), dc);
        TV dzi = TOps.Mul(TOps.Mul(dc, g), TGate.Derivative<TV, TOps>(i));
        TV dzf = TOps.Mul(TOps.Mul(dc, cp), TGate.Derivative<TV, TOps>(f));
        TV dzg = TOps.Mul(TOps.Mul(dc, i), TAct.Derivative<TV, TOps>(g));
        TV dcp = TOps.Mul(dc, f);
        if (TPeep.Enabled)
        {
            dcp = TOps.MulAdd(dzi, TOps.Load(in Peepholes[u]), dcp);
            dcp = TOps.MulAdd(dzf, TOps.Load(in Peepholes[hid + u]), dcp);
            ref T pg = ref PeepholeGrads[u];
            TOps.Store(TOps.MulAdd(dzi, cp, TOps.Load(in pg)), ref pg);
            ref T pf = ref Unsafe.Add(ref pg, hid);
            TOps.Store(TOps.MulAdd(dzf, cp, TOps.Load(in pf)), ref pf);
            ref T po = ref Unsafe.Add(ref pg, 2 * hid);
            TOps.Store(TOps.MulAdd(dzo, c, TOps.Load(in po)), ref po);
        }
        ref T dz = ref DGates[gRow + u];
        TOps.Store(dzi, ref dz); TOps.Store(dzf, ref Unsafe.Add(ref dz, hid));
        TOps.Store(dzg, ref Unsafe.Add(ref dz, 2 * hid)); TOps.Store(dzo, ref Unsafe.Add(ref dz, 3 * hid));
        TOps.Store(dcp, ref DC[row + u]);
        TOps.Store(TOps.Splat(T.Zero), ref DH[row + u]);
    }
}
