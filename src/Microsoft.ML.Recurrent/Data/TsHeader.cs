using System.Globalization;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// The header of a UEA/sktime <c>.ts</c> file: the <c>@</c> lines before <c>@data</c>. Read: <c>@dimensions</c>,
/// <c>@univariate</c>, <c>@missing</c>, <c>@timeStamps</c> (only <c>false</c> is supported), <c>@classLabel</c>
/// (<c>true</c> and the class names, or <c>false</c>), <c>@targetLabel</c> (regression). Other tags
/// (<c>@problemName</c>, <c>@equalLength</c>, <c>@seriesLength</c>, ...) describe the data and are not needed to read it.
/// </summary>
internal sealed class TsHeader
{
    /// <summary>The number of channels, when the header says it.</summary>
    public int? Dimensions { get; private set; }

    /// <summary>Whether <c>?</c> may stand for a missing value (read as NaN).</summary>
    public bool Missing { get; private set; }

    /// <summary>The class names in declared order, when cases end with a class label.</summary>
    public string[]? ClassNames { get; private set; }

    /// <summary>Whether cases end with a numeric regression target.</summary>
    public bool TargetLabel { get; private set; }

    /// <summary>Whether cases end with a label of either kind.</summary>
    public bool HasLabel => ClassNames is not null || TargetLabel;

    /// <summary>Applies one header line (trimmed, starting with '@'); returns true for <c>@data</c>.</summary>
    public bool Apply(string path, int lineNumber, string line)
    {
        string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string tag = words[0].ToLowerInvariant();
        switch (tag)
        {
            case "@data":
                return true;
            case "@dimensions":
                Dimensions = int.TryParse(Word(words, 1, path, lineNumber), NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d > 0
                    ? d : throw DataErrors.At(path, lineNumber, $"'{words[1]}' is not a number of dimensions (1 or more).");
                break;
            case "@univariate":
                if (Flag(words, path, lineNumber)) Dimensions = 1;
                break;
            case "@missing":
                Missing = Flag(words, path, lineNumber);
                break;
            case "@timestamps":
                if (Flag(words, path, lineNumber))
                    throw DataErrors.At(path, lineNumber, "files with time stamps (@timeStamps true) are not supported; give the values only.");
                break;
            case "@classlabel":
                ClassNames = Flag(words, path, lineNumber) ? ReadClassNames(words, path, lineNumber) : null;
                break;
            case "@targetlabel":
                TargetLabel = Flag(words, path, lineNumber);
                break;
        }
        if (ClassNames is not null && TargetLabel)
            throw DataErrors.At(path, lineNumber, "a file cannot have both @classLabel true and @targetLabel true.");
        return false;
    }

    private static string[] ReadClassNames(string[] words, string path, int lineNumber)
    {
        string[] names = words[2..];
        if (names.Length == 0) throw DataErrors.At(path, lineNumber, "@classLabel true must be followed by the class names.");
        string? repeated = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null) throw DataErrors.At(path, lineNumber, $"the class name '{repeated}' is declared twice.");
        return names;
    }

    private static bool Flag(string[] words, string path, int lineNumber) => Word(words, 1, path, lineNumber).ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw DataErrors.At(path, lineNumber, $"{words[0]} must be followed by true or false, not '{words[1]}'."),
    };

    private static string Word(string[] words, int index, string path, int lineNumber)
        => index < words.Length ? words[index] : throw DataErrors.At(path, lineNumber, $"{words[0]} needs a value.");
}
