using Recurrent.Native.Tensors;
using Recurrent.Native.Training;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>Generated training tasks.</summary>
internal static class Tasks
{
    /// <summary>
    /// Recall: step 0 shows one of <paramref name="symbols"/> symbols (one-hot), the next steps carry random noise on a
    /// separate channel, the last step raises a query flag, and the label (at the last step only) is the first symbol.
    /// Solving it needs memory across <paramref name="steps"/> − 1 steps. Features: symbols + 2.
    /// </summary>
    public static SequenceDataset<float> Recall(int count, int steps, int symbols, int seed)
    {
        var rng = new Rng(seed);
        int f = symbols + 2;
        var data = new SequenceDataset<float>(f, symbols, classification: true);
        var x = new float[steps * f];
        var y = new int[steps];
        for (int n = 0; n < count; n++)
        {
            Array.Clear(x);
            Array.Fill(y, -1);
            int symbol = rng.NextInt(symbols);
            x[symbol] = 1;
            for (int t = 1; t < steps; t++) x[t * f + symbols] = (float)rng.Uniform(-1, 1);
            x[(steps - 1) * f + symbols + 1] = 1;
            y[steps - 1] = symbol;
            data.Add(x, y);
        }
        return data;
    }

    /// <summary>Random per-step classification data of varying lengths in [minLength, maxLength].</summary>
    public static SequenceDataset<float> RandomClasses(int count, int minLength, int maxLength, int features, int classes, int seed)
    {
        var rng = new Rng(seed);
        var data = new SequenceDataset<float>(features, classes, classification: true);
        for (int n = 0; n < count; n++)
        {
            int len = minLength + rng.NextInt(maxLength - minLength + 1);
            data.Add(Data.Uniform<float>(rng, len * features), Data.Classes(rng, len, classes));
        }
        return data;
    }
}
