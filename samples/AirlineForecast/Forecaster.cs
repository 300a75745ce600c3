using Microsoft.ML;
using Microsoft.ML.Recurrent.Prediction;

namespace Samples.AirlineForecast;

/// <summary>
/// Loads a saved model (and its scaling) and forecasts month by month with the time-step engine: the history warms
/// the model's state up, then each predicted month is fed back as the next input.
/// </summary>
public sealed class Forecaster : IDisposable
{
    private readonly TimeStepEngine<string, ModelInput, ModelOutput> _engine;
    private readonly SeasonalScaling _scaling;

    public Forecaster(string modelPath)
    {
        var ml = new MLContext();
        ITransformer model = ml.Model.Load(modelPath, out _);
        _engine = ml.Recurrent().CreateTimeStepEngine<ModelInput, ModelOutput>(model);
        _scaling = SeasonalScaling.Load(SeasonalScaling.PathFor(modelPath));
    }

    /// <summary>The next <paramref name="months"/> passenger counts after <paramref name="history"/> (at least 13 months).</summary>
    public double[] Forecast(IReadOnlyList<double> history, int months)
    {
        var known = history.ToList();
        _engine.Add("series");
        try
        {
            var warmUp = _engine.Predict("series", new ModelInput { Features = _scaling.Features(history) });
            float next = warmUp.Score[^1];
            var forecast = new double[months];
            for (int h = 0; h < months; h++)
            {
                forecast[h] = _scaling.Passengers(next, known[^SeasonalScaling.Season]);
                known.Add(forecast[h]);
                if (h + 1 < months) next = _engine.Predict("series", new ModelInput { Features = [next] }).Score[0];
            }
            return forecast;
        }
        finally { _engine.Remove("series"); }
    }

    public void Dispose() => _engine.Dispose();
}
