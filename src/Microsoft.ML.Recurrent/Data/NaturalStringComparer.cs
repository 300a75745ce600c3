namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Orders strings the way people number files: runs of digits compare by their numeric value, so <c>x_2</c> comes before
/// <c>x_10</c>; other characters compare ordinally ignoring case. Ties fall back to an ordinal comparison, so the order
/// is total and does not depend on the culture.
/// </summary>
internal sealed class NaturalStringComparer : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static NaturalStringComparer Instance { get; } = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int c = CompareNumbers(x, ref i, y, ref j);
                if (c != 0) return c;
                continue;
            }
            int byChar = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
            if (byChar != 0) return byChar;
            i++;
            j++;
        }
        int byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    // Compares the digit runs starting at x[i] and y[j] by value and moves both indices past them.
    private static int CompareNumbers(string x, ref int i, string y, ref int j)
    {
        ReadOnlySpan<char> a = DigitRun(x, ref i).TrimStart('0'), b = DigitRun(y, ref j).TrimStart('0');
        if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
        return a.SequenceCompareTo(b);
    }

    private static ReadOnlySpan<char> DigitRun(string s, ref int index)
    {
        int start = index;
        while (index < s.Length && char.IsAsciiDigit(s[index])) index++;
        return s.AsSpan(start, index - start);
    }
}
