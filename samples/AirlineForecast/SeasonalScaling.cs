using System.Text.Json;

namespace Samples.AirlineForecast;

/// <summary>
/// The model's view of the series: z(t) = ln y(t) − ln y(t − 12), the year-on-year change of the logarithm (which takes
/// out the growth of the seasonal swings and the season itself), standardised with the mean and standard deviation of
/// the training months. A forecast of z turns back into passengers through the same month a year earlier.
/// </summary>
public sealed record SeasonalScaling(double Mean, double StandardDeviation)
{
    public const int Season = 12;

    /// <summary>The statistics of z over <paramref name="passengers"/> (the training months only).</summary>
    public static SeasonalScaling Fit(IReadOnlyList<double> passengers)
    {
        var z = Changes(passengers);
        double mean = z.Average();
        return new SeasonalScaling(mean, Math.Sqrt(z.Average(v => (v - mean) * (v - mean))));
    }

    /// <summary>The scaled z of every month from the 13th on (<c>passengers.Count − 12</c> values).</summary>
    public float[] Features(IReadOnlyList<double> passengers) => Changes(passengers).Select(v => (float)((v - Mean) / StandardDeviation)).ToArray();

    /// <summary>The passengers of the month whose scaled z is <paramref name="feature"/>, given that month a year earlier.</summary>
    public double Passengers(float feature, double yearEarlier) => yearEarlier * Math.Exp(feature * StandardDeviation + Mean);

    private static double[] Changes(IReadOnlyList<double> y) =>
        Enumerable.Range(Season, y.Count - Season).Select(t => Math.Log(y[t]) - Math.Log(y[t - Season])).ToArray();

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    public static SeasonalScaling Load(string path) =>
        JsonSerializer.Deserialize<SeasonalScaling>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no scaling.");

    /// <summary>The scaling's file that goes with a model file.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".scaling.json");
}
