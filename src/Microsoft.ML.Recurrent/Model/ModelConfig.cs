using Microsoft.ML.Recurrent.Data;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>Everything besides the weights that a saved model needs (the JSON part of the payload, see docs/model-format.md).</summary>
internal sealed record ModelConfig
{
    public required NetworkSpec Network { get; init; }
    public required RecurrentTask Task { get; init; }
    public required SequenceMode Mode { get; init; }
    public required FeatureEncoding Encoding { get; init; }
    /// <summary>Values per step d (one-hot width for key features).</summary>
    public required int FeatureSize { get; init; }
    /// <summary>Classes, or values per step.</summary>
    public required int Outputs { get; init; }
    /// <summary>Steps predicted in one-to-many mode (0 otherwise).</summary>
    public int OutputSteps { get; init; }
    /// <summary>The longest training sequence: the first size of the inference workspaces.</summary>
    public int LongestSequence { get; init; }
    /// <summary>Class names (the label key's values as text), or null.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
    public required string FeatureColumnName { get; init; }
    public required string LabelColumnName { get; init; }
    public required string ScoreColumnName { get; init; }
    public required string PredictedLabelColumnName { get; init; }
}
