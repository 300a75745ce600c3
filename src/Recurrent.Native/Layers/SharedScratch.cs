using Recurrent.Native.Kernels;

namespace Recurrent.Native.Layers;

/// <summary>
/// Transient buffers that layers use one at a time during backward (a transposed gradient and two packed operands),
/// shared by all layers of a workspace. They grow to the largest shape seen and are then reused without allocating.
/// </summary>
internal sealed class SharedScratch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _dzT = [];

    /// <summary>A transposed gradient buffer of at least <paramref name="length"/> elements.</summary>
    public Span<T> DzT(int length)
    {
        if (_dzT.Length < length) _dzT = new T[length];
        return _dzT.AsSpan(0, length);
    }

    /// <summary>The packed layer input (for input-weight gradients).</summary>
    public PackedMatrix<T> XPack { get; } = new();

    /// <summary>The packed previous hidden states (for recurrent-weight gradients).</summary>
    public PackedMatrix<T> HPack { get; } = new();
}
