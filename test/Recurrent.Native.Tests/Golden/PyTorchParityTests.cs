using Recurrent.Native.IO;
using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.Golden;

/// <summary>
/// Golden parity with PyTorch 1.13 (fixtures from <c>tools/make_golden.py</c>): the weights are imported through our
/// safetensors reader, then outputs, final (h, c), the loss and every parameter gradient must equal PyTorch's.
/// The fixtures hold the float64 results of float32-exact weights and inputs, rounded once to float32.
/// Tolerances: outputs, states and losses within an absolute bound; gradient g against PyTorch's e within
/// relative · max(|e|, 0.01) — relative above |e| = 0.01, an absolute floor of relative / 100 below it.
/// Float engine: 1e-5 absolute, 1e-4 relative. Double engine (F32 file imported into double): 1e-6 and 1e-5,
/// bounded by the float32 rounding of the stored reference.
/// </summary>
[TestClass]
public sealed class PyTorchParityTests
{
    private const double GradientFloor = 1e-2;

    /// <summary>Every fixture and the network that PyTorch's modules correspond to.</summary>
    private static readonly Dictionary<string, NetworkSpec> Specs = new()
    {
        ["lstm_1layer"] = new(3, [new LstmSpec(5)]),
        ["lstm_2layer"] = new(3, [new LstmSpec(5), new LstmSpec(5)]),
        ["bilstm_2layer"] = new(3, [new BidirectionalSpec(new LstmSpec(4), MergeMode.Concat), new BidirectionalSpec(new LstmSpec(4), MergeMode.Concat)]),
        ["rnn_tanh_2layer"] = new(3, [new SimpleRnnSpec(5), new SimpleRnnSpec(5)]),
        ["rnn_relu_1layer"] = new(3, [new SimpleRnnSpec(5) { Activation = Activation.ReLU }]),
        ["birnn_tanh_2layer"] = new(3, [new BidirectionalSpec(new SimpleRnnSpec(4), MergeMode.Concat), new BidirectionalSpec(new SimpleRnnSpec(4), MergeMode.Concat)]),
        ["lstm_packed"] = new(3, [new LstmSpec(5)]),
        ["bilstm_packed"] = new(3, [new BidirectionalSpec(new LstmSpec(4), MergeMode.Concat)]),
        ["lstm_head_crossentropy"] = new(3, [new LstmSpec(5), new OutputSpec(4, LossKind.CrossEntropy)]),
        ["lstm_dense_mse"] = new(3, [new LstmSpec(5), new DenseSpec(6, Activation.Tanh), new OutputSpec(2, LossKind.MeanSquaredError)]),
    };

    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Fixtures => Specs.Keys.Select(k => new object[] { k });

    [TestMethod]
    [DynamicData(nameof(Fixtures))]
    public void FloatEngineMatchesPyTorch(string fixture) => Check<float>(fixture, absolute: 1e-5, relative: 1e-4);

    [TestMethod]
    [DynamicData(nameof(Fixtures))]
    public void DoubleEngineMatchesPyTorch(string fixture) => Check<double>(fixture, absolute: 1e-6, relative: 1e-5);

    [TestMethod]
    public void EveryFixtureInTheFolderIsTested()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.safetensors")
            .Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        CollectionAssert.AreEqual(Specs.Keys.Order().ToArray(), files);
    }

    private void Check<T>(string name, double absolute, double relative) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var fx = GoldenFixture.Load(name);
        var net = new RecurrentNetwork<T>(Specs[name], seed: 7);
        net.LoadSafetensors(fx.Path, new SafetensorsLoadOptions { AllowExtraTensors = true });
        int steps = fx.Steps, batch = fx.Batch;
        var ws = net.CreateWorkspace(steps, batch);
        var state = fx.Has("initial_h.l0") ? InitialState(net, fx, batch) : null;

        var output = net.Forward(ws, fx.Get<T>("input"), steps, batch, fx.Mask(), state).ToArray();
        Compare("output", output, fx.Get<double>("output"), _ => absolute);
        if (state is not null)
            foreach (var (layer, k) in StatefulLayers(net))
            {
                Compare($"final_h.l{k}", state.Hidden(layer).ToArray(), fx.Get<double>($"final_h.l{k}"), _ => absolute);
                if (state.HasCell(layer))
                    Compare($"final_c.l{k}", state.Cell(layer).ToArray(), fx.Get<double>($"final_c.l{k}"), _ => absolute);
            }

        if (fx.Has("output_grad")) net.Backward(ws, fx.Get<T>("output_grad"));
        else
        {
            T loss = net.OutputLayer!.Loss == LossKind.CrossEntropy
                ? net.Loss(ws, fx.Get<float>("targets").Select(c => (int)c).ToArray())
                : net.Loss(ws, fx.Get<T>("targets"));
            Compare("loss", [loss], fx.Get<double>("loss"), _ => absolute);
            net.Backward(ws);
        }
        foreach (var tensor in net.Layout.Tensors)
            Compare($"grad.{tensor.Name}", ws.Gradients.AsSpan(tensor.Offset, tensor.Length).ToArray(), fx.Get<double>($"grad.{tensor.Name}"),
                e => relative * Math.Max(Math.Abs(e), GradientFloor));
    }

    /// <summary>A state holding the fixture's h0 (and c0) for every unidirectional recurrent layer.</summary>
    private static RecurrentState<T> InitialState<T>(RecurrentNetwork<T> net, GoldenFixture fx, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = net.CreateState(batch);
        foreach (var (layer, k) in StatefulLayers(net))
        {
            fx.Get<T>($"initial_h.l{k}").CopyTo(state.Hidden(layer));
            if (state.HasCell(layer)) fx.Get<T>($"initial_c.l{k}").CopyTo(state.Cell(layer));
        }
        return state;
    }

    /// <summary>(network layer index, PyTorch layer index k) of every unidirectional recurrent layer.</summary>
    private static IEnumerable<(int Layer, int K)> StatefulLayers<T>(RecurrentNetwork<T> net) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            if (net.Layers[l] is RecurrentLayer<T>) yield return (l, k);
            if (net.Layers[l] is RecurrentLayer<T> or BidirectionalLayer<T>) k++;
        }
    }

    /// <summary>Asserts |actual − expected| ≤ allowed(expected) everywhere and logs the worst ratio.</summary>
    private void Compare<T>(string what, T[] actual, double[] expected, Func<double, double> allowed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.HasCount(expected.Length, actual, what);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateTruncating(actual[i]), e = expected[i], bound = allowed(e);
            if (!(Math.Abs(a - e) <= bound))
                Assert.Fail($"{what}[{i}]: engine {a:G9}, PyTorch {e:G9}, difference {Math.Abs(a - e):E2} > allowed {bound:E2}.");
            worst = Math.Max(worst, Math.Abs(a - e) / bound);
        }
        TestContext.WriteLine($"{what,-26} {expected.Length,4} values, worst difference {worst:P1} of the allowed one");
    }
}
