namespace Recurrent.Native.Layers;

/// <summary>
/// Where a recurrent layer reads its initial state and writes its final state, row by row: row b's h <c>[H]</c> starts
/// at <see cref="Start"/>(b) in <see cref="Values"/> and, for an LSTM, its c <c>[H]</c> <see cref="CellOffset"/> further
/// on. Either one layer's buffer of a <see cref="Network.RecurrentState{T}"/>, <c>[B·H h | B·H c]</c>, or the streaming
/// engine's per-stream blocks, which the layer then reads and writes in place (no gather before a call, no scatter after).
/// Empty: the layer starts from zeros and keeps no final state.
/// </summary>
internal readonly struct StateRows<T> where T : unmanaged
{
    private readonly ReadOnlyMemory<int> _starts;   // [B] where row b's block starts; empty: row b at b · stride
    private readonly int _stride, _offset;

    /// <summary>Rows <paramref name="stride"/> apart: row b's h at <c>b · stride</c>.</summary>
    public StateRows(Memory<T> values, int stride, int cellOffset)
    {
        Values = values;
        _stride = stride;
        CellOffset = cellOffset;
    }

    /// <summary>Rows anywhere: row b's h at <c>starts[b] + offset</c>.</summary>
    public StateRows(Memory<T> values, ReadOnlyMemory<int> starts, int offset, int cellOffset)
    {
        Values = values;
        _starts = starts;
        _offset = offset;
        CellOffset = cellOffset;
    }

    /// <summary>The buffer holding every row's state.</summary>
    public Memory<T> Values { get; }

    /// <summary>From a row's h to its c.</summary>
    public int CellOffset { get; }

    /// <summary>True when there is no state: zeros in, nothing out.</summary>
    public bool IsEmpty => Values.IsEmpty;

    /// <summary>Where row <paramref name="row"/>'s h starts in <see cref="Values"/>.</summary>
    public int Start(int row) => _starts.IsEmpty ? row * _stride : _starts.Span[row] + _offset;
}
