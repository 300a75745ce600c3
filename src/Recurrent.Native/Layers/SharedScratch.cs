using Recurrent.Native.Kernels;

namespace Recurrent.Native.Layers;

/// <summary>
/// Transient buffers that layers use one at a time during backward (a transposed gradient and two packed operands),
/// shared by all layers of a workspace. They grow to the largest shape seen and are then reused without allocating.
/// </summary>
internal sealed class SharedScratch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _dzT = [];

    /// <summary>
    /// Grows the transposed-gradient buffer to <paramref name="length"/> elements. The calling thread calls it before the
    /// workers start: if every worker grew it, each could end up writing into its own new array.
    /// </summary>
    public void Reserve(int length)
    {
        if (_dzT.Length < length) _dzT = new T[length];
    }

    /// <summary>The transposed-gradient buffer, <paramref name="length"/> elements (reserved beforehand).</summary>
    public Span<T> DzT(int length)
    {
        if (_dzT.Length < length) throw new InvalidOperationException($"Reserve {length} elements of scratch before the workers use them.");
        return _dzT.AsSpan(0, length);
    }

    /// <summary>The packed layer input (for input-weight gradients).</summary>
    public PackedMatrix<T> XPack { get; } = new();

    /// <summary>The packed previous hidden states (for recurrent-weight gradients).</summary>
    public PackedMatrix<T> HPack { get; } = new();
}
