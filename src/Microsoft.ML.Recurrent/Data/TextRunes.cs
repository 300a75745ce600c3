using System.Buffers;
using System.Text;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>Walks the characters (Unicode scalar values) of a text with their 1-based line and column.</summary>
internal static class TextRunes
{
    /// <summary>Every character with its line and column; a lone surrogate is an error naming <paramref name="source"/>.</summary>
    public static IEnumerable<(Rune Rune, int Line, int Column)> Enumerate(string text, string source)
    {
        int line = 1, column = 1;
        for (int i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int used) != OperationStatus.Done)
                throw DataErrors.At(source, line, column, "a lone UTF-16 surrogate is not a character.");
            yield return (rune, line, column);
            i += used;
            if (rune.Value == '\n') { line++; column = 1; }
            else column++;
        }
    }
}
