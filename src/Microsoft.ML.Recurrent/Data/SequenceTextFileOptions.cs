namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Options for reading sequences from delimited text files, one sequence per file and one step per line
/// (<see cref="SequenceLoaderCatalog.LoadSequencesFromTextFiles(DataOperationsCatalog, SequenceFileSet, SequenceFileSet, SequenceTextFileOptions?)"/>).
/// </summary>
public sealed class SequenceTextFileOptions
{
    /// <summary>The character between the values of a line. Default <c>','</c>.</summary>
    public char Separator { get; set; } = ',';

    /// <summary>The number of lines skipped at the start of every file (headers). Default 0.</summary>
    public int HeaderLineCount { get; set; }

    /// <summary>
    /// The number of classes for classification: label cells are class indices 0 to <c>ClassCount - 1</c> and become a
    /// key column with <c>ClassCount</c> values (key = class index + 1; the key values are the indices as text).
    /// Null (the default) means regression: label cells are read as floats. Either way an empty label cell is a step
    /// without a label (key 0, or NaN).
    /// </summary>
    public int? ClassCount { get; set; }

    /// <summary>
    /// How features and labels of different lengths are placed in a row, when they are in different files.
    /// Default <see cref="SequenceAlignment.EqualLength"/> (a difference is an error).
    /// </summary>
    public SequenceAlignment Alignment { get; set; } = SequenceAlignment.EqualLength;

    /// <summary>
    /// One label per step or one per sequence. Default <see cref="SequenceLabelShape.PerStep"/>.
    /// <see cref="SequenceLabelShape.PerSequence"/> needs labels in their own files of one step each.
    /// </summary>
    public SequenceLabelShape LabelShape { get; set; } = SequenceLabelShape.PerStep;

    /// <summary>The name of the feature column. Default <c>"Features"</c>.</summary>
    public string FeatureColumnName { get; set; } = DefaultColumnNames.Features;

    /// <summary>The name of the label column. Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = DefaultColumnNames.Label;

    /// <summary>Throws for a setting outside its allowed range.</summary>
    internal void Validate()
    {
        if (Separator is '\r' or '\n')
            throw new ArgumentOutOfRangeException(nameof(Separator), Separator, "The separator must not be a line break.");
        if (HeaderLineCount < 0)
            throw new ArgumentOutOfRangeException(nameof(HeaderLineCount), HeaderLineCount, "The header line count must be 0 or more.");
        if (ClassCount is < 1)
            throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "The class count must be 1 or more, or null for regression.");
        if (!Enum.IsDefined(Alignment))
            throw new ArgumentOutOfRangeException(nameof(Alignment), Alignment, "Allowed: EqualLength, AlignStart, AlignEnd.");
        if (!Enum.IsDefined(LabelShape))
            throw new ArgumentOutOfRangeException(nameof(LabelShape), LabelShape, "Allowed: PerStep, PerSequence.");
        DefaultColumnNames.Check(FeatureColumnName, LabelColumnName);
    }
}
