using Microsoft.ML.Recurrent.Tests.Estimator;
using Microsoft.ML.Data;
using Recurrent.Native.Kernels;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Tests.Prediction;

[TestClass]
public sealed class TimeStepEngineTests
{
    public sealed class Step
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class StepOutput
    {
        public float[] Score { get; set; } = [];
        public string[] PredictedLabel { get; set; } = [];
    }

    private static (MLContext Ml, ITransformer Model, SeqRow[] Test) Trained(LstmOptions? options = null)
    {
        var ml = new MLContext(seed: 4);
        var train = ml.Data.LoadFromEnumerable(GeneratedData.Rows(150, seed: 41));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Trend")
            .Append(ml.Recurrent().Lstm(options ?? new LstmOptions
            {
                Layers = [new LstmSpec(12), new LstmSpec(8) { Peepholes = true }, new DenseSpec(6, Activation.Tanh)],
                Epochs = 4, LearningRate = 0.01,
            }))
            .Fit(train);
        return (ml, model, GeneratedData.Rows(8, seed: 42, minLength: 6, maxLength: 14));
    }

    private static float[] FullSequenceScores(MLContext ml, ITransformer model, SeqRow row) =>
        model.Transform(ml.Data.LoadFromEnumerable([row])).GetColumn<float[]>("Score").Single();

    [TestMethod]
    public void EveryChunkingGivesTheFullSequenceScores()
    {
        var (ml, model, test) = Trained();
        using var engine = ml.Recurrent().CreateTimeStepEngine<Step, StepOutput>(model);
        foreach (var row in test)
        {
            var expected = FullSequenceScores(ml, model, row);
            int steps = row.Features.Length / 2;
            for (int chunk = 1; chunk <= steps; chunk++)
            {
                engine.Add("s");
                var got = new List<float>();
                for (int t = 0; t < steps; t += chunk)
                {
                    int k = Math.Min(chunk, steps - t);
                    var output = engine.Predict("s", new Step { Features = row.Features[(2 * t)..(2 * (t + k))] });
                    Assert.HasCount(k, output.PredictedLabel);
                    got.AddRange(output.Score);
                }
                Assert.HasCount(expected.Length, got);
                for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], got[i], 1e-5f, $"chunk {chunk}, value {i}");
                engine.Remove("s");
            }
        }
    }

    [TestMethod]
    public void InterleavedStreamsEqualSeparateRunsAndSurviveSaveLoad()
    {
        var (ml, model, test) = Trained();
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, null, path);
            var loaded = new MLContext().Model.Load(path, out _);
            using var engine = new MLContext().Recurrent().CreateTimeStepEngine<int, Step, StepOutput>(loaded);
            for (int s = 0; s < test.Length; s++) engine.Add(s);
            var scores = test.Select(_ => new List<float>()).ToArray();
            var rng = new Random(7);
            int[] position = new int[test.Length];
            while (position.Zip(test).Any(p => p.First < p.Second.Features.Length / 2))
            {
                // One step for a random subset of the unfinished streams, in a random order, batched.
                var active = Enumerable.Range(0, test.Length).Where(s => position[s] < test[s].Features.Length / 2 && rng.Next(2) == 0)
                    .OrderBy(_ => rng.Next()).ToArray();
                if (active.Length == 0) continue;
                var outputs = engine.PredictMany(active, active.Select(s => new Step { Features = test[s].Features[(2 * position[s])..(2 * position[s] + 2)] }).ToArray());
                for (int j = 0; j < active.Length; j++) { scores[active[j]].AddRange(outputs[j].Score); position[active[j]]++; }
            }
            for (int s = 0; s < test.Length; s++)
            {
                var expected = FullSequenceScores(ml, model, test[s]);
                for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], scores[s][i], 1e-5f);
            }
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void AnExportedStateContinuesInAnotherEngine()
    {
        var (ml, model, test) = Trained();
        var row = test[0];
        int steps = row.Features.Length / 2, half = steps / 2;
        var expected = FullSequenceScores(ml, model, row);
        using var first = ml.Recurrent().CreateTimeStepEngine<Step, StepOutput>(model);
        first.Add("a");
        first.Predict("a", new Step { Features = row.Features[..(2 * half)] });
        byte[] bytes = first.ExportState("a");
        var arrays = first.GetState("a");

        using var second = ml.Recurrent().CreateTimeStepEngine<Step, StepOutput>(model);
        second.Add("b");
        second.ImportState("b", bytes);
        second.Add("c");
        second.SetState("c", arrays);
        foreach (var key in new[] { "b", "c" })
        {
            var rest = second.Predict(key, new Step { Features = row.Features[(2 * half)..] }).Score;
            for (int i = 0; i < rest.Length; i++) Assert.AreEqual(expected[half * 2 + i], rest[i], 1e-5f);
        }
    }

    [TestMethod]
    public void MistakesGetClearExceptions()
    {
        var (ml, model, test) = Trained();
        using var engine = ml.Recurrent().CreateTimeStepEngine<Step, StepOutput>(model);
        engine.Add("a");
        var e = Assert.ThrowsExactly<ArgumentException>(() => engine.Predict("a", new Step { Features = [1, 2, 3] }));
        StringAssert.Contains(e.Message, "Feature count mismatch");
        Assert.ThrowsExactly<KeyNotFoundException>(() => engine.Predict("nobody", new Step { Features = [1, 2] }));

        var (ml2, other, _) = Trained(new LstmOptions { HiddenSize = 5, Epochs = 1 });
        using var foreign = ml2.Recurrent().CreateTimeStepEngine<Step, StepOutput>(other);
        foreign.Add("x");
        Assert.ThrowsExactly<InvalidDataException>(() => engine.ImportState("a", foreign.ExportState("x")));

        var bidirectional = ml.Transforms.Conversion.MapValueToKey("Label", "Trend")
            .Append(ml.Recurrent().Lstm(new LstmOptions { Layers = [new BidirectionalSpec(new LstmSpec(4))], Epochs = 1 }))
            .Fit(ml.Data.LoadFromEnumerable(test));
        var b = Assert.ThrowsExactly<ArgumentException>(() => ml.Recurrent().CreateTimeStepEngine<Step, StepOutput>(bidirectional));
        StringAssert.Contains(b.Message, "bidirectional");
    }

    [TestMethod]
    public void AStepAllocatesNothingAfterWarmUp()
    {
        var (ml, model, test) = Trained();
        using var engine = ml.Recurrent().CreateTimeStepEngine<Step, StepOutput>(model);
        engine.Add("a");
        var input = new Step { Features = test[0].Features[..2] };
        var output = new StepOutput();
        for (int i = 0; i < 5; i++) engine.Predict("a", input, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) engine.Predict("a", input, output);
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
