using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Reads a UEA/sktime <c>.ts</c> file: <c>#</c> comment lines and blank lines are skipped, <c>@</c> header lines are read
/// by <see cref="TsHeader"/>, and every line after <c>@data</c> is one case <c>ch1:ch2:...:chd[:label]</c> with each
/// channel's values comma separated. All channels of a case have the same length; cases may differ in length. The
/// features of a case are its d channels transposed to step-major order, <c>features[t * d + c] = channel c at step t</c>.
/// </summary>
internal static class TsFileReader
{
    /// <summary>Reads the whole file.</summary>
    public static InMemorySequenceSource Read(string path, string featureColumnName, string labelColumnName)
    {
        var header = new TsHeader();
        var rows = new List<Array[]>();
        int? dimensions = null;
        bool inData = false;
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            if (inData)
            {
                dimensions ??= header.Dimensions;
                rows.Add(ReadCase(path, lineNumber, line, header, ref dimensions));
            }
            else if (text[0] == '@')
            {
                inData = header.Apply(path, lineNumber, text);
            }
            else
            {
                throw DataErrors.At(path, lineNumber, 1, "expected a '#' comment or an '@' header line before the @data line.");
            }
        }
        if (rows.Count == 0)
            throw DataErrors.At(path, lineNumber + 1, inData ? "the file has no cases after @data." : "the file has no @data line.");

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumnName, SequenceColumnTypes.FloatSequence(dimensions!.Value));
        if (header.ClassNames is { } names)
            builder.AddColumn(labelColumnName, SequenceColumnTypes.Key(names.Length), SequenceColumnTypes.KeyValues(names));
        else if (header.TargetLabel)
            builder.AddColumn(labelColumnName, NumberDataViewType.Single);
        return new InMemorySequenceSource(builder.ToSchema(), rows);
    }

    // One case: its features (step-major) and, when the file has labels, its label (a key or a float).
    private static Array[] ReadCase(string path, int lineNumber, string line, TsHeader header, ref int? dimensions)
    {
        var parts = new List<Range>();
        for (int start = 0; ;)
        {
            int end = line.IndexOf(':', start);
            if (end < 0) end = line.Length;
            parts.Add(start..end);
            if (end == line.Length) break;
            start = end + 1;
        }
        int channels = parts.Count - (header.HasLabel ? 1 : 0);
        dimensions ??= channels;
        if (channels != dimensions)
        {
            int column = channels > dimensions ? parts[dimensions.Value].Start.Value + 1 : line.Length + 1;
            throw DataErrors.At(path, lineNumber, column,
                $"the case has {channels} channel(s) but the file has {dimensions} (from @dimensions or the first case){(header.HasLabel ? " and ends with a label" : "")}.");
        }

        int d = dimensions.Value;
        int steps = line.AsSpan(parts[0]).Count(',') + 1;
        var features = new float[steps * d];
        for (int c = 0; c < d; c++) ReadChannel(path, lineNumber, line, parts[c], c, d, steps, features, header.Missing);
        if (!header.HasLabel) return [features];

        Range labelPart = parts[^1];
        string label = line[labelPart].Trim();
        int labelColumn = labelPart.Start.Value + 1;
        if (header.ClassNames is { } names)
        {
            int index = Array.IndexOf(names, label);
            if (index < 0) throw DataErrors.At(path, lineNumber, labelColumn, $"the class label '{label}' is not declared by @classLabel.");
            return [features, new[] { (uint)index + 1 }];
        }
        if (!float.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out float target))
            throw DataErrors.At(path, lineNumber, labelColumn, $"the target '{label}' is not a number.");
        return [features, new[] { target }];
    }

    // Writes channel c's values to features[t * d + c]; the channel must have exactly `steps` values.
    private static void ReadChannel(string path, int lineNumber, string line, Range part, int c, int d, int steps, float[] features, bool missing)
    {
        int t = 0, start = part.Start.Value, stop = part.End.Value;
        for (; ; t++)
        {
            int end = line.IndexOf(',', start, stop - start);
            if (end < 0) end = stop;
            if (t == steps)
                throw DataErrors.At(path, lineNumber, start + 1, $"channel {c + 1} has more values than channel 1 ({steps}); the channels of a case must have the same length.");
            ReadOnlySpan<char> cell = line.AsSpan(start, end - start).Trim();
            if (missing && cell.SequenceEqual("?")) features[t * d + c] = float.NaN;
            else if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out features[t * d + c]))
                throw DataErrors.At(path, lineNumber, start + 1, $"'{cell}' is not a number (channel {c + 1}, value {t + 1}).");
            if (end == stop) break;
            start = end + 1;
        }
        if (t + 1 != steps)
            throw DataErrors.At(path, lineNumber, part.Start.Value + 1, $"channel {c + 1} has {t + 1} values but channel 1 has {steps}; the channels of a case must have the same length.");
    }
}
