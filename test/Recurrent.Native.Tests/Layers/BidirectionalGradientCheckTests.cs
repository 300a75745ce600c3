using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// Finite-difference checks (double, relative error below 1e-5) of bidirectional layers: each merge mode, Graves and
/// simple-RNN directions, stacked, and with padding at either end (the backward direction must start at each
/// sequence's last present step).
/// </summary>
[TestClass]
public sealed class BidirectionalGradientCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(MergeMode.Sum)]
    [DataRow(MergeMode.Concat)]
    [DataRow(MergeMode.Average)]
    [DataRow(MergeMode.Multiply)]
    public void Lstm_EachMergeMode(MergeMode merge) =>
        GradientCheck.AssertPasses(new Problem<double>(
            new NetworkSpec(3, [new BidirectionalSpec(new LstmSpec(3), merge), new OutputSpec(3, LossKind.CrossEntropy)]), steps: 4, batch: 2),
            TestContext);

    [TestMethod]
    [DataRow(MergeMode.Sum)]
    [DataRow(MergeMode.Concat)]
    [DataRow(MergeMode.Average)]
    [DataRow(MergeMode.Multiply)]
    public void Lstm_EachMergeMode_Padded(MergeMode merge)
    {
        var spec = new NetworkSpec(3, [new BidirectionalSpec(new LstmSpec(3), merge), new OutputSpec(2, LossKind.MeanSquaredError)]);
        var p = new Problem<double>(spec, steps: 5, batch: 5)
        {
            // trailing, leading, both, a gap inside, and a fully masked sequence
            Mask = Data.MaskRows("11100", "00111", "01110", "10110", "00000"),
        };
        GradientCheck.AssertPasses(p, TestContext);
    }

    [TestMethod]
    public void GravesLstm_Sum() =>   // DL4J's GravesBidirectionalLSTM
        GradientCheck.AssertPasses(new Problem<double>(
            new NetworkSpec(3, [new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Sum),
                new OutputSpec(3, LossKind.CrossEntropy)]), steps: 4, batch: 2), TestContext);

    [TestMethod]
    public void SimpleRnn_Concat_WithMask() =>
        GradientCheck.AssertPasses(new Problem<double>(
            new NetworkSpec(3, [new BidirectionalSpec(new SimpleRnnSpec(4), MergeMode.Concat), new OutputSpec(2, LossKind.MeanSquaredError)]),
            steps: 4, batch: 2) { Mask = Data.MaskRows("0111", "1100") }, TestContext);

    // DL4J #35 (GradientCheckTestsMasking.testBidirectionalLSTMMasking): 2 × BiLSTM, feature (= label) masks.
    [TestMethod]
    [DataRow("11111", "11100")]
    [DataRow("11111", "01111")]
    public void TwoStacked_Masked(string first, string second)
    {
        var spec = new NetworkSpec(3, [new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Sum),
            new BidirectionalSpec(new LstmSpec(3), MergeMode.Concat), new OutputSpec(3, LossKind.CrossEntropy)]);
        GradientCheck.AssertPasses(new Problem<double>(spec, steps: 5, batch: 2) { Mask = Data.MaskRows(first, second) }, TestContext);
    }

    [TestMethod]
    public void TwoStacked_BetweenDenseLayers_WithMask()
    {
        var spec = new NetworkSpec(3, [new DenseSpec(3, Activation.Tanh), new BidirectionalSpec(new LstmSpec(3), MergeMode.Concat),
            new BidirectionalSpec(new LstmSpec(2) { Peepholes = true }, MergeMode.Sum), new OutputSpec(2, LossKind.CrossEntropy)]);
        GradientCheck.AssertPasses(new Problem<double>(spec, steps: 4, batch: 2) { Mask = Data.MaskRows("1110", "0111") }, TestContext);
    }
}
