using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>The workout for each task besides many-to-one classification (in <see cref="WorkoutTests"/>).</summary>
[TestClass]
public sealed class TaskWorkoutTests
{
    public TestContext TestContext { get; set; } = null!;

    public sealed class ValuePrediction { public float Score { get; set; } }
    public sealed class StepsPrediction { public float[] Score { get; set; } = []; public string[] PredictedLabel { get; set; } = []; }
    public sealed class ValuesPrediction { public float[] Score { get; set; } = []; }

    /// <summary>Saves, loads in a new context and checks that every row predicts the same as before.</summary>
    private void AssertRoundTrip<TOut>(MLContext ml, ITransformer model, IDataView train, IEnumerable<SeqRow> rows, Func<TOut, string> key)
        where TOut : class, new()
    {
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var ml2 = new MLContext();
            var loaded = ml2.Model.Load(path, out _);
            var a = ml.Model.CreatePredictionEngine<SeqRow, TOut>(model);
            var b = ml2.Model.CreatePredictionEngine<SeqRow, TOut>(loaded);
            foreach (var row in rows) Assert.AreEqual(key(a.Predict(row)), key(b.Predict(row)));
            Assert.AreEqual(ml.Recurrent().GetModel(model).Spec, ml2.Recurrent().GetModel(loaded).Spec);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void ManyToOneRegression()
    {
        var ml = new MLContext(seed: 1);
        var rows = GeneratedData.Rows(300, seed: 3);
        var train = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Recurrent().Lstm(new LstmOptions { LabelColumnName = "Mean", HiddenSize = 16, Epochs = 10, LearningRate = 0.01 }).Fit(train);
        Assert.AreEqual(NumberDataViewType.Single, model.GetOutputSchema(train.Schema)["Score"].Type);
        Assert.AreEqual(SequenceMode.ManyToOne, model.Model.Mode);
        Assert.AreEqual(RecurrentTask.Regression, model.Model.Task);
        var engine = ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model);
        var test = GeneratedData.Rows(50, seed: 4);
        double mae = test.Average(r => Math.Abs(engine.Predict(r).Score - r.Mean));
        TestContext.WriteLine($"MAE {mae:F4} (labels spread {test.Average(r => Math.Abs(r.Mean)):F4})");
        Assert.IsLessThan(0.5 * test.Average(r => Math.Abs(r.Mean)), mae);
        AssertRoundTrip<ValuePrediction>(ml, model, train, test, p => p.Score.ToString("R"));
    }

    [TestMethod]
    public void ManyToManyClassificationPredictsAClassPerStep()
    {
        var ml = new MLContext(seed: 1);
        var rows = GeneratedData.Rows(300, seed: 5);
        var train = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Trend")
            .Append(ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 16, Epochs = 10, LearningRate = 0.01 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var schema = model.GetOutputSchema(train.Schema);
        Assert.AreEqual(new VectorDataViewType(TextDataViewType.Instance), schema["PredictedLabel"].Type);
        var engine = ml.Model.CreatePredictionEngine<SeqRow, StepsPrediction>(model);
        var test = GeneratedData.Rows(50, seed: 6);
        int correct = 0, total = 0;
        foreach (var r in test)
        {
            var p = engine.Predict(r);
            Assert.HasCount(r.Trend.Length, p.PredictedLabel);
            Assert.HasCount(r.Trend.Length * 2, p.Score);
            correct += p.PredictedLabel.Zip(r.Trend).Count(x => x.First == x.Second);
            total += r.Trend.Length;
        }
        TestContext.WriteLine($"per-step accuracy {correct / (double)total:P1}");
        Assert.IsGreaterThan(0.85, correct / (double)total);
        AssertRoundTrip<StepsPrediction>(ml, model, train, test, p => string.Join(",", p.PredictedLabel) + string.Join(",", p.Score));
    }

    [TestMethod]
    public void ManyToManyRegressionPredictsAValuePerStep()
    {
        var ml = new MLContext(seed: 1);
        var rows = GeneratedData.Rows(300, seed: 7);
        var train = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Recurrent().Lstm(new LstmOptions { LabelColumnName = "Running", HiddenSize = 16, Epochs = 10, LearningRate = 0.01 }).Fit(train);
        Assert.AreEqual(SequenceMode.ManyToMany, model.Model.Mode);
        var engine = ml.Model.CreatePredictionEngine<SeqRow, ValuesPrediction>(model);
        var test = GeneratedData.Rows(50, seed: 8);
        double err = test.Average(r => engine.Predict(r).Score.Zip(r.Running).Average(x => Math.Abs(x.First - x.Second)));
        TestContext.WriteLine($"per-step MAE {err:F4}");
        Assert.IsLessThan(0.15, err);
        AssertRoundTrip<ValuesPrediction>(ml, model, train, test, p => string.Join(",", p.Score));
    }

    public sealed class SeedRow
    {
        [VectorType(2)] public float[] Start { get; set; } = [];
        [VectorType(0, 1)] public float[] Path { get; set; } = [];
    }

    [TestMethod]
    public void OneToManyGeneratesASequenceFromAFixedVector()
    {
        // y(k) = a + b·k for k = 0..5, from the input vector [a, b].
        var rng = new Random(3);
        SeedRow Make() { float a = (float)rng.NextDouble(), b = (float)(rng.NextDouble() * 0.2 - 0.1); return new SeedRow { Start = [a, b], Path = Enumerable.Range(0, 6).Select(k => a + b * k).ToArray() }; }
        var rows = Enumerable.Range(0, 400).Select(_ => Make()).ToArray();
        var ml = new MLContext(seed: 2);
        var train = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Recurrent().Lstm(new LstmOptions { FeatureColumnName = "Start", LabelColumnName = "Path", HiddenSize = 16, Epochs = 20, LearningRate = 0.01 }).Fit(train);
        Assert.AreEqual(SequenceMode.OneToMany, model.Model.Mode);
        Assert.AreEqual(6, model.Model.OutputSteps);
        var output = model.Transform(ml.Data.LoadFromEnumerable(rows.Take(50)));
        var scores = output.GetColumn<float[]>("Score").ToArray();
        double err = scores.Zip(rows).Average(x => x.First.Zip(x.Second.Path).Average(p => Math.Abs(p.First - p.Second)));
        TestContext.WriteLine($"per-step MAE {err:F4}");
        Assert.IsTrue(scores.All(s => s.Length == 6));
        Assert.IsLessThan(0.05, err);
    }
}
