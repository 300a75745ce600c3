namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Rows of sequences that can be read one at a time, in any order, by several readers at once (a
/// <see cref="SequenceDataView"/> turns one into an <see cref="IDataView"/>).
/// </summary>
internal interface ISequenceSource
{
    /// <summary>The columns every row has.</summary>
    DataViewSchema Schema { get; }

    /// <summary>The number of rows.</summary>
    int Count { get; }

    /// <summary>
    /// Reads row <paramref name="index"/>: one array per schema column, <c>float[]</c> for float columns and
    /// <c>uint[]</c> for key columns; a scalar column's array has one element. Must be safe to call from several threads.
    /// </summary>
    Array[] Read(int index);
}
