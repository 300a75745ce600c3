using System.Text.Json;

namespace Samples.JapaneseVowels;

/// <summary>
/// Per-channel standardisation, x' = (x − mean) / standard deviation, with the statistics of the training split over
/// all its frames. ML.NET's normalizers work per vector slot and need a fixed size, so a variable number of frames
/// is standardised here, and the statistics are saved next to the model for prediction.
/// </summary>
public sealed record ChannelStandardizer(float[] Mean, float[] StandardDeviation)
{
    public static ChannelStandardizer Fit(IEnumerable<float[]> sequences, int channels)
    {
        var sum = new double[channels];
        var sumSquares = new double[channels];
        long frames = 0;
        foreach (var x in sequences)
        {
            for (int i = 0; i < x.Length; i++)
            {
                sum[i % channels] += x[i];
                sumSquares[i % channels] += (double)x[i] * x[i];
            }
            frames += x.Length / channels;
        }
        var mean = sum.Select(s => (float)(s / frames)).ToArray();
        var std = sumSquares.Select((s, c) => (float)Math.Sqrt(Math.Max(s / frames - mean[c] * (double)mean[c], 1e-12))).ToArray();
        return new ChannelStandardizer(mean, std);
    }

    /// <summary>A standardised copy of <paramref name="x"/> (frames × channels).</summary>
    public float[] Apply(float[] x)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (x[i] - Mean[i % Mean.Length]) / StandardDeviation[i % Mean.Length];
        return y;
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    public static ChannelStandardizer Load(string path) =>
        JsonSerializer.Deserialize<ChannelStandardizer>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no statistics.");

    /// <summary>The statistics' file that goes with a model file.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".channels.json");
}
