using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Turns the label cells of a <see cref="DelimitedTable"/> into the values of the label column: class indices
/// 0..N-1 into keys 1..N (an empty or NaN cell into key 0, no label), or floats as they are (an empty cell into NaN);
/// one label per step, or one per sequence.
/// </summary>
internal sealed class SequenceLabelConverter
{
    /// <param name="classCount">The number of classes, or null for regression.</param>
    /// <param name="shape">One label per step or per sequence.</param>
    /// <param name="width">The number of label columns (1 for classification).</param>
    public SequenceLabelConverter(int? classCount, SequenceLabelShape shape, int width)
    {
        ClassCount = classCount;
        Shape = shape;
        Width = width;
        ColumnType = (classCount, shape) switch
        {
            (int n, SequenceLabelShape.PerStep) => SequenceColumnTypes.KeySequence(n),
            (int n, _) => SequenceColumnTypes.Key(n),
            (null, SequenceLabelShape.PerStep) => SequenceColumnTypes.FloatSequence(width),
            (null, _) => width == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, width),
        };
    }

    /// <summary>The number of classes, or null for regression.</summary>
    public int? ClassCount { get; }

    /// <summary>One label per step or per sequence.</summary>
    public SequenceLabelShape Shape { get; }

    /// <summary>The number of label values per step.</summary>
    public int Width { get; }

    /// <summary>The type of the label column.</summary>
    public DataViewType ColumnType { get; }

    /// <summary>The key values of the label column ("0", "1", ...: the class indices), or null for regression.</summary>
    public DataViewSchema.Annotations? Annotations => ClassCount is int n
        ? SequenceColumnTypes.KeyValues(Enumerable.Range(0, n).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())
        : null;

    /// <summary>
    /// The labels of columns [<paramref name="first"/>, first + Width) of every step, placed at steps
    /// [<paramref name="offset"/>, offset + table.Steps) of a row of <paramref name="totalSteps"/> steps; the other steps
    /// are missing (key 0 or NaN).
    /// </summary>
    public Array PerStep(DelimitedTable table, int first, int totalSteps, int offset)
    {
        if (ClassCount is not null)
        {
            var keys = new uint[totalSteps];
            for (int t = 0; t < table.Steps; t++) keys[offset + t] = ToKey(table, t, first);
            return keys;
        }
        var values = new float[totalSteps * Width];
        values.AsSpan().Fill(float.NaN);
        for (int t = 0; t < table.Steps; t++)
            table.Step(t).Slice(first, Width).CopyTo(values.AsSpan((offset + t) * Width, Width));
        return values;
    }

    /// <summary>The one label of a one-step table (columns [<paramref name="first"/>, first + Width)).</summary>
    public Array PerSequence(DelimitedTable table, int first)
    {
        if (table.Steps != 1)
        {
            throw DataErrors.At(table.Path, table.LineNumbers[1],
                $"a per-sequence label file must hold exactly one step, this one has {table.Steps} (use SequenceLabelShape.PerStep for a label at every step).");
        }
        if (ClassCount is not null) return new[] { ToKey(table, 0, first) };
        return table.Step(0).Slice(first, Width).ToArray();
    }

    private uint ToKey(DelimitedTable table, int t, int column)
    {
        float value = table.Step(t)[column];
        if (float.IsNaN(value)) return 0;
        int classCount = ClassCount!.Value;
        string? problem =
            value != MathF.Round(value) ? $"the class index {value} is not a whole number." :
            value < 0 ? $"the class index {value} is negative; class indices run from 0 to {classCount - 1}." :
            value >= classCount ? $"the class index {value} is not less than the class count {classCount} (class indices are zero-based: 0 to {classCount - 1})." :
            null;
        if (problem is not null) throw DataErrors.At(table.Path, table.LineNumbers[t], column + 1, problem);
        return (uint)value + 1;
    }
}
