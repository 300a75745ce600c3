using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// Finite-difference checks (double, relative error below 1e-5) of the recurrent layers: LSTM, Graves LSTM, simple RNN,
/// each gate and cell activation, and a window that starts from a carried state (every truncated-BPTT window after the
/// first).
/// </summary>
[TestClass]
public sealed class GradientCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    private Problem<double> Check(NetworkSpec spec, int steps = 4, int batch = 3, int seed = 1, Action<Problem<double>>? setup = null)
    {
        var p = new Problem<double>(spec, steps, batch, seed);
        setup?.Invoke(p);
        GradientCheck.AssertPasses(p, TestContext);
        return p;
    }

    // DL4J #31 (LSTMGradientCheckTests.testLSTMBasicMultiLayer): {Graves, LSTM} × 2 with sigmoid cells, mb = 5, T = 4.
    [TestMethod]
    [DataRow(false, Activation.Sigmoid)]
    [DataRow(true, Activation.Sigmoid)]
    [DataRow(false, Activation.Tanh)]
    [DataRow(true, Activation.Tanh)]
    public void TwoLayers_CrossEntropy(bool peepholes, Activation cell) =>
        Check(new NetworkSpec(3, [new LstmSpec(4) { Peepholes = peepholes, CellActivation = cell },
            new LstmSpec(3) { Peepholes = peepholes, CellActivation = cell }, new OutputSpec(3, LossKind.CrossEntropy)]), steps: 4, batch: 5);

    // DL4J #32 (testGradientLSTMFull): {Graves, LSTM} with tanh or softsign, MCXENT or MSE (we have no L1/L2 terms).
    [TestMethod]
    [DataRow(false, Activation.Softsign, LossKind.CrossEntropy)]
    [DataRow(true, Activation.Softsign, LossKind.MeanSquaredError)]
    [DataRow(false, Activation.Tanh, LossKind.MeanSquaredError)]
    [DataRow(true, Activation.Tanh, LossKind.CrossEntropy)]
    public void OneLayer_CellActivationAndLoss(bool peepholes, Activation cell, LossKind loss) =>
        Check(new NetworkSpec(3, [new LstmSpec(4) { Peepholes = peepholes, CellActivation = cell }, new OutputSpec(2, loss)]));

    [TestMethod]
    public void Lstm_HardSigmoidGates_SoftsignCell_AwayFromKinks()
    {
        // Hard sigmoid has kinks at ±2.5. Wide input weights push some gates into saturation (slope 0) and leave others
        // on the slope; the seed is one where no gate argument lies within 1e-3 of a kink, which the test asserts.
        var spec = new NetworkSpec(3, [new LstmSpec(4) { GateActivation = Activation.HardSigmoid, CellActivation = Activation.Softsign },
            new OutputSpec(3, LossKind.CrossEntropy)]);
        Check(spec, seed: 3, setup: p =>
        {
            p.SetUniform("weight_ih_l0", -2.5, 2.5, seed: 7);
            GradientCheck.AssertAwayFromKinks(p, TestContext);
        });
    }

    [TestMethod]
    public void SimpleRnn_Tanh_TwoLayers() =>
        Check(new NetworkSpec(3, [new SimpleRnnSpec(4), new SimpleRnnSpec(3), new OutputSpec(3, LossKind.CrossEntropy)]));

    [TestMethod]
    public void SimpleRnn_ReLU_AwayFromKinks()
    {
        // ReLU's kink is at 0: the test asserts both signs occur and none lies within 1e-3 of 0.
        var spec = new NetworkSpec(3, [new SimpleRnnSpec(5) { Activation = Activation.ReLU }, new OutputSpec(2, LossKind.MeanSquaredError)]);
        Check(spec, seed: 2, setup: p => GradientCheck.AssertAwayFromKinks(p, TestContext));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Lstm_FromCarriedState(bool peepholes)
    {
        // A window that starts from a random (h, c), held constant: checks the first step's use of h' and c'
        // (W_hh · h', f ⊙ c', and for Graves the peepholes on c').
        var spec = new NetworkSpec(3, [new LstmSpec(4) { Peepholes = peepholes }, new LstmSpec(3) { Peepholes = peepholes },
            new OutputSpec(3, LossKind.CrossEntropy)]);
        Check(spec, steps: 3, batch: 2, setup: p => p.RandomizeInitialState(seed: 11));
    }

    [TestMethod]
    public void SimpleRnn_FromCarriedState() =>
        Check(new NetworkSpec(3, [new SimpleRnnSpec(4), new OutputSpec(2, LossKind.MeanSquaredError)]), steps: 3, batch: 2,
            setup: p => p.RandomizeInitialState(seed: 12));
}
