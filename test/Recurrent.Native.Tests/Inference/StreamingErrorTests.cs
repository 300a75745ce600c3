using Recurrent.Native.Inference;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.Inference;

/// <summary>Every misuse of the engine fails with an exception that says what is wrong, and changes nothing.</summary>
[TestClass]
public sealed class StreamingErrorTests
{
    // I = 5, O = 4 (Streams.Stack).
    private static StreamingPredictor<string, float> Engine(params string[] keys)
    {
        var engine = new StreamingPredictor<string, float>(new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 1));
        foreach (var k in keys) engine.Add(k);
        return engine;
    }

    [TestMethod]
    public void BidirectionalNetworkCannotRunStepByStep()
    {
        var net = new RecurrentNetwork<float>(new NetworkSpec(3, [new LstmSpec(4), new BidirectionalSpec(new LstmSpec(4)), new OutputSpec(2, LossKind.CrossEntropy)]));
        var e = Assert.ThrowsExactly<ArgumentException>(() => new StreamingPredictor<int, float>(net));
        StringAssert.Contains(e.Message, "Layer 1 is bidirectional");
        StringAssert.Contains(e.Message, "needs the whole sequence");
        Assert.AreEqual("network", e.ParamName);
    }

    [TestMethod]
    public void OnlyFloatAndDoubleAreSupported()
    {
        var net = new RecurrentNetwork<Half>(new NetworkSpec(3, [new LstmSpec(4), new OutputSpec(2, LossKind.CrossEntropy)]));
        var e = Assert.ThrowsExactly<NotSupportedException>(() => new StreamingPredictor<int, Half>(net));
        StringAssert.Contains(e.Message, "Half");
    }

    [TestMethod]
    public void FeatureCountMismatchSaysExpectedAndActual()
    {
        var engine = Engine("a", "b");
        var e = Assert.ThrowsExactly<ArgumentException>(() => engine.Predict("a", new float[4], new float[4]));
        StringAssert.Contains(e.Message, "expects 5 features per step");
        StringAssert.Contains(e.Message, "holds 4 values");
        Assert.ThrowsExactly<ArgumentException>(() => engine.Predict("a", [], []));
        e = Assert.ThrowsExactly<ArgumentException>(() => engine.PredictMany(["a", "b"], new float[2 * 6], new float[2 * 4]));
        StringAssert.Contains(e.Message, "expects 5 features per step, got 6 per step");
        e = Assert.ThrowsExactly<ArgumentException>(() => engine.PredictMany(["a", "b"], 3, new float[3 * 2 * 4], new float[3 * 2 * 4]));
        StringAssert.Contains(e.Message, "expects 5 features per step, got 4 per step");
        StringAssert.Contains(e.Message, "need 30 values");
        e = Assert.ThrowsExactly<ArgumentException>(() => engine.PredictMany(["a", "b"], 3, new float[31], new float[3 * 2 * 4]));
        StringAssert.Contains(e.Message, "got 31 values in all");
        Assert.AreEqual("input", e.ParamName);
        AssertUnchanged(engine, "a", "b");
    }

    [TestMethod]
    public void WrongOutputLengthSaysWhatIsNeeded()
    {
        var engine = Engine("a", "b");
        var e = Assert.ThrowsExactly<ArgumentException>(() => engine.Predict("a", new float[2 * 5], new float[4]));
        StringAssert.Contains(e.Message, "The output holds 4 values; 2 step(s) × 1 stream(s) × 4 outputs need 8");
        Assert.AreEqual("output", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentException>(() => engine.PredictMany(["a", "b"], new float[2 * 5], new float[2 * 4 + 1]));
        StringAssert.Contains(e.Message, "need 8");
        AssertUnchanged(engine, "a", "b");
    }

    [TestMethod]
    public void UnknownKeyIsReportedByEveryCall()
    {
        var engine = Engine("a");
        var step = new float[5];
        void Unknown(Action call) => StringAssert.Contains(Assert.ThrowsExactly<KeyNotFoundException>(call).Message, "no stream with the key 'zz'");
        Unknown(() => engine.Predict("zz", step, new float[4]));
        Unknown(() => engine.PredictMany(["a", "zz"], new float[10], new float[8]));
        Unknown(() => engine.Reset("zz"));
        Unknown(() => engine.GetState("zz"));
        Unknown(() => engine.SetState("zz", engine.GetState("a")));
        Unknown(() => engine.ExportState("zz"));
        Unknown(() => engine.ImportState("zz", engine.ExportState("a")));
        Assert.IsFalse(engine.Remove("zz"));
        Assert.IsFalse(engine.Contains("zz"));
        engine.Add("zz");
        CollectionAssert.AreEquivalent(new[] { "a", "zz" }, engine.Keys.ToArray());
        Assert.AreEqual(2, engine.Count);
        engine.Predict("zz", step, new float[4]);
        Assert.IsTrue(engine.Remove("zz"));
        Unknown(() => engine.Predict("zz", step, new float[4]));
        AssertUnchanged(engine, "a");
    }

    [TestMethod]
    public void DuplicateStreamsAreRejected()
    {
        var engine = Engine("a", "b");
        var e = Assert.ThrowsExactly<ArgumentException>(() => engine.Add("a"));
        StringAssert.Contains(e.Message, "A stream with the key 'a' already exists");
        e = Assert.ThrowsExactly<ArgumentException>(() => engine.PredictMany(["a", "b", "a"], new float[15], new float[12]));
        StringAssert.Contains(e.Message, "'a' appears more than once");
        Assert.AreEqual(2, engine.Count);
        AssertUnchanged(engine, "a", "b");
    }

    [TestMethod]
    public void EmptyCallsAndNonPositiveStepsAreRejected()
    {
        var engine = Engine("a");
        Assert.ThrowsExactly<ArgumentException>(() => engine.PredictMany([], [], []));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => engine.PredictMany(["a"], 0, [], []));
        AssertUnchanged(engine, "a");
    }

    /// <summary>A value that is not finite fails the call, even in its last step, and leaves the stream where it was.</summary>
    [TestMethod]
    public void NonFiniteInputFailsAndLeavesTheStream()
    {
        var engine = Engine("a");
        engine.Predict("a", Streams.Series<float>(2, 5, seed: 1));
        var before = engine.ExportState("a");
        var input = Streams.Series<float>(3, 5, seed: 2);
        input[13] = float.NaN;
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => engine.Predict("a", input));
        StringAssert.Contains(e.Message, "Input value at step 2 of stream 'a', feature 3, is not finite");
        CollectionAssert.AreEqual(before, engine.ExportState("a"));
        var many = Streams.Series<float>(300 * 2, 5, seed: 3);       // two streams, 300 steps: run in pieces
        many[(290 * 2 + 1) * 5] = float.NegativeInfinity;
        engine.Add("b");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => engine.PredictMany(["a", "b"], 300, many, new float[300 * 2 * 4]));
        StringAssert.Contains(e.Message, "step 290 of stream 'b', feature 0");
        CollectionAssert.AreEqual(before, engine.ExportState("a"));
    }

    [TestMethod]
    public void StateArraysOfTheWrongShapeAreRejected()
    {
        var engine = Engine("a");   // layers 0 LSTM 7, 1 Graves 6, 2 RNN 5
        engine.Predict("a", Streams.Series<float>(2, 5, seed: 3));
        var before = engine.ExportState("a");
        LayerState<float>[] Good() => [new(0, new float[7], new float[7]), new(1, new float[6], new float[6]), new(2, new float[5])];
        void Rejected(LayerState<float>[] state, string message) =>
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => engine.SetState("a", state)).Message, message);
        Rejected(Good()[..2], "The model has 3 recurrent layer(s); the state has 2 entries");
        var s = Good(); s[1] = new(3, new float[6], new float[6]);
        Rejected(s, "state[1] is for layer 3; the model's recurrent layer 1 is layer 1");
        s = Good(); s[0] = new(0, new float[8], new float[8]);
        Rejected(s, "state[0] (layer 0): h holds 8 values; the layer has H = 7");
        s = Good(); s[1] = new(1, new float[6]);
        Rejected(s, "the layer is an LSTM, so the state needs c");
        s = Good(); s[2] = new(2, new float[5], new float[5]);
        Rejected(s, "the layer is a simple RNN, which has no c");
        s = Good(); s[2].Hidden[4] = float.PositiveInfinity;
        Rejected(s, "state[2]: h[4] = ");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => engine.SetState("a", s)).Message, "is not finite");
        Assert.ThrowsExactly<ArgumentNullException>(() => engine.SetState("a", [Good()[0], null!, Good()[2]]));
        CollectionAssert.AreEqual(before, engine.ExportState("a"), "a rejected state writes nothing");
        Assert.ThrowsExactly<ArgumentException>(() => new LayerState<float>(0, new float[3], new float[4]));
        Assert.ThrowsExactly<ArgumentException>(() => new LayerState<float>(0, []));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LayerState<float>(-1, new float[3]));
    }

    /// <summary>The streams' states equal a fresh engine's after the same successful calls (nothing leaked from failed ones).</summary>
    private static void AssertUnchanged(StreamingPredictor<string, float> engine, params string[] keys)
    {
        var fresh = Engine(keys);
        foreach (var k in keys) CollectionAssert.AreEqual(fresh.ExportState(k), engine.ExportState(k), $"state of '{k}'");
    }
}
