namespace Samples.Common;

/// <summary>Prints a confusion matrix: a row per actual class, a column per predicted class.</summary>
internal static class ConfusionTable
{
    public static void Write(TextWriter output, long[,] counts, IReadOnlyList<string> names)
    {
        const string Corner = "actual \\ predicted";
        int width = Math.Max(Corner.Length, names.Max(n => n.Length) + 2);
        output.WriteLine($"  {Corner.PadRight(width)}" + string.Concat(names.Select((_, j) => $" {j + 1,4}")));
        for (int i = 0; i < names.Count; i++)
            output.WriteLine($"  {$"{i + 1} {names[i]}".PadRight(width)}" + string.Concat(Enumerable.Range(0, names.Count).Select(j => $" {counts[i, j],4}")));
    }
}
