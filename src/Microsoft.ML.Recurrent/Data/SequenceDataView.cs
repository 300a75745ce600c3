namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// An <see cref="IDataView"/> over an <see cref="ISequenceSource"/>. Nothing is read until a cursor moves: each
/// <see cref="DataViewRowCursor.MoveNext"/> reads exactly one row, so a data set larger than memory streams through in
/// one pass. Cursors are independent; shuffling permutes the row order with the given random source.
/// </summary>
internal sealed class SequenceDataView : IDataView
{
    public SequenceDataView(ISequenceSource source) => Source = source;

    /// <summary>Where the rows come from.</summary>
    public ISequenceSource Source { get; }

    /// <inheritdoc/>
    public bool CanShuffle => true;

    /// <inheritdoc/>
    public DataViewSchema Schema => Source.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => Source.Count;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= active.Length || Schema[column.Index].Name != column.Name)
                throw new ArgumentException($"The column '{column.Name}' is not a column of this data view.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        return new SequenceRowCursor(Source, active, rand is null ? null : Permutation(Source.Count, rand));
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private static int[] Permutation(int count, Random rand)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        rand.Shuffle(order);
        return order;
    }
}
