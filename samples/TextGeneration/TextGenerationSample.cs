using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Data;
using Samples.Common;

namespace Samples.TextGeneration;

/// <summary>
/// Character-level language model: a stacked LSTM learns to predict the next character of Tiny Shakespeare with
/// truncated BPTT, is scored on the last 10% of the text (nats per character), saved, and then writes text one
/// character at a time with the time-step engine.
/// </summary>
public static class TextGenerationSample
{
    public static TextGenerationResult Run(TextGenerationOptions options, TextWriter output)
    {
        string path = SharedDataFolder.Locate(ShakespeareText.RelativePath, options.DataPath);
        var (trainText, validationText) = ShakespeareText.Load(path);
        var recipe = TextRecipe.For(options);
        if (recipe.TrainCharacters is { } n) (trainText, validationText) = (trainText[..n], validationText[..(n / 9)]);
        var vocabulary = CharacterVocabulary.FromText(trainText + validationText);
        var ml = new MLContext(seed: options.Seed);
        var windows = new CharacterSequenceOptions { SequenceLength = recipe.SequenceLength, Vocabulary = vocabulary };
        var train = ml.Data.LoadCharacterSequences(trainText, windows);
        var validation = ml.Data.LoadCharacterSequences(validationText, windows);
        output.WriteLine($"Data: {path}; {trainText.Length:N0} characters to train on, the last {validationText.Length:N0} to validate on; " +
            $"{vocabulary.Count} distinct characters.");
        output.WriteLine($"Network: {recipe.Layers} × LSTM({recipe.Hidden}), windows of {recipe.SequenceLength} characters, truncated BPTT {recipe.Bptt}, " +
            $"batch {recipe.BatchSize}, Adam {recipe.LearningRate} with a cosine decay.");

        var clock = Stopwatch.StartNew();
        int epochs = recipe.Epochs;
        if (recipe.Budget is { } budget)
        {
            output.WriteLine($"Measuring the training speed to fit the epochs into {budget.TotalMinutes:F1} minutes ...");
            (epochs, double epochSeconds) = EpochPlanner.Plan(ml, recipe, train, validation, budget - clock.Elapsed);
            output.WriteLine($"  about {epochSeconds:F0} s per epoch here and now: {epochs} epoch(s) planned.");
        }
        output.WriteLine("Training ...");
        var model = ml.Recurrent().Lstm(recipe.Options(epochs, validation, recipe.Budget - clock.Elapsed, new ProgressWriter(output, epochs))).Fit(train);
        clock.Stop();
        var training = model.Model.Training!;
        bool stopped = training.Epochs < epochs;
        string kept = training.BestEpoch > training.Epochs ? "those it had when it stopped" : $"those of epoch {training.BestEpoch}";
        output.WriteLine($"Trained {training.Epochs} full epoch(s) in {clock.Elapsed.TotalMinutes:F1} minutes" +
            (stopped ? $"; the budget ended training during epoch {training.Epochs + 1}. Kept the weights with the best validation loss: {kept}." : "."));

        var evaluation = Stopwatch.StartNew();
        var metrics = ml.Recurrent().EvaluateClassification(model.Transform(validation));
        output.WriteLine($"Validation (last 10% of the text, windows of {recipe.SequenceLength} starting from a zero state): " +
            $"{metrics.LogLoss:F4} nats per character, perplexity {metrics.Perplexity:F2}, next-character accuracy {metrics.StepAccuracy:P1} " +
            $"[{evaluation.Elapsed.TotalSeconds:F0} s]");

        string modelPath = Path.GetFullPath(options.ModelPath);
        ml.Recurrent().SaveModel(model, train.Schema, modelPath);
        vocabulary.Save(TextGenerator.VocabularyPath(modelPath));
        output.WriteLine($"Saved the model to {modelPath} and its vocabulary to {TextGenerator.VocabularyPath(modelPath)}.");

        using var generator = new TextGenerator(modelPath);
        string text = generator.Generate(options.Prompt, options.Characters, options.Temperature, new Random(options.Seed));
        output.WriteLine($"Text from the reloaded model (temperature {options.Temperature}), after the prompt \"{options.Prompt}\":");
        output.WriteLine("----");
        output.WriteLine(options.Prompt + text);
        output.WriteLine("----");
        return new TextGenerationResult(training.Epochs, epochs, stopped, clock.Elapsed, metrics.LogLoss, metrics.Perplexity, modelPath, text);
    }
}
