using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>A cursor over an <see cref="ISequenceSource"/>: reads one row per <see cref="MoveNext"/>.</summary>
internal sealed class SequenceRowCursor : DataViewRowCursor
{
    private readonly ISequenceSource _source;
    private readonly bool[] _active;
    private readonly int[]? _order;
    private long _position = -1;
    private int _index = -1;
    private Array[]? _row;

    public SequenceRowCursor(ISequenceSource source, bool[] active, int[]? order)
    {
        _source = source;
        _active = active;
        _order = order;
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => _source.Schema;

    /// <inheritdoc/>
    public override long Position => _position;

    /// <inheritdoc/>
    public override long Batch => 0;

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        _row = null; // also when the next row fails to read: the cursor is then on no row
        if (_position + 1 >= _source.Count)
        {
            _position = _source.Count;
            return false;
        }
        _position++;
        _index = _order is null ? (int)_position : _order[_position];
        _row = _source.Read(_index);
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _position = _source.Count;
        _row = null;
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter()
        => (ref DataViewRowId value) => value = new DataViewRowId((ulong)CurrentIndex(), 0);

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"The column '{column.Name}' was not requested when this cursor was made.");
        int c = column.Index;
        Delegate getter = column.Type switch
        {
            VectorDataViewType { ItemType: KeyDataViewType } => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> v) => Fill(Current<uint>(c), ref v)),
            VectorDataViewType => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Fill(Current<float>(c), ref v)),
            KeyDataViewType => (ValueGetter<uint>)((ref uint v) => v = Current<uint>(c)[0]),
            _ => (ValueGetter<float>)((ref float v) => v = Current<float>(c)[0]),
        };
        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"The column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private int CurrentIndex() => _row is not null ? _index
        : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and only while it returns true.");

    private T[] Current<T>(int column)
    {
        CurrentIndex();
        return (T[])_row![column];
    }

    private static void Fill<T>(T[] values, ref VBuffer<T> dst)
    {
        var editor = VBufferEditor.Create(ref dst, values.Length);
        values.CopyTo(editor.Values);
        dst = editor.Commit();
    }
}
