namespace Samples.SyntheticControl;

/// <summary>Prints a confusion matrix: a row per actual class, a column per predicted class.</summary>
internal static class ConfusionTable
{
    public static void Write(TextWriter output, long[,] counts, IReadOnlyList<string> names)
    {
        int width = names.Max(n => n.Length);
        output.WriteLine($"  {"actual \\ predicted".PadRight(width + 2)}" + string.Concat(names.Select((_, j) => $" {j + 1,4}")));
        for (int i = 0; i < names.Count; i++)
            output.WriteLine($"  {$"{i + 1} {names[i]}".PadRight(width + 2)}" + string.Concat(Enumerable.Range(0, names.Count).Select(j => $" {counts[i, j],4}")));
    }
}
