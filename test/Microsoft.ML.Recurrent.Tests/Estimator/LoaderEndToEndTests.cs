using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>Files written to a temp folder → loader → Lstm → Fit → predictions.</summary>
[TestClass]
public sealed class LoaderEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void CsvSequenceFilesTrainAManyToManyClassifier()
    {
        string folder = Directory.CreateTempSubdirectory("recurrent-e2e").FullName;
        try
        {
            // One series per file: two features per line; the label file gives a class per line: 1 when the running
            // sum of the first feature is positive, else 0.
            var rng = new Random(5);
            for (int i = 0; i < 150; i++)
            {
                int len = rng.Next(4, 12);
                double sum = 0;
                var features = new List<string> { "a,b" };
                var labels = new List<string> { "label" };
                for (int t = 0; t < len; t++)
                {
                    double v = rng.NextDouble() * 2 - 1;
                    sum += v;
                    features.Add($"{v:R},{rng.NextDouble():R}");
                    labels.Add(sum > 0 ? "1" : "0");
                }
                File.WriteAllLines(Path.Combine(folder, $"features_{i}.csv"), features);
                File.WriteAllLines(Path.Combine(folder, $"labels_{i}.csv"), labels);
            }
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadSequencesFromTextFiles(
                SequenceFileSet.FromNumberedPattern(Path.Combine(folder, "features_%d.csv"), 0, 149),
                SequenceFileSet.FromNumberedPattern(Path.Combine(folder, "labels_%d.csv"), 0, 149),
                new SequenceTextFileOptions { HeaderLineCount = 1, ClassCount = 2 });
            var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
            var model = ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 16, Epochs = 10, LearningRate = 0.01 }).Fit(split.TrainSet);
            var metrics = ml.Recurrent().EvaluateClassification(model.Transform(split.TestSet));
            TestContext.WriteLine($"per-step accuracy {metrics.StepAccuracy:P1} on {metrics.StepCount} steps");
            Assert.IsGreaterThan(0.85, metrics.StepAccuracy);
            var predicted = model.Transform(split.TestSet).GetColumn<uint[]>("PredictedLabel").First();
            Assert.IsTrue(predicted.All(k => k is 1 or 2));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void DataLargerThanMemoryTrainFromTheFilesInOnePassPerEpoch()
    {
        string folder = Directory.CreateTempSubdirectory("recurrent-stream").FullName;
        try
        {
            var rng = new Random(9);
            for (int i = 0; i < 200; i++)
            {
                int len = rng.Next(4, 12);
                double sum = 0;
                var features = new List<string>();
                var labels = new List<string>();
                for (int t = 0; t < len; t++)
                {
                    double v = rng.NextDouble() * 2 - 1;
                    sum += v;
                    features.Add($"{v:R},{rng.NextDouble():R}");
                    labels.Add(sum > 0 ? "1" : "0");
                }
                File.WriteAllLines(Path.Combine(folder, $"f_{i}.csv"), features);
                File.WriteAllLines(Path.Combine(folder, $"l_{i}.csv"), labels);
            }
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(Path.Combine(folder, "f_%d.csv"), 0, 199),
                SequenceFileSet.FromNumberedPattern(Path.Combine(folder, "l_%d.csv"), 0, 199), new SequenceTextFileOptions { ClassCount = 2 });
            var source = (FileSequenceSource)((SequenceDataView)data).Source;
            int before = source.OpenCount;
            const int Epochs = 6;
            var model = ml.Recurrent().Lstm(new LstmOptions
            {
                HiddenSize = 16, Epochs = Epochs, LearningRate = 0.01, LoadDataIntoMemory = false, ShuffleWindow = 64,
            }).Fit(data);
            // One checking pass, then one pass per epoch: every file pair is opened once per pass, never held.
            Assert.AreEqual(before + 200 * 2 * (1 + Epochs), source.OpenCount);
            var metrics = ml.Recurrent().EvaluateClassification(model.Transform(data));
            TestContext.WriteLine($"per-step accuracy {metrics.StepAccuracy:P1} after {Epochs} streamed epochs");
            Assert.IsGreaterThan(0.8, metrics.StepAccuracy);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void CharacterSequencesTrainWithOneHotKeyFeatures()
    {
        var ml = new MLContext(seed: 1);
        string text = string.Concat(Enumerable.Repeat("abcabcabd ", 40));
        var data = ml.Data.LoadCharacterSequences(text, new CharacterSequenceOptions { SequenceLength = 20 });
        var model = ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 24, Epochs = 30, LearningRate = 0.02 }).Fit(data);
        Assert.AreEqual(5, model.Model.FeatureSize, "one-hot over the 5 distinct characters");
        var metrics = ml.Recurrent().EvaluateClassification(model.Transform(data));
        TestContext.WriteLine($"next-character accuracy {metrics.StepAccuracy:P1}, perplexity {metrics.Perplexity:F2}");
        Assert.IsGreaterThan(0.7, metrics.StepAccuracy);
        var chars = ml.Transforms.Conversion.MapKeyToValue("Next", "PredictedLabel").Fit(model.Transform(data)).Transform(model.Transform(data))
            .GetColumn<string[]>("Next").First();
        Assert.IsTrue(chars.All(c => c.Length == 1 && "abcd ".Contains(c)));
    }

    [TestMethod]
    public void GetOutputSchemaReportsTheOutputColumns()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(GeneratedData.Rows(5, seed: 1));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", "Trend").Fit(data).Transform(data);
        var shape = (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public,
            [typeof(DataViewSchema)])!.Invoke(null, [keyed.Schema])!;
        var output = ml.Recurrent().Lstm().GetOutputSchema(shape);
        var names = output.Select(c => c.Name).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "Features", "Label", "Score", "PredictedLabel" }, names);
        Assert.IsFalse(names.Any(n => n.StartsWith("__rnn")));
        var predicted = output.First(c => c.Name == "PredictedLabel");
        Assert.IsTrue(predicted.IsKey);
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, predicted.Kind);
    }
}
