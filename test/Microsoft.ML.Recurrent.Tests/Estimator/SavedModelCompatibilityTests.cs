using System.Globalization;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>
/// A model saved by payload version 1 of this library (committed under Fixtures/) must keep loading and predicting
/// what it predicted when it was written: the same labels, scores within 1e-5 (the engine's arithmetic may improve
/// between versions — a faster exp, another summation order — but not the model's meaning). To write the fixture again (only when the format version changes, as a new
/// file): RECURRENT_WRITE_FIXTURES=1 dotnet test --filter SavedModelCompatibilityTests.
/// </summary>
[TestClass]
public sealed class SavedModelCompatibilityTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private static string Model => Path.Combine(Folder, "lstm-payload-v1.zip");
    private static string Expected => Path.Combine(Folder, "lstm-payload-v1.predictions.txt");

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    private static string[] Predict(MLContext ml, ITransformer model)
    {
        var engine = ml.Model.CreatePredictionEngine<SeqRow, Prediction>(model);
        return GeneratedData.Rows(10, seed: 77).Select(r =>
        {
            var p = engine.Predict(r);
            return p.PredictedLabel + " " + string.Join(" ", p.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
        }).ToArray();
    }

    [TestMethod]
    public void AVersion1ModelStillLoadsAndPredictsTheSame()
    {
        if (Environment.GetEnvironmentVariable("RECURRENT_WRITE_FIXTURES") == "1") Write();
        var ml = new MLContext();
        var loaded = ml.Model.Load(Model, out _);
        var expected = File.ReadAllLines(Expected);
        var actual = Predict(ml, loaded);
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            string[] e = expected[i].Split(' '), a = actual[i].Split(' ');
            Assert.AreEqual(e[0], a[0], $"row {i}: predicted label");
            Assert.HasCount(e.Length, a);
            for (int j = 1; j < e.Length; j++)
                Assert.AreEqual(float.Parse(e[j], CultureInfo.InvariantCulture), float.Parse(a[j], CultureInfo.InvariantCulture), 1e-5f, $"row {i}, score {j - 1}");
        }
        Assert.AreEqual(SequenceMode.ManyToOne, ml.Recurrent().GetModel(loaded).Mode);
    }

    private static void Write()
    {
        string source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures"));
        var ml = new MLContext(seed: 5);
        var train = ml.Data.LoadFromEnumerable(GeneratedData.Rows(60, seed: 76));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Sign")
            .Append(ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 4, Epochs = 2 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);
        ml.Recurrent().SaveModel(model, train.Schema, Path.Combine(source, Path.GetFileName(Model)));
        File.WriteAllLines(Path.Combine(source, Path.GetFileName(Expected)), Predict(ml, model));
        Directory.CreateDirectory(Folder);
        File.Copy(Path.Combine(source, Path.GetFileName(Model)), Model, overwrite: true);
        File.Copy(Path.Combine(source, Path.GetFileName(Expected)), Expected, overwrite: true);
    }
}
