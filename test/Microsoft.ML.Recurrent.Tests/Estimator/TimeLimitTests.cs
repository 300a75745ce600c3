using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary><see cref="LstmOptions.MaximumTrainingTime"/>: training ends at the limit with a usable model.</summary>
[TestClass]
public sealed class TimeLimitTests
{
    private const int ManyEpochs = 100_000;

    private static (MLContext Ml, IDataView Train, IDataView Validation) Data()
    {
        var ml = new MLContext(seed: 5);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", "Sign");
        var raw = ml.Data.LoadFromEnumerable(GeneratedData.Rows(80, seed: 21));
        var map = toKey.Fit(raw);
        return (ml, map.Transform(raw), map.Transform(ml.Data.LoadFromEnumerable(GeneratedData.Rows(40, seed: 22))));
    }

    /// <summary>Slows every epoch down, so that the limit falls after a few epochs whatever the machine.</summary>
    private sealed class SlowEpochs : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { if (value.IsEpochEnd) Thread.Sleep(100); }
    }

    [TestMethod]
    public void TheLimitEndsTrainingWithTheWeightsOfTheBestValidationLoss()
    {
        var (ml, train, validation) = Data();
        var model = ml.Recurrent().Lstm(new LstmOptions
        {
            HiddenSize = 8, Epochs = ManyEpochs, LearningRate = 0.05, ValidationSet = validation,
            MaximumTrainingTime = TimeSpan.FromSeconds(1), Progress = new SlowEpochs(),
        }).Fit(train);

        var result = model.Model.Training!;
        Assert.IsTrue(result.StoppedEarly);
        Assert.IsTrue(result.Epochs is > 0 and < ManyEpochs, $"{result.Epochs} epochs");
        Assert.IsTrue(result.History.All(p => p.ValidationLoss >= result.BestValidationLoss));
        double kept = ml.Recurrent().EvaluateClassification(model.Transform(validation)).LogLoss;
        Assert.AreEqual(result.BestValidationLoss, kept, 1e-5, $"best epoch {result.BestEpoch} of {result.Epochs} (+1 = the interrupted one)");
    }

    [TestMethod]
    public void WithoutValidationDataTheLimitKeepsTheLastUpdate()
    {
        var (ml, train, _) = Data();
        var model = ml.Recurrent().Lstm(new LstmOptions
        {
            HiddenSize = 8, Epochs = ManyEpochs, MaximumTrainingTime = TimeSpan.FromSeconds(0.5), Progress = new SlowEpochs(),
        }).Fit(train);

        var result = model.Model.Training!;
        Assert.IsTrue(result.StoppedEarly);
        Assert.IsGreaterThan(0, result.Updates);
        Assert.AreEqual(0, result.BestEpoch);
        Assert.IsTrue(double.IsNaN(result.BestValidationLoss));
        Assert.AreEqual(80L, ml.Recurrent().EvaluateClassification(model.Transform(train)).SequenceCount, "the model scores every row");
    }

    [TestMethod]
    public void CancellingStillThrowsUnderALimit()
    {
        var (ml, train, _) = Data();
        using var cts = new CancellationTokenSource();
        var options = new LstmOptions
        {
            HiddenSize = 4, Epochs = 50, MaximumTrainingTime = TimeSpan.FromHours(1), CancellationToken = cts.Token,
            Progress = new CancelAtFirstEpoch(cts),
        };
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.Recurrent().Lstm(options).Fit(train));
    }

    private sealed class CancelAtFirstEpoch(CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => cts.Cancel();
    }
}
