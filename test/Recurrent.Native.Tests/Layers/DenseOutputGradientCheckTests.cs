using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// Finite-difference checks (double, relative error below 1e-5) of the dense layer with each activation, the output
/// layer with each loss, and the full stack dense → LSTM → LSTM → dense → output.
/// </summary>
[TestClass]
public sealed class DenseOutputGradientCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(Activation.Identity)]
    [DataRow(Activation.Sigmoid)]
    [DataRow(Activation.Tanh)]
    [DataRow(Activation.Softsign)]
    [DataRow(Activation.ReLU)]
    [DataRow(Activation.HardSigmoid)]
    public void Dense_EachActivation(Activation activation)
    {
        var spec = new NetworkSpec(3, [new DenseSpec(5, activation), new LstmSpec(3), new OutputSpec(2, LossKind.MeanSquaredError)]);
        var p = new Problem<double>(spec, steps: 3, batch: 3, seed: 4);
        if (activation is Activation.ReLU or Activation.HardSigmoid)
        {
            // Piecewise linear: wide weights reach the flat pieces (hard sigmoid saturates beyond ±2.5); the test
            // asserts both pieces occur and no argument lies within 1e-3 of a kink.
            p.SetUniform("dense0.weight", -2.5, 2.5, seed: 5);
            GradientCheck.AssertAwayFromKinks(p, TestContext);
        }
        GradientCheck.AssertPasses(p, TestContext);
    }

    [TestMethod]
    [DataRow(LossKind.CrossEntropy)]
    [DataRow(LossKind.MeanSquaredError)]
    [DataRow(LossKind.MeanAbsoluteError)]
    public void Output_EachLoss(LossKind loss)
    {
        var p = new Problem<double>(new NetworkSpec(3, [new LstmSpec(4), new OutputSpec(3, loss)]), steps: 4, batch: 3);
        // MAE's |y − t| has its kink at y = t: assert no output comes within 1e-3 of its target (both sides are sloped).
        if (loss == LossKind.MeanAbsoluteError) GradientCheck.AssertAwayFromKinks(p, TestContext, needFlat: false);
        GradientCheck.AssertPasses(p, TestContext);
    }

    [TestMethod]
    [DataRow(LossKind.CrossEntropy)]
    [DataRow(LossKind.MeanSquaredError)]
    public void FullStack_DenseLstmLstmDenseOutput(LossKind loss)
    {
        var spec = new NetworkSpec(3, [new DenseSpec(4, Activation.Tanh), new LstmSpec(4), new LstmSpec(3) { Peepholes = true },
            new DenseSpec(4, Activation.Sigmoid), new OutputSpec(3, loss)]);
        GradientCheck.AssertPasses(new Problem<double>(spec, steps: 4, batch: 2), TestContext);
    }
}
