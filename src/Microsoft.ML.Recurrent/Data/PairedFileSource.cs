namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Sequences whose features and labels are in two file sets (DL4J's two-reader <c>SequenceRecordReaderDataSetIterator</c>):
/// row i is feature file i with label file i, placed in one row by the alignment mode. Reads one file pair per row.
/// </summary>
internal sealed class PairedFileSource : FileSequenceSource
{
    private readonly SequenceFileSet _features;
    private readonly SequenceFileSet _labels;
    private readonly SequenceAlignment _alignment;
    private readonly SequenceLabelConverter _converter;
    private readonly int _featureWidth;

    public PairedFileSource(SequenceFileSet features, SequenceFileSet labels, SequenceTextFileOptions options)
        : base(options)
    {
        if (features.Paths.Count != labels.Paths.Count)
        {
            int first = Math.Min(features.Paths.Count, labels.Paths.Count);
            string unmatched = features.Paths.Count > first ? features.Paths[first] : labels.Paths[first];
            throw new InvalidDataException(
                $"There are {features.Paths.Count} feature files ({features.Description}) but {labels.Paths.Count} label files " +
                $"({labels.Description}); they pair by position, and '{unmatched}' has no partner.");
        }
        features.CheckAllExist();
        labels.CheckAllExist();
        _features = features;
        _labels = labels;
        _alignment = options.Alignment;

        _featureWidth = ReadTable(features.Paths[0]).Columns;
        DelimitedTable firstLabels = ReadTable(labels.Paths[0], 0, int.MaxValue);
        if (options.ClassCount is not null && firstLabels.Columns != 1)
        {
            throw DataErrors.At(firstLabels.Path, firstLabels.LineNumbers[0], 2,
                $"a classification label file must have one column (the class index) but this one has {firstLabels.Columns}.");
        }
        _converter = new SequenceLabelConverter(options.ClassCount, options.LabelShape, firstLabels.Columns);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(options.FeatureColumnName, SequenceColumnTypes.FloatSequence(_featureWidth));
        builder.AddColumn(options.LabelColumnName, _converter.ColumnType, _converter.Annotations);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public override int Count => _features.Paths.Count;

    /// <inheritdoc/>
    public override Array[] Read(int index)
    {
        DelimitedTable features = ReadTable(_features.Paths[index]);
        CheckWidth(features, _featureWidth, _features.Paths[0]);
        DelimitedTable labels = ReadTable(_labels.Paths[index], 0, int.MaxValue);
        CheckWidth(labels, _converter.Width, _labels.Paths[0]);

        if (_converter.Shape == SequenceLabelShape.PerSequence)
            return [PlaceFeatures(features, 0, 0, features.Steps, 0), _converter.PerSequence(labels, 0)];

        if (_alignment == SequenceAlignment.EqualLength && features.Steps != labels.Steps)
        {
            DelimitedTable shorter = features.Steps < labels.Steps ? features : labels;
            DelimitedTable longer = ReferenceEquals(shorter, features) ? labels : features;
            throw DataErrors.At(shorter.Path, shorter.LineNumbers[^1],
                $"this file ends after {shorter.Steps} step(s) but '{longer.Path}' has {longer.Steps}. With SequenceAlignment.EqualLength " +
                "features and labels need the same number of steps; for different lengths (many-to-one, one-to-many) use " +
                "SequenceAlignment.AlignEnd or SequenceAlignment.AlignStart.");
        }
        int totalSteps = Math.Max(features.Steps, labels.Steps);
        return
        [
            PlaceFeatures(features, 0, 0, totalSteps, Offset(features.Steps, totalSteps)),
            _converter.PerStep(labels, 0, totalSteps, Offset(labels.Steps, totalSteps)),
        ];
    }

    // AlignEnd right-aligns the shorter series so both end at the row's last step; otherwise everything starts at 0.
    private int Offset(int steps, int totalSteps) => _alignment == SequenceAlignment.AlignEnd ? totalSteps - steps : 0;
}
