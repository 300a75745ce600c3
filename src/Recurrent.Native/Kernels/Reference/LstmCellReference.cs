namespace Recurrent.Native.Kernels.Reference;

/// <summary>
/// Scalar twin of <see cref="LstmCellForward{T,TPeep}"/> and <see cref="LstmCellBackward{T,TPeep}"/>: it takes the
/// kernels' own argument structs (so the contract cannot drift), reads and writes the same buffers with plain loops
/// over rows [0, Batch) and units [U0, U1), and computes every unit in double. DGates may alias Gates in the backward:
/// each unit reads its four activations before it writes its four dz.
/// </summary>
internal static class LstmCellReference
{
    /// <summary>
    /// One step forward, gate order i, f, g, o, with p_i = p_f = p_o = 0 when <typeparamref name="TPeep"/> is off:
    /// <code>
    /// i = gate(z_i + p_i c')   f = gate(z_f + p_f c')   g = cell(z_g)
    /// c = f c' + i g           o = gate(z_o + p_o c)    h = o cell(c)    y = h
    /// masked row: h = h', c = c', y = 0, activations = 0
    /// </code>
    /// </summary>
    public static void Forward<T, TPeep>(in LstmCellForward<T, TPeep> s, Activation gate, Activation cell)
        where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
    {
        int hid = s.Hidden;
        for (int b = 0; b < s.Batch; b++)
        {
            int row = b * hid, gRow = 4 * row;
            bool masked = !s.Mask.IsEmpty && s.Mask[b] == 0f;
            for (int u = s.U0; u < s.U1; u++)
            {
                if (masked)
                {
                    s.H[row + u] = s.HPrev[row + u];
                    s.C[row + u] = s.CPrev[row + u];
                    s.Y[row + u] = T.Zero;
                    for (int q = 0; q < 4; q++) s.Gates[gRow + q * hid + u] = T.Zero;
                    continue;
                }
                double pi = 0, pf = 0, po = 0;
                if (TPeep.Enabled) (pi, pf, po) = (D(s.Peepholes[u]), D(s.Peepholes[hid + u]), D(s.Peepholes[2 * hid + u]));
                double cp = D(s.CPrev[row + u]);
                double i = ActivationReference.Forward(gate, D(s.Gates[gRow + u]) + pi * cp);
                double f = ActivationReference.Forward(gate, D(s.Gates[gRow + hid + u]) + pf * cp);
                double g = ActivationReference.Forward(cell, D(s.Gates[gRow + 2 * hid + u]));
                double c = f * cp + i * g;
                double o = ActivationReference.Forward(gate, D(s.Gates[gRow + 3 * hid + u]) + po * c);
                double h = o * ActivationReference.Forward(cell, c);
                s.Gates[gRow + u] = V<T>(i);
                s.Gates[gRow + hid + u] = V<T>(f);
                s.Gates[gRow + 2 * hid + u] = V<T>(g);
                s.Gates[gRow + 3 * hid + u] = V<T>(o);
                s.C[row + u] = V<T>(c);
                s.H[row + u] = V<T>(h);
                s.Y[row + u] = V<T>(h);
            }
        }
    }

    /// <summary>
    /// One step backward, from the stored activations (i, f, g, o), c and c':
    /// <code>
    /// dh = dy + dh_next                         tc = cell(c)
    /// dz_o = dh tc gate'(o)                     dc = dc_next + dh o cell'(tc) + p_o dz_o
    /// dz_i = dc g gate'(i)   dz_f = dc c' gate'(f)   dz_g = dc i cell'(g)
    /// dc' = f dc + p_i dz_i + p_f dz_f          dp_i += dz_i c'   dp_f += dz_f c'   dp_o += dz_o c
    /// out: DGates = dz, DC = dc', DH = 0
    /// masked row: dz = 0; DH, DC and the peephole gradients untouched
    /// </code>
    /// </summary>
    public static void Backward<T, TPeep>(in LstmCellBackward<T, TPeep> s, Activation gate, Activation cell)
        where T : unmanaged, IFloatingPointIeee754<T> where TPeep : struct, IPeephole
    {
        int hid = s.Hidden;
        for (int b = 0; b < s.Batch; b++)
        {
            int row = b * hid, gRow = 4 * row;
            bool masked = !s.Mask.IsEmpty && s.Mask[b] == 0f;
            for (int u = s.U0; u < s.U1; u++)
            {
                if (masked)
                {
                    for (int q = 0; q < 4; q++) s.DGates[gRow + q * hid + u] = T.Zero;
                    continue;
                }
                double pi = 0, pf = 0, po = 0;
                if (TPeep.Enabled) (pi, pf, po) = (D(s.Peepholes[u]), D(s.Peepholes[hid + u]), D(s.Peepholes[2 * hid + u]));
                double i = D(s.Gates[gRow + u]), f = D(s.Gates[gRow + hid + u]);
                double g = D(s.Gates[gRow + 2 * hid + u]), o = D(s.Gates[gRow + 3 * hid + u]);
                double c = D(s.C[row + u]), cp = D(s.CPrev[row + u]);
                double dh = D(s.DY[row + u]) + D(s.DH[row + u]);
                double tc = ActivationReference.Forward(cell, c);
                double dzo = dh * tc * ActivationReference.Derivative(gate, o);
                double dc = D(s.DC[row + u]) + dh * o * ActivationReference.Derivative(cell, tc) + po * dzo;
                double dzi = dc * g * ActivationReference.Derivative(gate, i);
                double dzf = dc * cp * ActivationReference.Derivative(gate, f);
                double dzg = dc * i * ActivationReference.Derivative(cell, g);
                if (TPeep.Enabled)
                {
                    s.PeepholeGrads[u] = V<T>(D(s.PeepholeGrads[u]) + dzi * cp);
                    s.PeepholeGrads[hid + u] = V<T>(D(s.PeepholeGrads[hid + u]) + dzf * cp);
                    s.PeepholeGrads[2 * hid + u] = V<T>(D(s.PeepholeGrads[2 * hid + u]) + dzo * c);
                }
                s.DGates[gRow + u] = V<T>(dzi);
                s.DGates[gRow + hid + u] = V<T>(dzf);
                s.DGates[gRow + 2 * hid + u] = V<T>(dzg);
                s.DGates[gRow + 3 * hid + u] = V<T>(dzo);
                s.DC[row + u] = V<T>(f * dc + pi * dzi + pf * dzf);
                s.DH[row + u] = T.Zero;
            }
        }
    }

    private static double D<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => double.CreateTruncating(x);
    private static T V<T>(double x) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(x);
}
