using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recurrent.Native.Simd;

/// <summary>A vector-to-vector body for <see cref="VectorLoop"/>.</summary>
internal interface IVectorBody<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    TV Apply<TV, TOps>(TV x, TV y) where TV : struct where TOps : IVec<T, TV>;
}

/// <summary>
/// The one loop driver: runs a body over whole vectors and sends the remainder through the same vector body on a
/// zero-padded copy, so every element takes the same arithmetic path whatever the length or the slicing (this keeps
/// results bit-identical when work is split between threads at any boundary).
/// </summary>
internal static class VectorLoop
{
    /// <summary>destination[i] = body(x[i], destination[i]) for i &lt; x.Length (destination is read and written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TV, TOps, TBody>(ReadOnlySpan<T> x, Span<T> destination, ref TBody body)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVec<T, TV>
        where TBody : struct, IVectorBody<T>, allows ref struct
    {
        int n = x.Length;
        if (destination.Length < n) throw new ArgumentException("Destination is shorter than the input.", nameof(destination));
        int w = TOps.Count;
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= n - w; i += w)
            TOps.Store(body.Apply<TV, TOps>(TOps.Load(in Unsafe.Add(ref xs, i)), TOps.Load(in Unsafe.Add(ref ds, i))), ref Unsafe.Add(ref ds, i));
        if (i < n)
        {
            Span<T> bx = stackalloc T[w];
            Span<T> bd = stackalloc T[w];
            bx.Clear();
            bd.Clear();
            x[i..].CopyTo(bx);
            destination[i..n].CopyTo(bd);
            TOps.Store(body.Apply<TV, TOps>(TOps.Load(in bx[0]), TOps.Load(in bd[0])), ref bd[0]);
            bd[..(n - i)].CopyTo(destination[i..n]);
        }
    }
}
