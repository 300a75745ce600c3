using Microsoft.ML.Data;

namespace Samples.SyntheticControl;

/// <summary>One control chart: 60 readings and, for training and evaluation, its class.</summary>
public sealed class ModelInput
{
    /// <summary>The readings, oldest first, as measured (the model z-normalises each series itself).</summary>
    [VectorType(ControlChartGenerator.Length)]
    public float[] Features { get; set; } = [];

    /// <summary>The class name (one of <see cref="ControlChartGenerator.ClassNames"/>); ignored by prediction.</summary>
    public string Label { get; set; } = "";
}
