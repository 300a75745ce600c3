namespace Samples.Common;

/// <summary>A stratified split: the same fraction of every class goes to the held-out part.</summary>
internal static class Split
{
    public static (T[] Keep, T[] Held) Stratified<T>(IReadOnlyList<T> rows, Func<T, string> label, double heldFraction, int seed)
    {
        var rng = new Random(seed);
        var keep = new List<T>();
        var held = new List<T>();
        foreach (var group in rows.GroupBy(label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = group.OrderBy(_ => rng.Next()).ToArray();
            int count = (int)Math.Round(shuffled.Length * heldFraction);
            held.AddRange(shuffled[..count]);
            keep.AddRange(shuffled[count..]);
        }
        return (keep.ToArray(), held.ToArray());
    }
}
