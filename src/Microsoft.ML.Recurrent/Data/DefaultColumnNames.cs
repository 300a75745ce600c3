namespace Microsoft.ML.Recurrent.Data;

/// <summary>The column names the loaders use unless told otherwise, which are those the recurrent trainers expect.</summary>
internal static class DefaultColumnNames
{
    /// <summary>The feature column: <c>"Features"</c>.</summary>
    public const string Features = "Features";

    /// <summary>The label column: <c>"Label"</c>.</summary>
    public const string Label = "Label";

    /// <summary>The score column: <c>"Score"</c>.</summary>
    public const string Score = "Score";

    /// <summary>The predicted-label column: <c>"PredictedLabel"</c>.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Throws when a name is empty or both names are the same.</summary>
    internal static void Check(string featureColumnName, string labelColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        if (featureColumnName == labelColumnName)
            throw new ArgumentException($"The feature and label columns must have different names; both are '{featureColumnName}'.", nameof(labelColumnName));
    }
}
