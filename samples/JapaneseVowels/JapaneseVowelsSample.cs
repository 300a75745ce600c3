using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Recurrent.Native.Network;
using Recurrent.Native.Training;
using Samples.Common;

namespace Samples.JapaneseVowels;

/// <summary>
/// Variable-length multivariate classification: which of nine speakers uttered a Japanese vowel, from 7 to 29 frames
/// of 12 coefficients. Utterances of different lengths share minibatches, padded and masked; the label sits on each
/// utterance's last frame. Trains, evaluates on the test split, saves, and names a speaker with the reloaded model.
/// </summary>
public static class JapaneseVowelsSample
{
    public static JapaneseVowelsResult Run(JapaneseVowelsOptions options, TextWriter output)
    {
        var ml = new MLContext(seed: options.Seed);
        string folder = SharedDataFolder.Locate(VowelData.FolderName, options.DataFolder);
        var (rawTrain, rawTest, train, test, standardizer) = PrepareData(ml, folder, options.Quick);
        var lengths = rawTrain.Concat(rawTest).Select(u => u.Features.Length / VowelData.Channels).ToArray();
        output.WriteLine($"Data: {folder}; {train.Length} training and {test.Length} test utterances of {lengths.Min()} to {lengths.Max()} frames × {VowelData.Channels} coefficients.");

        var trainView = ml.Data.LoadFromEnumerable(train);
        int epochs = options.Quick ? 2 : FullEpochs;
        var pipeline = CreatePipeline(ml, epochs, new ProgressWriter(output, epochs));

        output.WriteLine("Training ...");
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(trainView);
        clock.Stop();
        var training = ml.Recurrent().GetModel(model).Training!;
        output.WriteLine($"Trained {training.Epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s.");

        var metrics = ml.Recurrent().EvaluateClassification(model.Transform(ml.Data.LoadFromEnumerable(test)));
        output.WriteLine($"Test accuracy: {metrics.StepAccuracy:F4} ({metrics.StepAccuracy * metrics.StepCount:F0} of {metrics.StepCount} utterances), log-loss {metrics.LogLoss:F4}.");
        ConfusionTable.Write(output, metrics.ConfusionMatrix, VowelData.Speakers.Select(s => $"speaker {s}").ToArray());

        string modelPath = Path.GetFullPath(options.ModelPath);
        ml.Recurrent().SaveModel(model, trainView.Schema, modelPath);
        standardizer.Save(ChannelStandardizer.PathFor(modelPath));
        output.WriteLine($"Saved the model to {modelPath} and the channel statistics to {ChannelStandardizer.PathFor(modelPath)}.");

        var consumer = new ConsumeModel(modelPath);
        var trained = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        bool agrees = rawTest.Zip(test).All(p => consumer.Predict(p.First.Features).Prediction == trained.Predict(p.Second).Prediction);
        var example = rawTest[^1];
        var answer = consumer.Predict(example.Features);
        output.WriteLine($"Reloaded model: a test utterance of {example.Features.Length / VowelData.Channels} frames by speaker {example.Label} " +
            $"is by speaker {answer.Prediction} (probability {answer.Score.Max():F3}); it agrees with the trained model on {(agrees ? "every" : "NOT every")} test utterance.");
        return new JapaneseVowelsResult(train.Length, test.Length, metrics.StepAccuracy, training.Epochs, clock.Elapsed,
            modelPath, example.Label, answer, agrees);
    }

    /// <summary>Epochs of the full run.</summary>
    public const int FullEpochs = 80;

    /// <summary>
    /// Reads both splits from <paramref name="folder"/> (every 5th / 12th utterance in quick mode) and standardizes each
    /// channel with the statistics of the training split.
    /// </summary>
    public static (ModelInput[] RawTrain, ModelInput[] RawTest, ModelInput[] Train, ModelInput[] Test, ChannelStandardizer Standardizer)
        PrepareData(MLContext ml, string folder, bool quick)
    {
        var rawTrain = VowelData.Load(ml, folder, "TRAIN");
        var rawTest = VowelData.Load(ml, folder, "TEST");
        if (quick) (rawTrain, rawTest) = (EveryNth(rawTrain, 5), EveryNth(rawTest, 12));
        var standardizer = ChannelStandardizer.Fit(rawTrain.Select(u => u.Features), VowelData.Channels);
        ModelInput[] Standardize(IEnumerable<ModelInput> rows) =>
            rows.Select(u => new ModelInput { Features = standardizer.Apply(u.Features), Label = u.Label }).ToArray();
        return (rawTrain, rawTest, Standardize(rawTrain), Standardize(rawTest), standardizer);
    }

    /// <summary>
    /// The pipeline: speaker name to key, a bidirectional LSTM(64) under an LSTM(64) with dropout, trained with Adam on a
    /// cosine schedule, and the predicted key back to the speaker's name. <paramref name="threads"/>: 0 = one per core.
    /// </summary>
    public static IEstimator<ITransformer> CreatePipeline(MLContext ml, int epochs, IProgress<TrainingProgress>? progress, int threads = 0)
    {
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(VowelData.Speakers.Select(s => new Speaker { Label = s })));
        var lstm = ml.Recurrent().Lstm(new LstmOptions
        {
            Layers = [new BidirectionalSpec(new LstmSpec(64)) { Dropout = 0.3 }, new LstmSpec(64) { Dropout = 0.3 }],
            Epochs = epochs,
            BatchSize = 16,
            LearningRate = 3e-3,
            Schedule = new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinimumRate = 1e-4 },
            Progress = progress,
            NumberOfThreads = threads,
        });
        return toKey.Append(lstm).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }

    private static ModelInput[] EveryNth(ModelInput[] rows, int n) => rows.Where((_, i) => i % n == 0).ToArray();

    private sealed class Speaker { public string Label { get; set; } = ""; }
}
