namespace Recurrent.Native.Kernels.Reference;

/// <summary>
/// Scalar twin of <see cref="RnnCellForward{T}"/> and <see cref="RnnCellBackward{T}"/>: the kernels' own argument
/// structs, plain loops over rows [0, Batch) and units [U0, U1), arithmetic in double.
/// </summary>
internal static class RnnCellReference
{
    /// <summary>
    /// <code>
    /// h = act(z) ; Gates = H = Y = h         (z is in Gates on entry)
    /// masked row: H = h', Y = 0, Gates = 0
    /// </code>
    /// </summary>
    public static void Forward<T>(in RnnCellForward<T> s, Activation act) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < s.Batch; b++)
        {
            bool masked = !s.Mask.IsEmpty && s.Mask[b] == 0f;
            for (int u = s.U0; u < s.U1; u++)
            {
                int o = b * s.Hidden + u;
                T h = masked ? T.Zero : T.CreateTruncating(ActivationReference.Forward(act, double.CreateTruncating(s.Gates[o])));
                s.Gates[o] = h;
                s.H[o] = masked ? s.HPrev[o] : h;
                s.Y[o] = h;
            }
        }
    }

    /// <summary>
    /// <code>
    /// dz = (dy + dh_next) act'(h) ; DH = 0   (h is in DGates on entry, dz replaces it)
    /// masked row: dz = 0, DH untouched
    /// </code>
    /// </summary>
    public static void Backward<T>(in RnnCellBackward<T> s, Activation act) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < s.Batch; b++)
        {
            bool masked = !s.Mask.IsEmpty && s.Mask[b] == 0f;
            for (int u = s.U0; u < s.U1; u++)
            {
                int o = b * s.Hidden + u;
                if (masked)
                {
                    s.DGates[o] = T.Zero;
                    continue;
                }
                double dh = double.CreateTruncating(s.DY[o]) + double.CreateTruncating(s.DH[o]);
                s.DGates[o] = T.CreateTruncating(dh * ActivationReference.Derivative(act, double.CreateTruncating(s.DGates[o])));
                s.DH[o] = T.Zero;
            }
        }
    }
}
