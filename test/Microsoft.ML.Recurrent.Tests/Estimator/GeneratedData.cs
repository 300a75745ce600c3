using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>A sequence row: 2 values per step, variable length, with labels of every kind the estimator takes.</summary>
public sealed class SeqRow
{
    [VectorType(0, 2)] public float[] Features { get; set; } = [];
    public string Sign { get; set; } = "";             // many-to-one class: sign of the sum of channel 0
    public float Mean { get; set; }                    // many-to-one value: mean of channel 0
    public string[] Trend { get; set; } = [];          // many-to-many class per step: sign of the running sum
    [VectorType(0, 1)] public float[] Running { get; set; } = [];   // many-to-many value per step: running mean
}

/// <summary>Generated data whose labels need memory of the whole sequence so far.</summary>
internal static class GeneratedData
{
    public static SeqRow[] Rows(int count, int seed, int minLength = 3, int maxLength = 12)
    {
        var rng = new Random(seed);
        var rows = new SeqRow[count];
        for (int n = 0; n < count; n++)
        {
            int len = rng.Next(minLength, maxLength + 1);
            var x = new float[len * 2];
            var trend = new string[len];
            var running = new float[len];
            float sum = 0;
            for (int t = 0; t < len; t++)
            {
                x[2 * t] = (float)(rng.NextDouble() * 2 - 1);
                x[2 * t + 1] = (float)rng.NextDouble();
                sum += x[2 * t];
                trend[t] = sum > 0 ? "up" : "down";
                running[t] = sum / (t + 1);
            }
            rows[n] = new SeqRow { Features = x, Sign = sum > 0 ? "positive" : "negative", Mean = sum / len, Trend = trend, Running = running };
        }
        return rows;
    }
}
