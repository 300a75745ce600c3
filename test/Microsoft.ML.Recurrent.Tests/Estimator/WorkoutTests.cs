using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>Fit on generated data, check the output schema, predict, save, load in a new context, predict again: identical.</summary>
[TestClass]
public sealed class WorkoutTests
{
    public TestContext TestContext { get; set; } = null!;

    private string TempPath(string name) => Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");

    public sealed class SignPrediction
    {
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    [TestMethod]
    public void ManyToOneClassificationWithStringLabelsRoundTripsThroughAZip()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(GeneratedData.Rows(400, seed: 1));
        var test = GeneratedData.Rows(100, seed: 2);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Sign")
            .Append(ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 16, Epochs = 15, LearningRate = 0.01 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);

        var schema = model.GetOutputSchema(train.Schema);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single), schema["Score"].Type);
        Assert.AreEqual(TextDataViewType.Instance, schema["PredictedLabel"].Type);
        Assert.IsNull(schema.GetColumnOrNull("__rnn_model"), "helper columns are dropped");

        var engine = ml.Model.CreatePredictionEngine<SeqRow, SignPrediction>(model);
        var before = test.Select(r => { var p = engine.Predict(r); return (p.PredictedLabel, p.Score.ToArray()); }).ToArray();
        double accuracy = before.Zip(test).Count(x => x.First.PredictedLabel == x.Second.Sign) / (double)test.Length;
        TestContext.WriteLine($"accuracy {accuracy:P1}");
        Assert.IsGreaterThan(0.9, accuracy);
        Assert.IsTrue(before.All(b => b.Item2.Length == 2 && Math.Abs(b.Item2.Sum() - 1) < 1e-5));

        string path = TempPath("sign.zip");
        ml.Model.Save(model, train.Schema, path);
        var ml2 = new MLContext();
        var loaded = ml2.Model.Load(path, out var inputSchema);
        var engine2 = ml2.Model.CreatePredictionEngine<SeqRow, SignPrediction>(loaded);
        for (int i = 0; i < test.Length; i++)
        {
            var p = engine2.Predict(test[i]);
            Assert.AreEqual(before[i].PredictedLabel, p.PredictedLabel);
            CollectionAssert.AreEqual(before[i].Item2, p.Score);
        }
        var recovered = ml2.Recurrent().GetModel(loaded);
        Assert.AreEqual(RecurrentTask.Classification, recovered.Task);
        Assert.AreEqual(SequenceMode.ManyToOne, recovered.Mode);
        CollectionAssert.AreEqual(new[] { "negative", "positive" }.OrderBy(s => s).ToArray(), recovered.ClassNames!.OrderBy(s => s).ToArray());
    }
}
