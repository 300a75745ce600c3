namespace Samples.AirlineForecast;

/// <summary>Root mean squared error and mean absolute percentage error of a forecast.</summary>
public sealed record ForecastErrors(double Rmse, double Mape)
{
    public static ForecastErrors Of(IReadOnlyList<double> forecast, IReadOnlyList<double> actual)
    {
        var pairs = forecast.Zip(actual).ToArray();
        return new ForecastErrors(
            Math.Sqrt(pairs.Average(p => (p.First - p.Second) * (p.First - p.Second))),
            pairs.Average(p => Math.Abs(p.First - p.Second) / Math.Abs(p.Second)));
    }

    public override string ToString() => $"RMSE {Rmse,6:F2}, MAPE {Mape,6:P2}";
}
