using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// Finite-difference checks (double, relative error below 1e-5) of the dense layer with each activation, the output
/// layer with each loss (and from a given output gradient), and the full stack dense → LSTM → LSTM → dense → output.
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

    /// <summary>
    /// Backward from a caller's dL/d(output) w (the route of losses the engine does not know) is the gradient of the
    /// linear loss Σ w ⊙ y: through the softmax of a cross-entropy output layer, and out of a network whose last layer
    /// is bidirectional.
    /// </summary>
    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void BackwardFromAGivenOutputGradient_IsTheGradientOfItsLinearLoss(bool softmax)
    {
        var spec = softmax
            ? new NetworkSpec(3, [new LstmSpec(4), new OutputSpec(4, LossKind.CrossEntropy)])
            : new NetworkSpec(3, [new LstmSpec(3), new BidirectionalSpec(new LstmSpec(3), MergeMode.Multiply)]);
        var p = new Problem<double>(spec, steps: 4, batch: 3) { Mask = Data.MaskRows("1110", "0111", "1111") };
        var w = Data.Uniform<double>(new Rng(6), 4 * 3 * p.Net.OutputSize);
        double Loss(NetworkWorkspace<double> ws)
        {
            var y = p.Forward(ws);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += w[i] * y[i];
            return sum;
        }
        GradientCheck.AssertPasses(p.Net, p.Workspace, Loss, () => p.Net.Backward(p.Workspace, w), TestContext);
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
