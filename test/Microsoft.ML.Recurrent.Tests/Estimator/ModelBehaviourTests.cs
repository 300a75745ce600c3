using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Data;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

[TestClass]
public sealed class ModelBehaviourTests
{
    public TestContext TestContext { get; set; } = null!;

    public sealed class SignPrediction
    {
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    private static (MLContext Ml, IDataView Train, ITransformer Model) Fitted(LstmOptions? options = null)
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(GeneratedData.Rows(120, seed: 11));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Sign")
            .Append(ml.Recurrent().Lstm(options ?? new LstmOptions { HiddenSize = 8, Epochs = 3 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);
        return (ml, train, model);
    }

    [TestMethod]
    public void TrainingReportsToMLContextLogAnILoggerAndAnIProgress()
    {
        var logger = new ListLogger();
        var progress = new ListProgress();
        var ml = new MLContext(seed: 3);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Runtime.ChannelMessageKind.Info && e.Source.Contains("Recurrent.Lstm")) lock (messages) messages.Add(e.RawMessage); };
        var raw = ml.Data.LoadFromEnumerable(GeneratedData.Rows(60, seed: 1));
        var train = ml.Transforms.Conversion.MapValueToKey("Label", "Sign").Fit(raw).Transform(raw);   // validation data enter the trainer as the trainer sees its input
        ml.Recurrent().Lstm(new LstmOptions { HiddenSize = 4, Epochs = 2, Logger = logger, Progress = progress, ValidationSet = train }).Fit(train);
        foreach (var m in messages) TestContext.WriteLine(m);
        Assert.IsTrue(messages.Any(m => m.StartsWith("Training on 60 sequences")));
        Assert.IsTrue(messages.Any(m => m.StartsWith("Epoch 2/2: loss") && m.Contains("validation accuracy") && m.Contains("sequences/s")));
        CollectionAssert.AreEqual(messages, logger.Messages);
        Assert.HasCount(2, progress.Reports);
        Assert.AreEqual(2, progress.Reports[^1].Epoch);
    }

    [TestMethod]
    public void CancellingFitThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var progress = new ListProgress(_ => cts.Cancel());
        Assert.ThrowsExactly<OperationCanceledException>(() => Fitted(new LstmOptions { HiddenSize = 4, Epochs = 50, Progress = progress, CancellationToken = cts.Token }));
        Assert.HasCount(1, progress.Reports, "stops right after the first epoch");
    }

    [TestMethod]
    public void AFailedSaveLeavesTheExistingFileIntact()
    {
        var (ml, train, model) = Fitted();
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.zip");
        try
        {
            ml.Recurrent().SaveModel(model, train.Schema, path);
            byte[] good = File.ReadAllBytes(path);
            // A lambda without a contract name cannot be saved: ML.NET throws part-way through writing the zip.
            var unsavable = model.Append(ml.Transforms.CustomMapping<SignPrediction, SignPrediction>((i, o) => o.Score = i.Score, contractName: null).Fit(model.Transform(train)));
            Assert.ThrowsExactly<InvalidOperationException>(() => ml.Recurrent().SaveModel(unsavable, train.Schema, path));
            CollectionAssert.AreEqual(good, File.ReadAllBytes(path));
            Assert.IsEmpty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*"), "no temporary file is left behind");
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void ParallelCursorsGiveTheSameScoresAsOneCursor()
    {
        var (ml, train, model) = Fitted();
        var scored = model.Transform(ml.Data.LoadFromEnumerable(GeneratedData.Rows(300, seed: 12)));
        var expected = scored.GetColumn<float[]>("Score").ToArray();
        var score = scored.Schema["Score"];
        var cursors = scored.GetRowCursorSet([score], 4);
        var seen = new ConcurrentDictionary<long, float[]>();
        Parallel.ForEach(cursors, cursor =>
        {
            var getter = cursor.GetGetter<VBuffer<float>>(score);
            var id = cursor.GetIdGetter();
            VBuffer<float> v = default;
            DataViewRowId rowId = default;
            while (cursor.MoveNext()) { getter(ref v); id(ref rowId); seen[(long)rowId.Low] = v.DenseValues().ToArray(); }
            cursor.Dispose();
        });
        Assert.HasCount(expected.Length, seen);
        var all = seen.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray();
        CollectionAssert.AreEquivalent(expected.Select(e => string.Join(",", e)).ToArray(), all.Select(e => string.Join(",", e)).ToArray());
    }

    [TestMethod]
    public void PredictionsDoNotDependOnTheOtherSequencesOfABatch()
    {
        // The network of a fitted model scores sequences alone (as the transformer does, one row at a time) and in
        // batches of different companions with padding at the end or at the start: the same outputs within 1e-5.
        var (ml, _, model) = Fitted();
        var network = ml.Recurrent().GetModel(model).Network;
        var rows = GeneratedData.Rows(12, seed: 21, minLength: 2, maxLength: 15);
        float[] Alone(SeqRow r)
        {
            int t = r.Features.Length / 2;
            var ws = network.CreateWorkspace(t, 1);
            return network.Forward(ws, r.Features, t, 1).Slice((t - 1) * 2, 2).ToArray();
        }
        var expected = rows.Select(Alone).ToArray();
        foreach (bool padAtStart in new[] { false, true })
            for (int size = 2; size <= 6; size += 2)
                for (int first = 0; first + size <= rows.Length; first += size)
                {
                    var batch = rows.Skip(first).Take(size).ToArray();
                    int steps = batch.Max(r => r.Features.Length / 2), b = batch.Length;
                    var x = new float[steps * b * 2];
                    var mask = new float[steps * b];
                    for (int k = 0; k < b; k++)
                    {
                        int len = batch[k].Features.Length / 2, offset = padAtStart ? steps - len : 0;
                        for (int t = 0; t < len; t++)
                        {
                            mask[(offset + t) * b + k] = 1;
                            x[((offset + t) * b + k) * 2] = batch[k].Features[2 * t];
                            x[((offset + t) * b + k) * 2 + 1] = batch[k].Features[2 * t + 1];
                        }
                    }
                    var ws = network.CreateWorkspace(steps, b);
                    var y = network.Forward(ws, x, steps, b, mask).ToArray();
                    for (int k = 0; k < b; k++)
                    {
                        int len = batch[k].Features.Length / 2, last = (padAtStart ? steps - 1 : len - 1) * b + k;
                        for (int j = 0; j < 2; j++) Assert.AreEqual(expected[first + k][j], y[last * 2 + j], 1e-5f);
                    }
                }
    }

    [TestMethod]
    public void AFreshProcessLoadsTheZipAndPredictsTheSame()
    {
        var (ml, train, model) = Fitted();
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var engine = ml.Model.CreatePredictionEngine<SeqRow, SignPrediction>(model);
            var expected = GeneratedData.Rows(20, seed: 31)
                .Select(r => { var p = engine.Predict(r); return p.PredictedLabel + " " + string.Join(" ", p.Score.Select(s => s.ToString("R"))); })
                .ToArray();
            string checker = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Microsoft.ML.Recurrent.LoadCheck", "bin",
                new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Microsoft.ML.Recurrent.LoadCheck.dll"));
            Assert.IsTrue(File.Exists(checker), checker);
            var run = Process.Start(new ProcessStartInfo("dotnet", $"\"{checker}\" \"{path}\" 20 31") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string output = run.StandardOutput.ReadToEnd();
            string errors = run.StandardError.ReadToEnd();
            run.WaitForExit();
            Assert.AreEqual(0, run.ExitCode, errors);
            CollectionAssert.AreEqual(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally { File.Delete(path); }
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> formatter)
        {
            lock (Messages) Messages.Add(formatter(state, e));
        }
    }

    private sealed class ListProgress(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) { Reports.Add(value); onReport?.Invoke(value); }
    }
}
