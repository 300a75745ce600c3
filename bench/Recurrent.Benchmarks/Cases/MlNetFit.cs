using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Samples.JapaneseVowels;

namespace Recurrent.Benchmarks.Cases;

/// <summary>What one ML.NET <c>Fit</c> of the JapaneseVowels sample took.</summary>
/// <param name="FitSeconds">Wall time of <c>pipeline.Fit(data)</c>, first call in a fresh process (JIT included, as a user meets it).</param>
/// <param name="TrainerSeconds">Wall time of the engine trainer's run inside it.</param>
/// <param name="ComputeSeconds">Time the trainer spent in forward, backward, updates and validation.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="Sequences">Training sequences.</param>
/// <param name="Again">The same <c>Fit</c> once more in the same process, on a new <see cref="MLContext"/>: its code already compiled.</param>
internal sealed record FitResult(double FitSeconds, double TrainerSeconds, double ComputeSeconds, int Epochs, int Sequences, FitResult? Again = null)
{
    /// <summary>Fit time not spent computing: reading rows, padding minibatches, schema and bookkeeping.</summary>
    public double OutsideSeconds => FitSeconds - ComputeSeconds;
}

/// <summary>
/// (f) ML.NET end to end: <c>Fit</c> of the JapaneseVowels sample's pipeline (speaker to key, bidirectional LSTM(64),
/// LSTM(64), 80 epochs; 2 in quick mode) on the standardized training split, and how much of it the engine computed.
/// </summary>
internal static class MlNetFit
{
    /// <summary>The data folder <c>../shared/data/JapaneseVowels</c>, found above the current or the program's folder.</summary>
    public static string? DataFolder()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "..", "shared", "data", VowelData.FolderName);
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        return null;
    }

    /// <summary>The first <c>Fit</c> of the process, then a second one (<see cref="FitResult.Again"/>).</summary>
    public static FitResult Measure(int threads, bool quick) => Once(threads, quick) with { Again = Once(threads, quick) };

    private static FitResult Once(int threads, bool quick)
    {
        string folder = DataFolder() ?? throw new InvalidOperationException(
            $"the ML.NET case needs ../shared/data/{VowelData.FolderName} above the current folder");
        var ml = new MLContext(seed: 1);
        var (_, _, train, _, _) = JapaneseVowelsSample.PrepareData(ml, folder, quick);
        var data = ml.Data.LoadFromEnumerable(train);
        var pipeline = JapaneseVowelsSample.CreatePipeline(ml, quick ? 2 : JapaneseVowelsSample.FullEpochs, progress: null, threads);
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(data);
        clock.Stop();
        var training = ml.Recurrent().GetModel(model).Training
            ?? throw new InvalidOperationException("the fitted model carries no training result");
        return new FitResult(clock.Elapsed.TotalSeconds, training.TotalTime.TotalSeconds, training.ComputeTime.TotalSeconds, training.Epochs, train.Length);
    }
}
