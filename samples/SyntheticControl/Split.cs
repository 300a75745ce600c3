namespace Samples.SyntheticControl;

/// <summary>A stratified split: the same fraction of every class goes to the second part.</summary>
public static class Split
{
    public static (ModelInput[] Keep, ModelInput[] Held) Stratified(IReadOnlyList<ModelInput> rows, double heldFraction, int seed)
    {
        var rng = new Random(seed);
        var keep = new List<ModelInput>();
        var held = new List<ModelInput>();
        foreach (var group in rows.GroupBy(r => r.Label))
        {
            var shuffled = group.OrderBy(_ => rng.Next()).ToArray();
            int count = (int)Math.Round(shuffled.Length * heldFraction);
            held.AddRange(shuffled[..count]);
            keep.AddRange(shuffled[count..]);
        }
        return (keep.ToArray(), held.ToArray());
    }
}
