using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Evaluation;

namespace Microsoft.ML.Recurrent.Tests.Evaluation;

[TestClass]
public sealed class EvaluationTests
{
    public sealed class StepRow
    {
        [KeyType(3), VectorType] public uint[] Label { get; set; } = [];
        [VectorType] public float[] Score { get; set; } = [];
    }

    public sealed class ValueRow
    {
        [VectorType] public float[] Label { get; set; } = [];
        [VectorType] public float[] Score { get; set; } = [];
    }

    [TestMethod]
    public void ClassificationMetricsCountOnlyLabelledStepsAndMatchHandComputation()
    {
        var ml = new MLContext();
        // 3 classes; key 0 marks a step without a label (padding or no target).
        var rows = new[]
        {
            new StepRow { Label = [1, 2, 0], Score = [0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 1f, 0f, 0f] },     // right, right, (none)
            new StepRow { Label = [3, 3], Score = [0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f] },                   // right, wrong (said 1)
            new StepRow { Label = [0, 0], Score = [1f, 0f, 0f, 1f, 0f, 0f] },                               // nothing labelled
        };
        var m = ml.Recurrent().EvaluateClassification(ml.Data.LoadFromEnumerable(rows));
        Assert.AreEqual(4L, m.StepCount);
        Assert.AreEqual(2L, m.SequenceCount);
        Assert.AreEqual(0.75, m.StepAccuracy, 1e-12);
        Assert.AreEqual(0.5, m.SequenceAccuracy, 1e-12);
        Assert.AreEqual((1 + 1 + 0.5) / 3, m.MacroAccuracy, 1e-12);
        double logLoss = -(Math.Log(0.7) + Math.Log(0.8) + Math.Log(0.5) + Math.Log(0.1)) / 4;
        Assert.AreEqual(logLoss, m.LogLoss, 1e-6);
        Assert.AreEqual(Math.Exp(logLoss), m.Perplexity, 1e-6);
        Assert.AreEqual(1L, m.ConfusionMatrix[2, 0]);
        Assert.AreEqual(1L, m.ConfusionMatrix[2, 2]);
        Assert.AreEqual(4L, m.ConfusionMatrix.Cast<long>().Sum());
    }

    [TestMethod]
    public void PaddedStepsChangeNothing()
    {
        // DL4J testEvalMasking (#38): the same labels and predictions padded at the first and last steps.
        var ml = new MLContext();
        var plain = new[] { new StepRow { Label = [1, 3], Score = [0.6f, 0.3f, 0.1f, 0.3f, 0.3f, 0.4f] } };
        var padded = new[] { new StepRow { Label = [0, 1, 3, 0], Score = [0, 1, 0, 0.6f, 0.3f, 0.1f, 0.3f, 0.3f, 0.4f, 1, 0, 0] } };
        var a = ml.Recurrent().EvaluateClassification(ml.Data.LoadFromEnumerable(plain));
        var b = ml.Recurrent().EvaluateClassification(ml.Data.LoadFromEnumerable(padded));
        Assert.AreEqual(a.StepAccuracy, b.StepAccuracy);
        Assert.AreEqual(a.LogLoss, b.LogLoss);
        Assert.AreEqual(a.MacroAccuracy, b.MacroAccuracy);
        CollectionAssert.AreEqual(a.ConfusionMatrix, b.ConfusionMatrix);
    }

    [TestMethod]
    public void RegressionMetricsSkipNaNLabels()
    {
        var ml = new MLContext();
        var rows = new[]
        {
            new ValueRow { Label = [1, 2, float.NaN], Score = [1.5f, 2, 100] },
            new ValueRow { Label = [4], Score = [2] },
        };
        var m = (SequenceRegressionMetrics)ml.Recurrent().Evaluate(ml.Data.LoadFromEnumerable(rows));
        Assert.AreEqual(3L, m.StepCount);
        Assert.AreEqual((0.5 + 0 + 2) / 3, m.MeanAbsoluteError, 1e-12);
        Assert.AreEqual(Math.Sqrt((0.25 + 0 + 4) / 3), m.RootMeanSquaredError, 1e-12);
        double mean = 7.0 / 3, total = Math.Pow(1 - mean, 2) + Math.Pow(2 - mean, 2) + Math.Pow(4 - mean, 2);
        Assert.AreEqual(1 - 4.25 / total, m.RSquared, 1e-12);
    }

    [TestMethod]
    public void EvaluatingAFittedModelGivesItsAccuracy()
    {
        var ml = new MLContext(seed: 1);
        var rows = Estimator.GeneratedData.Rows(200, seed: 9);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Trend")
            .Append(ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 16, Epochs = 8, LearningRate = 0.01 }));
        var scored = pipeline.Fit(data).Transform(data);
        var m = (SequenceClassificationMetrics)ml.Recurrent().Evaluate(scored);
        Assert.AreEqual(rows.Sum(r => (long)r.Trend.Length), m.StepCount);
        Assert.AreEqual(200L, m.SequenceCount);
        Assert.IsGreaterThan(0.8, m.StepAccuracy);
        Assert.IsLessThanOrEqualTo(m.StepAccuracy, m.SequenceAccuracy);
        CollectionAssert.AreEquivalent(new[] { "up", "down" }, m.ClassNames.ToArray());
    }
}
