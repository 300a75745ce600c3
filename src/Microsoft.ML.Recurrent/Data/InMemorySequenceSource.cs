namespace Microsoft.ML.Recurrent.Data;

/// <summary>Rows already read into memory (the single-file formats); cursors copy them out and never change them.</summary>
internal sealed class InMemorySequenceSource(DataViewSchema schema, IReadOnlyList<Array[]> rows) : ISequenceSource
{
    /// <inheritdoc/>
    public DataViewSchema Schema { get; } = schema;

    /// <inheritdoc/>
    public int Count => rows.Count;

    /// <inheritdoc/>
    public Array[] Read(int index) => rows[index];
}
