using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Recurrent.Native.Network;
using Recurrent.Native.Training;
using Samples.Common;

namespace Samples.AirlineForecast;

/// <summary>
/// Forecasting step by step: an LSTM learns, on windows of the training months, to predict each next month's
/// (scaled) year-on-year change; the saved model then forecasts the last 12 months with the time-step engine, feeding
/// back its own predictions, and is compared with the seasonal-naive forecast (the same month a year earlier).
/// </summary>
public static class AirlineForecastSample
{
    public const int Horizon = 12;
    /// <summary>Months per training window.</summary>
    public const int WindowLength = 36;

    public static AirlineForecastResult Run(AirlineForecastOptions options, TextWriter output)
    {
        string path = SharedDataFolder.Locate(AirlineData.RelativePath, options.DataPath);
        var (months, passengers) = AirlineData.Load(path);
        int end = passengers.Length - (options.Backtest ? Horizon : 0);   // months known to this run
        int origin = end - Horizon;                                       // the first forecast month
        var history = passengers[..origin];
        var actual = passengers[origin..end];
        output.WriteLine($"Data: {path}; training on {months[0]} to {months[origin - 1]} ({origin} months), forecasting {months[origin]} to {months[end - 1]}" +
            (options.Backtest ? $" (backtest: {months[end]} onwards unused)." : "."));

        var scaling = SeasonalScaling.Fit(history);
        var z = scaling.Features(history);
        var windows = Windows(z, WindowLength);
        var ml = new MLContext(seed: options.Seed);
        var trainView = ml.Data.LoadFromEnumerable(windows);
        int epochs = options.Quick ? 2 : 100;
        var estimator = ml.Recurrent().Lstm(new LstmOptions
        {
            Layers = [new LstmSpec(32) { RecurrentDropout = 0.3 }],
            Epochs = epochs,
            BatchSize = 8,
            LearningRate = 3e-3,
            Schedule = new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinimumRate = 1e-4 },
            Progress = new ProgressWriter(output, epochs),
        });
        output.WriteLine($"Training on {windows.Length} windows ...");
        var clock = Stopwatch.StartNew();
        var model = estimator.Fit(trainView);
        clock.Stop();
        output.WriteLine($"Trained {epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s.");

        string modelPath = Path.GetFullPath(options.ModelPath);
        ml.Recurrent().SaveModel(model, trainView.Schema, modelPath);
        scaling.Save(SeasonalScaling.PathFor(modelPath));
        output.WriteLine($"Saved the model to {modelPath} and its scaling to {SeasonalScaling.PathFor(modelPath)}.");

        using var forecaster = new Forecaster(modelPath);
        var forecast = forecaster.Forecast(history, Horizon);
        var naive = passengers[(origin - SeasonalScaling.Season)..(end - SeasonalScaling.Season)];
        var drift = naive.Select(lastYear => scaling.Passengers(0, lastYear)).ToArray();
        var lstm = ForecastErrors.Of(forecast, actual);
        var seasonalNaive = ForecastErrors.Of(naive, actual);
        output.WriteLine("  month    actual   LSTM  seasonal naive  + mean growth");
        for (int h = 0; h < Horizon; h++) output.WriteLine($"  {months[origin + h]}  {actual[h],6:F0} {forecast[h],6:F1} {naive[h],15:F0} {drift[h],14:F1}");
        output.WriteLine($"LSTM, step by step, its own predictions fed back:    {lstm}");
        output.WriteLine($"Seasonal naive (the same month a year earlier):      {seasonalNaive}");
        output.WriteLine($"Seasonal naive times the mean year-on-year growth:   {ForecastErrors.Of(drift, actual)}  (context: a stronger simple baseline)");
        return new AirlineForecastResult(months[origin], lstm, seasonalNaive, forecast, clock.Elapsed, modelPath);
    }

    /// <summary>Every window of <paramref name="length"/> months: features z(t..t+L−1), labels z(t+1..t+L).</summary>
    private static ModelInput[] Windows(float[] z, int length) =>
        Enumerable.Range(0, z.Length - length).Select(t => new ModelInput { Features = z[t..(t + length)], Label = z[(t + 1)..(t + length + 1)] }).ToArray();
}
