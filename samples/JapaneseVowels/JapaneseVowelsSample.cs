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
        var rawTrain = VowelData.Load(ml, folder, "TRAIN");
        var rawTest = VowelData.Load(ml, folder, "TEST");
        if (options.Quick) (rawTrain, rawTest) = (EveryNth(rawTrain, 5), EveryNth(rawTest, 12));
        var standardizer = ChannelStandardizer.Fit(rawTrain.Select(u => u.Features), VowelData.Channels);
        ModelInput[] Standardize(IEnumerable<ModelInput> rows) =>
            rows.Select(u => new ModelInput { Features = standardizer.Apply(u.Features), Label = u.Label }).ToArray();
        var train = Standardize(rawTrain);
        var test = Standardize(rawTest);
        var lengths = rawTrain.Concat(rawTest).Select(u => u.Features.Length / VowelData.Channels).ToArray();
        output.WriteLine($"Data: {folder}; {train.Length} training and {test.Length} test utterances of {lengths.Min()} to {lengths.Max()} frames × {VowelData.Channels} coefficients.");

        var trainView = ml.Data.LoadFromEnumerable(train);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(VowelData.Speakers.Select(s => new Speaker { Label = s })));
        int epochs = options.Quick ? 2 : 80;
        var lstm = ml.Recurrent().Lstm(new LstmOptions
        {
            Layers = [new BidirectionalSpec(new LstmSpec(64)) { Dropout = 0.3 }, new LstmSpec(64) { Dropout = 0.3 }],
            Epochs = epochs,
            BatchSize = 16,
            LearningRate = 3e-3,
            Schedule = new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinimumRate = 1e-4 },
            Progress = new ProgressWriter(output, epochs),
        });
        var pipeline = toKey.Append(lstm).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

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

    private static ModelInput[] EveryNth(ModelInput[] rows, int n) => rows.Where((_, i) => i % n == 0).ToArray();

    private sealed class Speaker { public string Label { get; set; } = ""; }
}
