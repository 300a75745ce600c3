using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;
using Recurrent.Native.Threading;
using Recurrent.Native.Training;

namespace Recurrent.Native.Tests.Training;

[TestClass]
public sealed class TrainerTests
{
    public TestContext TestContext { get; set; } = null!;

    private static SequenceBatch<float> OneBatch(SequenceDataset<float> data, int batchSize)
    {
        var batch = new SequenceBatch<float>(data.MaxLength, batchSize, data.FeatureSize, data.TargetSize, data.Classification);
        data.Fill(batch, Enumerable.Range(0, batchSize).ToArray());
        return batch;
    }

    private static NetworkSpec Lstm2(int input, int classes) =>
        new(input, [new LstmSpec(8), new LstmSpec(6), new OutputSpec(classes, LossKind.CrossEntropy)]);

    [TestMethod]
    public void TruncatedBpttWithWindowEqualToTheLengthEqualsFullBptt()
    {
        // DL4J testTruncatedBPTTVsBPTT: mb = 7, T = 12; one update each, plain SGD so the weights reflect the gradient.
        var data = Tasks.RandomClasses(7, 12, 12, features: 3, classes: 4, seed: 3);
        var batch = OneBatch(data, 7);
        float[] Train(int k1)
        {
            var net = new RecurrentNetwork<float>(Lstm2(3, 4), seed: 5);
            using var trainer = new Trainer<float>(net, new TrainerOptions
            {
                BatchSize = 7, Optimizer = new SgdSpec(Momentum: 0), LearningRate = 0.5, ClipNorm = 0,
                TruncatedBpttForward = k1, TruncatedBpttBackward = k1, Threads = 1,
            });
            trainer.TrainBatch(batch);
            Assert.AreEqual(1, trainer.Updates);
            return net.Parameters;
        }
        var full = Train(0);
        var truncated = Train(12);
        for (int i = 0; i < full.Length; i++) Assert.AreEqual(full[i], truncated[i], 1e-6f);
    }

    [TestMethod]
    public void StateCarriedAcrossWindowsReproducesOnePass()
    {
        var net = new RecurrentNetwork<float>(new NetworkSpec(3, [new LstmSpec(7) { Peepholes = true }, new SimpleRnnSpec(5), new DenseSpec(4),
            new OutputSpec(2, LossKind.MeanSquaredError)]), seed: 2);
        int steps = 30, batch = 3;
        var x = Data.Uniform<float>(new Rng(9), steps * batch * 3);
        var ws = net.CreateWorkspace(steps, batch);
        var whole = net.Forward(ws, x, steps, batch).ToArray();
        var state = net.CreateState(batch);
        foreach (var (s, e) in new[] { (0, 7), (7, 8), (8, 20), (20, 30) })
        {
            var part = net.Forward(ws, x.AsSpan(s * batch * 3, (e - s) * batch * 3), e - s, batch, default, state);
            CollectionAssert.AreEqual(whole[(s * batch * 2)..(e * batch * 2)], part.ToArray(), $"window [{s}, {e})");
        }
    }

    [TestMethod]
    public void LongSeriesTrainsInWindowsWithoutGrowingMemory()
    {
        var data = Tasks.RandomClasses(4, 2000, 2000, features: 2, classes: 3, seed: 1);
        var batch = OneBatch(data, 4);
        var net = new RecurrentNetwork<float>(new NetworkSpec(2, [new LstmSpec(8), new OutputSpec(3, LossKind.CrossEntropy)]));
        using var trainer = new Trainer<float>(net, new TrainerOptions { BatchSize = 4, TruncatedBpttForward = 50, Threads = 2 });
        trainer.TrainBatch(batch);                                      // warm-up: sizes the 50-step workspace
        Assert.AreEqual(40, trainer.Updates);                           // 2000 / 50 windows, one update each
        long before = trainer.AllocatedBytes();
        for (int i = 0; i < 3; i++) trainer.TrainBatch(batch);
        long allocated = trainer.AllocatedBytes() - before;
        TestContext.WriteLine($"allocated over 120 updates of T = 2000 in windows of 50: {allocated} bytes");
        Assert.AreEqual(0L, allocated);
        Assert.AreEqual(160, trainer.Updates);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TrainingStepAllocatesNothingAfterWarmUp(bool splitRows)
    {
        using var _ = new SplitEveryCall(splitRows ? TimeLoopSplit.Rows : TimeLoopSplit.Units);
        foreach (int threads in new[] { 1, 2 })
        {
            var data = Tasks.RandomClasses(16, 20, 20, features: 4, classes: 3, seed: 4);
            var batch = OneBatch(data, 16);
            var spec = new NetworkSpec(4, [new DenseSpec(8, Native.Kernels.Activation.Tanh) { Dropout = 0.2 }, new LstmSpec(16) { RecurrentDropout = 0.2 },
                new BidirectionalSpec(new SimpleRnnSpec(8)), new OutputSpec(3, LossKind.CrossEntropy)]);
            var net = new RecurrentNetwork<float>(spec);
            using var trainer = new Trainer<float>(net, new TrainerOptions { BatchSize = 16, Threads = threads, ClipValue = 1 });
            for (int i = 0; i < 5; i++) trainer.TrainBatch(batch);   // warm-up: buffers sized, code jitted
            long before = trainer.AllocatedBytes();
            for (int i = 0; i < 20; i++) trainer.TrainBatch(batch);
            long allocated = trainer.AllocatedBytes() - before;
            TestContext.WriteLine($"threads {threads}: {allocated} bytes over 20 training steps");
            Assert.AreEqual(0L, allocated, $"threads = {threads}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SameSeedGivesBitIdenticalWeightsAndLossesWithOneAndTwoThreads(bool splitRows)
    {
        using var _ = new SplitEveryCall(splitRows ? TimeLoopSplit.Rows : TimeLoopSplit.Units);
        var train = Tasks.RandomClasses(40, 5, 25, features: 3, classes: 4, seed: 11);
        var spec = new NetworkSpec(3, [new DenseSpec(8, Native.Kernels.Activation.ReLU) { Dropout = 0.1 },
            new LstmSpec(40) { RecurrentDropout = 0.1 }, new LstmSpec(33) { Peepholes = true },
            new BidirectionalSpec(new LstmSpec(36) { RecurrentDropout = 0.1 }),
            new DenseSpec(5, Native.Kernels.Activation.Tanh), new OutputSpec(4, LossKind.CrossEntropy)]);
        (float[] Weights, double[] Losses) Run(int threads)
        {
            var net = new RecurrentNetwork<float>(spec, seed: 21);
            using var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 2, BatchSize = 8, Threads = threads, Seed = 3 });
            var result = trainer.Fit(train);
            return (net.Parameters, result.History.Select(h => h.TrainLoss).ToArray());
        }
        var one = Run(1);
        var two = Run(2);
        CollectionAssert.AreEqual(one.Losses, two.Losses);
        CollectionAssert.AreEqual(one.Weights, two.Weights);
    }

    [TestMethod]
    public void LstmLearnsToRecallASymbolAcross23Steps()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var train = Tasks.Recall(3000, steps: 24, symbols: 4, seed: 1);
        var test = Tasks.Recall(500, steps: 24, symbols: 4, seed: 2);
        var net = new RecurrentNetwork<float>(new NetworkSpec(6, [new LstmSpec(24), new OutputSpec(4, LossKind.CrossEntropy)]), seed: 1);
        using var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e-2, Threads = 2 });
        var result = trainer.Fit(train, test, p => TestContext.WriteLine(p.ToString()));
        var accuracy = trainer.Evaluate(test).Accuracy;
        TestContext.WriteLine($"accuracy {accuracy:F4} after {result.Epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.IsGreaterThanOrEqualTo(0.99, accuracy);
        Assert.IsLessThan(30.0, clock.Elapsed.TotalSeconds);
    }

    [TestMethod]
    public void EarlyStoppingEndsWithTheBestEpochsWeights()
    {
        var train = Tasks.RandomClasses(32, 5, 10, features: 3, classes: 3, seed: 2);
        var validation = Tasks.RandomClasses(16, 5, 10, features: 3, classes: 3, seed: 3);   // noise: validation loss soon rises
        var net = new RecurrentNetwork<float>(Lstm2(3, 3), seed: 4);
        var snapshots = new List<float[]>();
        using var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 40, BatchSize = 8, LearningRate = 0.05, Patience = 2, Threads = 1 });
        var result = trainer.Fit(train, validation, p => snapshots.Add((float[])net.Parameters.Clone()));
        Assert.IsTrue(result.StoppedEarly, "overfitting noise should stop the run early");
        Assert.AreEqual(result.BestEpoch + 2, result.Epochs, "stops after Patience epochs without improvement");
        Assert.AreEqual(result.History.Min(h => h.ValidationLoss!.Value), result.BestValidationLoss);
        CollectionAssert.AreEqual(snapshots[result.BestEpoch - 1], net.Parameters);
    }

    [TestMethod]
    public void TheResultSplitsWallTimeIntoComputingAndTheRest()
    {
        var train = Tasks.RandomClasses(32, 5, 10, features: 3, classes: 3, seed: 2);
        var net = new RecurrentNetwork<float>(Lstm2(3, 3));
        using var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 2, BatchSize = 8, Threads = 1 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = trainer.Fit(train, train, null);
        clock.Stop();
        Assert.IsGreaterThan(TimeSpan.Zero, result.ComputeTime);
        Assert.IsLessThanOrEqualTo(result.TotalTime, result.ComputeTime);
        Assert.IsLessThanOrEqualTo(clock.Elapsed, result.TotalTime);
        Assert.AreEqual(result.History[^1].Elapsed.TotalSeconds, result.TotalTime.TotalSeconds, 0.5);
    }

    [TestMethod]
    public void ATimeLimitEndsTheRunLikeEarlyStoppingWithTheBestWeights()
    {
        var train = Tasks.RandomClasses(64, 5, 10, features: 3, classes: 3, seed: 2);
        var validation = Tasks.RandomClasses(16, 5, 10, features: 3, classes: 3, seed: 3);
        var net = new RecurrentNetwork<float>(Lstm2(3, 3));
        var snapshots = new List<float[]>();
        using var trainer = new Trainer<float>(net, new TrainerOptions
        {
            Epochs = 1000, BatchSize = 4, Threads = 1, MaximumDuration = TimeSpan.FromMilliseconds(300),
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = trainer.Fit(train, validation, p => snapshots.Add((float[])net.Parameters.Clone()));
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds, "stops near the limit, not after 1000 epochs");
        Assert.IsTrue(result.StoppedEarly);
        Assert.IsLessThan(1000, result.Epochs);
        Assert.AreEqual(result.History.Min(h => h.ValidationLoss!.Value), result.BestValidationLoss, "the interrupted epoch is validated too");
        CollectionAssert.AreEqual(snapshots[result.BestEpoch - 1], net.Parameters);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Trainer<float>(net, new TrainerOptions { MaximumDuration = TimeSpan.Zero }));
    }

    [TestMethod]
    public void CancellationStopsBetweenUpdatesAndKeepsTheLastCompletedUpdate()
    {
        var train = Tasks.RandomClasses(64, 5, 10, features: 3, classes: 3, seed: 2);
        var net = new RecurrentNetwork<float>(Lstm2(3, 3));
        using var cts = new CancellationTokenSource();
        float[]? atCancel = null;
        using var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 5, BatchSize = 4, ReportEveryUpdates = 1, Threads = 2 });
        Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(train, null, p =>
        {
            if (p.Update == 5) { atCancel = (float[])net.Parameters.Clone(); cts.Cancel(); }
        }, cts.Token));
        Assert.AreEqual(5, trainer.Updates);
        CollectionAssert.AreEqual(atCancel, net.Parameters);
    }

    [TestMethod]
    public void ProgressReportsEveryEpochWithLossThroughputAndTime()
    {
        var train = Tasks.RandomClasses(20, 3, 8, features: 2, classes: 2, seed: 5);
        var net = new RecurrentNetwork<float>(new NetworkSpec(2, [new LstmSpec(4), new OutputSpec(2, LossKind.CrossEntropy)]));
        var reports = new List<TrainingProgress>();
        using var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 3, BatchSize = 5 });
        var result = trainer.Fit(train, train, reports.Add);
        Assert.HasCount(3, reports);
        Assert.AreEqual(12, result.Updates);
        for (int i = 0; i < 3; i++)
        {
            var r = reports[i];
            Assert.AreEqual(i + 1, r.Epoch);
            Assert.IsTrue(r.IsEpochEnd && double.IsFinite(r.TrainLoss) && r.ValidationLoss is > 0 && r.ValidationAccuracy is >= 0 and <= 1);
            Assert.IsGreaterThan(0.0, r.SequencesPerSecond);
            if (i > 0) Assert.IsGreaterThan(reports[i - 1].Elapsed, r.Elapsed);
        }
    }

    [TestMethod]
    public void InvalidTruncatedBpttSettingsThrowWithTheAllowedRange()
    {
        var net = new RecurrentNetwork<float>(Lstm2(3, 3));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new Trainer<float>(net, new TrainerOptions { TruncatedBpttForward = 10, TruncatedBpttBackward = 11 }));
        Assert.AreEqual(nameof(TrainerOptions.TruncatedBpttBackward), e.ParamName);
        StringAssert.Contains(e.Message, "[1, TruncatedBpttForward = 10]");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Trainer<float>(net, new TrainerOptions { TruncatedBpttForward = -1 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Trainer<float>(net, new TrainerOptions { TruncatedBpttBackward = 3 }));
        var bi = new RecurrentNetwork<float>(new NetworkSpec(3, [new BidirectionalSpec(new LstmSpec(4)), new OutputSpec(2, LossKind.CrossEntropy)]));
        var b = Assert.ThrowsExactly<ArgumentException>(() => new Trainer<float>(bi, new TrainerOptions { TruncatedBpttForward = 5 }));
        StringAssert.Contains(b.Message, "bidirectional");
    }
}
