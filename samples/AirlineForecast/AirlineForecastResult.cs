namespace Samples.AirlineForecast;

/// <summary>What a run measured.</summary>
/// <param name="FirstMonth">The first forecast month.</param>
/// <param name="Lstm">Errors of the model's step-by-step forecast.</param>
/// <param name="SeasonalNaive">Errors of the seasonal-naive forecast.</param>
/// <param name="Forecast">The model's forecast, one value per month.</param>
/// <param name="TrainingTime">Wall time of the fit.</param>
/// <param name="ModelPath">The saved model.</param>
public sealed record AirlineForecastResult(string FirstMonth, ForecastErrors Lstm, ForecastErrors SeasonalNaive, double[] Forecast,
    TimeSpan TrainingTime, string ModelPath);
