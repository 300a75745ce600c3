namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Builds the exceptions for bad sequence data. Every content problem is an <see cref="InvalidDataException"/> whose
/// message starts with the file, the 1-based line and, where one cell is at fault, the 1-based column.
/// </summary>
internal static class DataErrors
{
    /// <summary>A problem with one cell: "<c>path: line L, column C: problem</c>".</summary>
    public static InvalidDataException At(string path, int line, int column, string problem)
        => new($"{path}: line {line}, column {column}: {problem}");

    /// <summary>A problem with a whole line or with the file from that line on: "<c>path: line L: problem</c>".</summary>
    public static InvalidDataException At(string path, int line, string problem)
        => new($"{path}: line {line}: {problem}");
}
