using Microsoft.ML.Data;

namespace Samples.AirlineForecast;

/// <summary>
/// A stretch of consecutive months, as the model sees them: each month's year-on-year change of the logarithm of the
/// passenger count, standardised (see <see cref="SeasonalScaling"/>).
/// </summary>
public sealed class ModelInput
{
    /// <summary>One value per month, oldest first.</summary>
    [VectorType(0, 1)]
    public float[] Features { get; set; } = [];

    /// <summary>For training: each month's next value (the value the model should predict at that step).</summary>
    [VectorType(0, 1)]
    public float[] Label { get; set; } = [];
}
