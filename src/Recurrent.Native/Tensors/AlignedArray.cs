using System.Runtime.CompilerServices;

namespace Recurrent.Native.Tensors;

/// <summary>
/// A growable buffer whose first element sits on a 64-byte boundary (a cache line; the width of a <c>Vector512</c>).
/// </summary>
/// <remarks>
/// A plain <c>T[]</c> starts wherever the allocator put it, 8 or 16 bytes off a cache line as often as not, and then
/// every other 256-bit load of a packed GEMM panel or a gate row straddles two lines. That made the same kernel run at
/// two speeds from process to process (0.23 or 0.33 ms for the recurrent GEMM of the benchmark). The array is allocated
/// on the pinned object heap, so the aligned offset computed once stays valid.
/// </remarks>
internal sealed class AlignedArray<T> where T : unmanaged
{
    private const int Alignment = 64;
    private T[] _array = [];
    private int _offset;

    /// <summary>Usable elements.</summary>
    public int Length { get; private set; }

    /// <summary>The usable elements, starting on a 64-byte boundary.</summary>
    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>An aligned buffer of <paramref name="length"/> elements (zeroed).</summary>
    public AlignedArray(int length = 0) => EnsureLength(length);

    /// <summary>Grows the buffer to at least <paramref name="length"/> elements (contents are not kept when it grows).</summary>
    public void EnsureLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= Length) return;
        int slack = Alignment / Unsafe.SizeOf<T>();
        _array = GC.AllocateArray<T>(checked(length + slack), pinned: true);
        _offset = OffsetToAlignment(_array);
        Length = length;
    }

    private static unsafe int OffsetToAlignment(T[] array)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref array[0]);
        nuint misalignment = address % Alignment;
        return misalignment == 0 ? 0 : (int)((Alignment - misalignment) / (nuint)Unsafe.SizeOf<T>());
    }
}
