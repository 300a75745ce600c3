namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Sequences whose labels are columns of the feature files (DL4J's single-reader <c>SequenceRecordReaderDataSetIterator</c>):
/// the label columns are [first, first + count), the features every other column, one label per step.
/// </summary>
internal sealed class ColumnFileSource : FileSequenceSource
{
    private readonly SequenceFileSet _files;
    private readonly SequenceLabelConverter _converter;
    private readonly int _labelFrom;
    private readonly int _columns;

    /// <param name="files">The files, one sequence each.</param>
    /// <param name="labelColumnIndex">The first label column, 0-based; -1 for the last <paramref name="labelColumnCount"/> columns.</param>
    /// <param name="labelColumnCount">The number of label columns (several only for regression).</param>
    /// <param name="options">Format and label options.</param>
    public ColumnFileSource(SequenceFileSet files, int labelColumnIndex, int labelColumnCount, SequenceTextFileOptions options)
        : base(options)
    {
        files.CheckAllExist();
        _files = files;
        DelimitedTable first = ReadTable(files.Paths[0], 0, int.MaxValue);
        _columns = first.Columns;
        string where = $"'{first.Path}' has {_columns} columns (line {first.LineNumbers[0]})";
        if (_columns <= labelColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumnCount), labelColumnCount,
                $"{where}: with {labelColumnCount} label column(s) no column is left for the features; allowed: 1 to {_columns - 1}.");
        }
        _labelFrom = labelColumnIndex == -1 ? _columns - labelColumnCount : labelColumnIndex;
        if (_labelFrom + labelColumnCount > _columns)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumnIndex), labelColumnIndex,
                $"{where}: {labelColumnCount} label column(s) from column index {labelColumnIndex} do not fit; allowed: -1 (the last columns) or 0 to {_columns - labelColumnCount}.");
        }
        _converter = new SequenceLabelConverter(options.ClassCount, SequenceLabelShape.PerStep, labelColumnCount);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(options.FeatureColumnName, SequenceColumnTypes.FloatSequence(_columns - labelColumnCount));
        builder.AddColumn(options.LabelColumnName, _converter.ColumnType, _converter.Annotations);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public override int Count => _files.Paths.Count;

    /// <inheritdoc/>
    public override Array[] Read(int index)
    {
        DelimitedTable table = ReadTable(_files.Paths[index], _labelFrom, _converter.Width);
        CheckWidth(table, _columns, _files.Paths[0]);
        return
        [
            PlaceFeatures(table, _labelFrom, _converter.Width, table.Steps, 0),
            _converter.PerStep(table, _labelFrom, table.Steps, 0),
        ];
    }
}
