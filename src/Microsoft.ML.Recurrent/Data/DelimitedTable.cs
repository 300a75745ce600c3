using System.Globalization;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// One delimited file read as a sequence: one step per line after the header lines, every line with the same number of
/// columns, every cell a number. Cells of the columns in [<c>emptyFrom</c>, <c>emptyFrom + emptyCount</c>) may be empty
/// (a step without a label) and read as NaN. Blank lines are allowed only at the end of the file.
/// </summary>
internal sealed class DelimitedTable
{
    private DelimitedTable(string path, float[] values, int columns, int[] lineNumbers)
    {
        Path = path;
        Values = values;
        Columns = columns;
        LineNumbers = lineNumbers;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>All cells, step-major: <c>Values[t * Columns + c]</c>.</summary>
    public float[] Values { get; }

    /// <summary>The number of columns of every line.</summary>
    public int Columns { get; }

    /// <summary>The 1-based line number of every step.</summary>
    public int[] LineNumbers { get; }

    /// <summary>The number of steps (at least 1).</summary>
    public int Steps => LineNumbers.Length;

    /// <summary>The cells of step <paramref name="t"/>.</summary>
    public ReadOnlySpan<float> Step(int t) => Values.AsSpan(t * Columns, Columns);

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file has no steps, a blank line inside, lines of different widths or a bad cell.</exception>
    public static DelimitedTable Read(string path, char separator, int headerLines, int emptyFrom = 0, int emptyCount = 0)
    {
        using var reader = new StreamReader(path);
        var values = new List<float>();
        var lineNumbers = new List<int>();
        int columns = -1, firstBlank = 0, lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (lineNumber <= headerLines) continue;
            if (string.IsNullOrWhiteSpace(line))
            {
                if (firstBlank == 0) firstBlank = lineNumber;
                continue;
            }
            if (firstBlank != 0)
                throw DataErrors.At(path, firstBlank, "blank line inside the sequence: every line after the header lines is one step (blank lines may only end the file).");

            int count = ParseLine(path, lineNumber, line, separator, emptyFrom, emptyCount, values);
            if (columns < 0) columns = count;
            else if (count != columns)
            {
                throw DataErrors.At(path, lineNumber, Math.Min(count, columns) + 1,
                    $"this line has {count} columns but the first step of the file (line {lineNumbers[0]}) has {columns}.");
            }
            lineNumbers.Add(lineNumber);
        }
        if (lineNumbers.Count == 0)
        {
            throw DataErrors.At(path, headerLines + 1,
                $"zero-length sequence: the file has no steps after its {headerLines} header line(s); a sequence needs at least one step.");
        }
        return new DelimitedTable(path, values.ToArray(), columns, lineNumbers.ToArray());
    }

    // Appends the cells of one line to values and returns how many there were.
    private static int ParseLine(string path, int lineNumber, string line, char separator, int emptyFrom, int emptyCount, List<float> values)
    {
        int column = 0;
        for (int start = 0; ; column++)
        {
            int end = line.IndexOf(separator, start);
            if (end < 0) end = line.Length;
            ReadOnlySpan<char> cell = line.AsSpan(start, end - start).Trim();
            if (cell.IsEmpty)
            {
                if (column < emptyFrom || column - emptyFrom >= emptyCount)
                    throw DataErrors.At(path, lineNumber, column + 1, "empty cell; a feature value is required at every step.");
                values.Add(float.NaN);
            }
            else if (float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            {
                values.Add(value);
            }
            else
            {
                throw DataErrors.At(path, lineNumber, column + 1, $"'{cell}' is not a number.");
            }
            if (end == line.Length) return column + 1;
            start = end + 1;
        }
    }
}
