namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// What the sources that read one sequence per delimited file share: the file format, a count of the files opened
/// (tests use it to show that reading is lazy), and the check that all files of a set have the same width.
/// </summary>
internal abstract class FileSequenceSource : ISequenceSource
{
    private readonly char _separator;
    private readonly int _headerLines;
    private int _openCount;

    protected FileSequenceSource(SequenceTextFileOptions options)
    {
        _separator = options.Separator;
        _headerLines = options.HeaderLineCount;
    }

    /// <summary>How many files this source has opened so far, counting every open of every cursor.</summary>
    public int OpenCount => Volatile.Read(ref _openCount);

    /// <inheritdoc/>
    public abstract DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public abstract int Count { get; }

    /// <inheritdoc/>
    public abstract Array[] Read(int index);

    /// <summary>Opens and reads one file; cells of columns [emptyFrom, emptyFrom + emptyCount) may be empty.</summary>
    protected DelimitedTable ReadTable(string path, int emptyFrom = 0, int emptyCount = 0)
    {
        Interlocked.Increment(ref _openCount);
        if (!File.Exists(path)) throw new FileNotFoundException($"The sequence file '{path}' does not exist (any more).", path);
        return DelimitedTable.Read(path, _separator, _headerLines, emptyFrom, emptyCount);
    }

    /// <summary>Throws unless <paramref name="table"/> has <paramref name="expected"/> columns, as the set's first file has.</summary>
    protected static void CheckWidth(DelimitedTable table, int expected, string firstPath)
    {
        if (table.Columns == expected) return;
        throw DataErrors.At(table.Path, table.LineNumbers[0], Math.Min(table.Columns, expected) + 1,
            $"this file has {table.Columns} columns per line but the first file of its set ({firstPath}) has {expected}.");
    }

    /// <summary>
    /// The feature cells of a table, every column except the label columns [<paramref name="labelFrom"/>,
    /// labelFrom + labelCount), placed at step <paramref name="offset"/> of a row of <paramref name="totalSteps"/>
    /// zero-filled steps.
    /// </summary>
    protected static float[] PlaceFeatures(DelimitedTable table, int labelFrom, int labelCount, int totalSteps, int offset)
    {
        int width = table.Columns - labelCount;
        var values = new float[totalSteps * width];
        for (int t = 0; t < table.Steps; t++)
        {
            ReadOnlySpan<float> step = table.Step(t);
            Span<float> destination = values.AsSpan((offset + t) * width, width);
            step[..labelFrom].CopyTo(destination);
            step[(labelFrom + labelCount)..].CopyTo(destination[labelFrom..]);
        }
        return values;
    }
}
