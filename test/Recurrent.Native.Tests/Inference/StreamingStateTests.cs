using Recurrent.Native.Inference;
using Recurrent.Native.IO;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Inference;

/// <summary>Reset, get and set of a stream's state (DL4J #12), round trips as arrays and bytes, and the weight snapshot.</summary>
[TestClass]
public sealed class StreamingStateTests
{
    private const int Steps = 10, Split = 4;

    [TestMethod]
    public void NewStreamHasZeroStateOfEveryRecurrentLayer()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 1);   // LSTM 7, Graves 6, RNN 5, dense, output
        var engine = new StreamingPredictor<int, float>(net);
        engine.Add(1);
        Assert.AreEqual((5, 4, net.Spec), (engine.InputSize, engine.OutputSize, engine.Spec));
        var state = engine.GetState(1);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, state.Select(s => s.Layer).ToArray());
        CollectionAssert.AreEqual(new[] { 7, 6, 5 }, state.Select(s => s.Hidden.Length).ToArray());
        CollectionAssert.AreEqual(new[] { 7, 6, -1 }, state.Select(s => s.Cell?.Length ?? -1).ToArray(), "c for LSTMs only");
        Assert.IsTrue(state.All(s => s.Hidden.All(v => v == 0) && (s.Cell ?? []).All(v => v == 0)));
    }

    [TestMethod]
    public void ResetGivesZerosAndTheStreamStartsOver()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("graves"), seed: 2);
        var series = Streams.Series<float>(Steps, net.InputSize, seed: 3);
        var full = Streams.Full(net, series);
        var engine = new StreamingPredictor<string, float>(net);
        engine.Add("a");
        engine.Add("b");
        engine.Predict("a", series);
        engine.Predict("b", series);
        engine.Reset("a");
        Assert.IsTrue(engine.GetState("a").All(s => s.Hidden.All(v => v == 0) && s.Cell!.All(v => v == 0)));
        Assert.IsTrue(engine.GetState("b").Any(s => s.Hidden.Any(v => v != 0)), "resetting one stream leaves the others");
        Streams.AreClose<float>(full, engine.Predict("a", series), "after reset");
    }

    /// <summary>A state set on a stream is what the next call starts from.</summary>
    [TestMethod]
    public void SetStateIsUsedByTheNextCall()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 3);
        var series = Streams.Series<float>(Steps, net.InputSize, seed: 4);
        var engine = new StreamingPredictor<int, float>(net);
        engine.Add(0);
        var state = engine.GetState(0);
        var rng = new Rng(5);
        var initial = net.CreateState(1);
        foreach (var layer in state)
        {
            Data.Uniform<float>(rng, layer.Hidden.Length).CopyTo(layer.Hidden, 0);
            layer.Hidden.CopyTo(initial.Hidden(layer.Layer));
            if (layer.Cell is not { } c) continue;
            Data.Uniform<float>(rng, c.Length).CopyTo(c, 0);
            c.CopyTo(initial.Cell(layer.Layer));
        }
        engine.SetState(0, state);
        var expected = net.Forward(net.CreateWorkspace(Steps, 1), series, Steps, 1, default, initial).ToArray();
        Streams.AreClose<float>(expected, engine.Predict(0, series), "continuing from the set state");
        var after = engine.GetState(0);
        foreach (var layer in after)
            Streams.AreClose<float>(initial.Hidden(layer.Layer), layer.Hidden, $"h of layer {layer.Layer} after the call");
    }

    /// <summary>Half a series in one engine, the state moved (as arrays or bytes) to a new stream of another engine, the rest there.</summary>
    [TestMethod]
    [DataRow("arrays")]
    [DataRow("bytes")]
    public void StateRoundTripContinuesTheSeries(string how)
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 6);
        int inSize = net.InputSize, outSize = net.OutputSize;
        var series = Streams.Series<float>(Steps, inSize, seed: 7);
        var full = Streams.Full(net, series);
        var first = new StreamingPredictor<string, float>(net);
        first.Add("s");
        Streams.AreClose<float>(Streams.Rows(full, outSize, 0, Split), first.Predict("s", Streams.Rows(series, inSize, 0, Split)), "first part");
        var second = new StreamingPredictor<string, float>(net);
        second.Add("moved");
        if (how == "arrays") second.SetState("moved", first.GetState("s"));
        else second.ImportState("moved", first.ExportState("s"));
        for (int t = Split; t < Steps; t++)
            Streams.AreClose<float>(Streams.Rows(full, outSize, t, t + 1), second.Predict("moved", Streams.Rows(series, inSize, t, t + 1)), $"step {t}");
    }

    /// <summary>The model's weights saved and loaded through safetensors give the same fingerprint: states move across.</summary>
    [TestMethod]
    public void StateBytesFitAModelLoadedFromSafetensors()
    {
        var net = new RecurrentNetwork<double>(Streams.Stack("lstm"), seed: 8);
        int inSize = net.InputSize, outSize = net.OutputSize;
        var series = Streams.Series<double>(Steps, inSize, seed: 9);
        var full = Streams.Full(net, series);
        var saved = new MemoryStream();
        net.SaveSafetensors(saved);
        var loaded = new RecurrentNetwork<double>(Streams.Stack("lstm"), seed: 99);
        loaded.LoadSafetensors(new MemoryStream(saved.ToArray()));
        var first = new StreamingPredictor<int, double>(net);
        first.Add(1);
        first.Predict(1, Streams.Rows(series, inSize, 0, Split));
        var second = new StreamingPredictor<int, double>(loaded);
        second.Add(2);
        second.ImportState(2, first.ExportState(1));
        Streams.AreClose<double>(Streams.Rows(full, outSize, Split, Steps), second.Predict(2, Streams.Rows(series, inSize, Split, Steps)), "rest");
    }

    /// <summary>The engine keeps the weights it was created with, also when it later grows its buffers.</summary>
    [TestMethod]
    public void EngineKeepsItsWeightSnapshotWhenTheNetworkChanges()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("lstm"), seed: 10);
        var series = Streams.Series<float>(Steps, net.InputSize, seed: 11);
        var before = Streams.Full(net, series);
        var engine = new StreamingPredictor<int, float>(net);
        engine.Add(0);
        engine.Predict(0, series[..net.InputSize]);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] *= 0.5f;
        CollectionAssert.AreNotEqual(before, Streams.Full(net, series), "the network did change");
        for (int k = 1; k <= 8; k++) engine.Add(k);
        var keys = Enumerable.Range(1, 8).ToArray();
        var output = new float[Steps * 8 * net.OutputSize];
        engine.PredictMany(keys, Steps, Enumerable.Range(0, Steps).SelectMany(t => Enumerable.Repeat(Streams.Rows(series, net.InputSize, t, t + 1), 8))
            .SelectMany(r => r).ToArray(), output);   // 8 streams × 10 steps: buffers grow after the change
        for (int t = 0; t < Steps; t++)
            Streams.AreClose<float>(Streams.Rows(before, net.OutputSize, t, t + 1), Streams.Rows(output, 8 * net.OutputSize, t, t + 1)[..net.OutputSize], $"step {t}");
    }
}
