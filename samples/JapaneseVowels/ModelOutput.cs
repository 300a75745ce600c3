using Microsoft.ML.Data;

namespace Samples.JapaneseVowels;

/// <summary>The model's answer for one utterance.</summary>
public sealed class ModelOutput
{
    /// <summary>The predicted speaker.</summary>
    [ColumnName("PredictedLabel")]
    public string Prediction { get; set; } = "";

    /// <summary>The probability of each speaker, "1" to "9".</summary>
    public float[] Score { get; set; } = [];
}
