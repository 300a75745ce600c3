using Microsoft.ML.Data;

namespace Samples.SyntheticControl;

/// <summary>The model's answer for one chart.</summary>
public sealed class ModelOutput
{
    /// <summary>The predicted class name.</summary>
    [ColumnName("PredictedLabel")]
    public string Prediction { get; set; } = "";

    /// <summary>The probability of each class, in the order of <see cref="ControlChartGenerator.ClassNames"/>.</summary>
    public float[] Score { get; set; } = [];
}
