using Recurrent.Native.Inference;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Tests.Inference;

/// <summary>Step-by-step outputs equal the full-sequence forward, whatever the chunking and however streams interleave.</summary>
[TestClass]
public sealed class StreamingEqualityTests
{
    /// <summary>DL4J #12: a whole series for 3 streams in one call equals the forward, and each layer's state is its last activation.</summary>
    [TestMethod]
    public void WholeSeriesInOneCallEqualsForwardAndStateIsTheLastActivation()
    {
        var net = new RecurrentNetwork<float>(new NetworkSpec(5, [new LstmSpec(6) { Peepholes = true }, new LstmSpec(4) { Peepholes = true },
            new OutputSpec(4, LossKind.CrossEntropy)]), seed: 3);
        int steps = 6, batch = 3;
        var x = Streams.Series<float>(steps * batch, 5, seed: 1);     // [T, B, I]
        var ws = net.CreateWorkspace(steps, batch);
        var expected = net.Forward(ws, x, steps, batch).ToArray();
        var engine = new StreamingPredictor<string, float>(net);
        string[] keys = ["a", "b", "c"];
        foreach (var k in keys) engine.Add(k);
        var output = new float[steps * batch * 4];
        engine.PredictMany(keys, steps, x, output);
        Streams.AreClose<float>(expected, output, "outputs");
        for (int b = 0; b < batch; b++)
        {
            var state = engine.GetState(keys[b]);
            Assert.HasCount(2, state);
            for (int i = 0; i < 2; i++)
            {
                Assert.AreEqual(i, state[i].Layer);
                int h = state[i].Hidden.Length;
                Streams.AreClose(ws.LayerOutput(i).Slice(((steps - 1) * batch + b) * h, h), state[i].Hidden, $"h of layer {i}, stream {b}");
                Assert.IsNotNull(state[i].Cell);
            }
        }
    }

    /// <summary>DL4J #13: every chunk size 1..T gives each step's output, and the state at each chunk end, of the full run.</summary>
    [TestMethod]
    [DataRow("lstm")]
    [DataRow("graves")]
    [DataRow("rnn")]
    [DataRow("mixed")]
    public void EveryChunkSizeGivesTheFullSequenceOutput(string kind)
    {
        const int steps = 12;
        var net = new RecurrentNetwork<float>(Streams.Stack(kind), seed: 5);
        int inSize = net.InputSize, outSize = net.OutputSize;
        var series = Streams.Series<float>(steps, inSize, seed: 2);
        var full = Streams.Full(net, series);
        var engine = new StreamingPredictor<int, float>(net);
        for (int chunk = 1; chunk <= steps; chunk++)
        {
            engine.Add(chunk);
            for (int t = 0; t < steps; t += chunk)
            {
                int end = Math.Min(steps, t + chunk);
                var output = engine.Predict(chunk, Streams.Rows(series, inSize, t, end));
                Streams.AreClose<float>(Streams.Rows(full, outSize, t, end), output, $"{kind}, chunk {chunk}, steps [{t}, {end})");
                var expected = Streams.FinalState(net, Streams.Rows(series, inSize, 0, end));
                var actual = engine.GetState(chunk);
                foreach (var layer in actual)
                {
                    Streams.AreClose<float>(expected.Hidden(layer.Layer), layer.Hidden, $"{kind}, chunk {chunk}, h of layer {layer.Layer} at {end}");
                    if (layer.Cell is { } c) Streams.AreClose<float>(expected.Cell(layer.Layer), c, $"{kind}, chunk {chunk}, c of layer {layer.Layer}");
                }
            }
        }
    }

    /// <summary>Chunks of uneven lengths, several streams per call, time-major, in double.</summary>
    [TestMethod]
    public void UnevenChunksForSeveralStreamsInDouble()
    {
        const int steps = 11, streams = 3;
        var net = new RecurrentNetwork<double>(Streams.Stack("mixed"), seed: 8);
        int inSize = net.InputSize, outSize = net.OutputSize;
        var x = Streams.Series<double>(steps * streams, inSize, seed: 4);   // [T, B, I]
        var expected = net.Forward(net.CreateWorkspace(steps, streams), x, steps, streams).ToArray();
        var engine = new StreamingPredictor<int, double>(net);
        int[] keys = [0, 1, 2];
        foreach (int k in keys) engine.Add(k);
        int t = 0;
        foreach (int chunk in new[] { 4, 1, 3, 1, 2 })
        {
            var output = new double[chunk * streams * outSize];
            engine.PredictMany(keys, chunk, Streams.Rows(x, streams * inSize, t, t + chunk), output);
            Streams.AreClose<double>(Streams.Rows(expected, streams * outSize, t, t + chunk), output, $"steps [{t}, {t + chunk})");
            t += chunk;
        }
    }

    /// <summary>Calls longer than the engine runs at once (256 rows) are run in pieces, with the same outputs.</summary>
    [TestMethod]
    [DataRow(1, 600)]
    [DataRow(40, 15)]
    public void LongCallsEqualTheFullSequence(int streams, int steps)
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 4);
        var x = Streams.Series<float>(steps * streams, net.InputSize, seed: 9);
        var expected = net.Forward(net.CreateWorkspace(steps, streams), x, steps, streams).ToArray();
        var engine = new StreamingPredictor<int, float>(net);
        var keys = Enumerable.Range(0, streams).ToArray();
        foreach (int k in keys) engine.Add(k);
        var output = new float[expected.Length];
        engine.PredictMany(keys, steps, x, output);
        Streams.AreClose<float>(expected, output, $"{streams} stream(s) × {steps} steps");
    }

    /// <summary>
    /// One step at a time for five streams on two workers gives the bits of one worker, outputs and states, whether the
    /// step is split by rows (each worker loads and stores its own streams' states) or by units (the caller does).
    /// </summary>
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TwoWorkersGiveTheBitsOfOneStepByStep(bool splitRows)
    {
        const int steps = 4, streams = 5;
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 12);
        int row = streams * net.InputSize, outRow = streams * net.OutputSize;
        var x = Streams.Series<float>(steps * streams, net.InputSize, seed: 13);
        var keys = Enumerable.Range(0, streams).ToArray();
        (float[] Output, LayerState<float>[][] States) Run(WorkerPool? pool)
        {
            var engine = new StreamingPredictor<int, float>(net, pool);
            foreach (int k in keys) engine.Add(k);
            var output = new float[steps * outRow];
            for (int t = 0; t < steps; t++) engine.PredictMany(keys, x.AsSpan(t * row, row), output.AsSpan(t * outRow, outRow));
            return (output, keys.Select(engine.GetState).ToArray());
        }
        var one = Run(null);
        using var forced = new SplitEveryCall(splitRows ? TimeLoopSplit.Rows : TimeLoopSplit.Units);
        using var pool = new WorkerPool(2);
        var two = Run(pool);
        Expect.Same<float>(one.Output, two.Output, "outputs");
        for (int b = 0; b < streams; b++)
            for (int l = 0; l < one.States[b].Length; l++)
            {
                Expect.Same<float>(one.States[b][l].Hidden, two.States[b][l].Hidden, $"h of layer {l}, stream {b}");
                if (one.States[b][l].Cell is { } c) Expect.Same<float>(c, two.States[b][l].Cell, $"c of layer {l}, stream {b}");
            }
    }

    /// <summary>DL4J #14: one step for many streams, [B, I] → [B, O], equals the step's slice of the full run.</summary>
    [TestMethod]
    public void OneStepPerStreamEqualsTheStepSlice()
    {
        const int steps = 5, streams = 3;
        var net = new RecurrentNetwork<float>(Streams.Stack("lstm"), seed: 1);
        var x = Streams.Series<float>(steps * streams, net.InputSize, seed: 6);
        var expected = net.Forward(net.CreateWorkspace(steps, streams), x, steps, streams).ToArray();
        var engine = new StreamingPredictor<string, float>(net);
        string[] keys = ["x", "y", "z"];
        foreach (var k in keys) engine.Add(k);
        for (int t = 0; t < steps; t++)
        {
            var output = new float[streams * net.OutputSize];
            engine.PredictMany(keys, Streams.Rows(x, streams * net.InputSize, t, t + 1), output);
            Streams.AreClose<float>(Streams.Rows(expected, streams * net.OutputSize, t, t + 1), output, $"step {t}");
        }
    }

    /// <summary>
    /// DL4J #15 turned around: DL4J throws when the minibatch size changes without a clear; here the number of streams per
    /// call changes freely (3, then 2, then 1, then 3 in another order) and every stream still equals its own full run.
    /// </summary>
    [TestMethod]
    public void NumberOfStreamsChangesBetweenCallsWithoutAClear()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("graves"), seed: 7);
        int inSize = net.InputSize, outSize = net.OutputSize;
        string[] keys = ["a", "b", "c"];
        var series = keys.Select((_, i) => Streams.Series<float>(3, inSize, seed: 20 + i)).ToArray();
        var engine = new StreamingPredictor<string, float>(net);
        foreach (var k in keys) engine.Add(k);
        var outputs = keys.Select(_ => new float[3 * outSize]).ToArray();
        var fed = new int[3];
        foreach (int[] call in new[] { new[] { 0, 1, 2 }, [0, 1], [2], [2, 1, 0] })
        {
            var input = call.SelectMany(i => Streams.Rows(series[i], inSize, fed[i], fed[i] + 1)).ToArray();
            var output = new float[call.Length * outSize];
            engine.PredictMany(call.Select(i => keys[i]).ToArray(), input, output);
            for (int j = 0; j < call.Length; j++) Array.Copy(output, j * outSize, outputs[call[j]], fed[call[j]]++ * outSize, outSize);
        }
        for (int i = 0; i < 3; i++) Streams.AreClose<float>(Streams.Full(net, series[i]), outputs[i], $"stream {keys[i]}");
    }

    /// <summary>
    /// Streams of different lengths, added and removed mid-way (a removed key comes back as a new stream), fed by calls that
    /// carry random subsets in random orders and 1 to 3 steps: each stream's outputs equal its own full run.
    /// </summary>
    [TestMethod]
    public void InterleavedStreamsEqualSeparateRuns()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 2);
        int inSize = net.InputSize, outSize = net.OutputSize;
        var rng = new Rng(17);
        // Stream i: its key (the last two reuse the keys of the first two once those are removed), its series, and the
        // call from which it may be added.
        var plan = new List<(string Key, float[] Series, int Start)>();
        for (int i = 0; i < 9; i++) plan.Add(($"s{i % 7}", Streams.Series<float>(5 + rng.NextInt(20), inSize, seed: 100 + i), Start: 2 * i));
        var engine = new StreamingPredictor<string, float>(net);
        var fed = new int[plan.Count];
        var added = new bool[plan.Count];
        var outputs = plan.Select(p => new float[p.Series.Length / inSize * outSize]).ToArray();
        var active = new List<int>();
        int finished = 0, multiStep = 0;
        for (int call = 0; finished < plan.Count; call++)
        {
            Assert.IsLessThan(1000, call, "the schedule never finishes");
            for (int i = 0; i < plan.Count; i++)
                if (!added[i] && plan[i].Start <= call && !engine.Contains(plan[i].Key)) { engine.Add(plan[i].Key); added[i] = true; active.Add(i); }
            if (active.Count == 0) continue;
            int steps = 1 + rng.NextInt(3);
            var chosen = active.Where(i => plan[i].Series.Length / inSize - fed[i] >= steps && rng.NextDouble() < 0.7)
                .OrderBy(_ => rng.NextDouble()).ToArray();
            if (chosen.Length == 0) (steps, chosen) = (1, [active[rng.NextInt(active.Count)]]);
            var input = new float[steps * chosen.Length * inSize];
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < chosen.Length; j++)
                    Array.Copy(plan[chosen[j]].Series, (fed[chosen[j]] + t) * inSize, input, (t * chosen.Length + j) * inSize, inSize);
            var output = new float[steps * chosen.Length * outSize];
            engine.PredictMany(chosen.Select(i => plan[i].Key).ToArray(), steps, input, output);
            if (chosen.Length > 1 && steps > 1) multiStep++;
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < chosen.Length; j++)
                    Array.Copy(output, (t * chosen.Length + j) * outSize, outputs[chosen[j]], (fed[chosen[j]] + t) * outSize, outSize);
            foreach (int i in chosen)
            {
                fed[i] += steps;
                if (fed[i] * inSize < plan[i].Series.Length) continue;
                Assert.IsTrue(engine.Remove(plan[i].Key));
                active.Remove(i);
                finished++;
            }
        }
        for (int i = 0; i < plan.Count; i++)
            Streams.AreClose<float>(Streams.Full(net, plan[i].Series), outputs[i], $"stream {i} ({plan[i].Key})");
        Assert.AreEqual(0, engine.Count);
        Assert.IsGreaterThanOrEqualTo(10, multiStep, "calls with several streams and several steps");
    }
}
