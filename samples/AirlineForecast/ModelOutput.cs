namespace Samples.AirlineForecast;

/// <summary>The model's predictions: at every step, the next month's value (scaled like <see cref="ModelInput.Features"/>).</summary>
public sealed class ModelOutput
{
    public float[] Score { get; set; } = [];
}
