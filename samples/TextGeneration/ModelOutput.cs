namespace Samples.TextGeneration;

/// <summary>For every character read, the probability of each character of the vocabulary coming next (steps × count).</summary>
public sealed class ModelOutput
{
    public float[] Score { get; set; } = [];
}
