using System.Globalization;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Reads a UCR archive file: one univariate series per line, values separated by spaces or tabs, the class label
/// first. Blank lines are skipped. Labels become keys. A label that reads as a number is named by its shortest form
/// (<c>1.0000000e+00</c> is class <c>"1"</c>), other labels by their text. Without given class names the classes are
/// the file's labels, sorted by value when all are numbers and in natural order otherwise.
/// </summary>
internal static class UcrFileReader
{
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>Reads the whole file.</summary>
    public static InMemorySequenceSource Read(string path, IReadOnlyList<string>? classNames, string featureColumnName, string labelColumnName)
    {
        var series = new List<float[]>();
        var labels = new List<(string Name, int Line, int Column)>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            series.Add(ReadLine(path, lineNumber, line, out string label, out int labelColumn));
            labels.Add((label, lineNumber, labelColumn));
        }
        if (series.Count == 0) throw DataErrors.At(path, lineNumber + 1, "the file has no series.");

        string[] classes = classNames is null ? SortClasses(labels.Select(l => l.Name).Distinct()) : GivenClasses(classNames);
        var keys = classes.Select((name, i) => (name, key: (uint)i + 1)).ToDictionary(p => p.name, p => p.key);
        var rows = new List<Array[]>(series.Count);
        for (int i = 0; i < series.Count; i++)
        {
            var (name, line, column) = labels[i];
            if (!keys.TryGetValue(name, out uint key))
                throw DataErrors.At(path, line, column, $"the class label '{name}' is not one of the given class names ({string.Join(", ", classes)}).");
            rows.Add([series[i], new[] { key }]);
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumnName, SequenceColumnTypes.FloatSequence(1));
        builder.AddColumn(labelColumnName, SequenceColumnTypes.Key(classes.Length), SequenceColumnTypes.KeyValues(classes));
        return new InMemorySequenceSource(builder.ToSchema(), rows);
    }

    /// <summary>The class name of a label token: the shortest form of a number, or the text itself.</summary>
    public static string ClassName(string token)
        => double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value.ToString("R", CultureInfo.InvariantCulture) : token;

    private static float[] ReadLine(string path, int lineNumber, string line, out string label, out int labelColumn)
    {
        var values = new List<float>();
        label = "";
        labelColumn = 0;
        for (int start = 0; ;)
        {
            start = SkipSeparators(line, start);
            if (start == line.Length) break;
            int end = line.IndexOfAny(Separators, start);
            if (end < 0) end = line.Length;
            ReadOnlySpan<char> token = line.AsSpan(start, end - start);
            if (labelColumn == 0)
            {
                label = ClassName(token.ToString());
                labelColumn = start + 1;
            }
            else if (float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)) values.Add(value);
            else throw DataErrors.At(path, lineNumber, start + 1, $"'{token}' is not a number (value {values.Count + 1} of the series).");
            start = end;
        }
        if (values.Count == 0) throw DataErrors.At(path, lineNumber, line.Length + 1, "the line has a label but no series values.");
        return values.ToArray();
    }

    private static int SkipSeparators(string line, int index)
    {
        while (index < line.Length && Array.IndexOf(Separators, line[index]) >= 0) index++;
        return index;
    }

    private static string[] GivenClasses(IReadOnlyList<string> classNames)
    {
        string[] names = classNames.Select(ClassName).ToArray();
        string? repeated = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (names.Length == 0) throw new ArgumentException("The list of class names is empty.", nameof(classNames));
        if (repeated is not null)
            throw new ArgumentException($"The class names must be distinct; '{repeated}' is given twice (after reading numbers in their shortest form).", nameof(classNames));
        return names;
    }

    private static string[] SortClasses(IEnumerable<string> names)
    {
        string[] list = names.ToArray();
        bool numeric = list.All(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric
            ? list.OrderBy(n => double.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()
            : list.Order(NaturalStringComparer.Instance).ToArray();
    }
}
