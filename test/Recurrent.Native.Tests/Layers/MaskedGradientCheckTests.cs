using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// Finite-difference checks (double, relative error below 1e-5) at the edges: T = 1, B = 1 and both, for every
/// recurrent layer; feature masks with trailing, leading and two-sided padding, gaps and a fully masked sequence; label masks
/// (many-to-one and scattered).
/// </summary>
[TestClass]
public sealed class MaskedGradientCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly (string Name, LayerSpec Layer)[] RecurrentLayers =
    [
        ("LSTM", new LstmSpec(3)),
        ("Graves LSTM", new LstmSpec(3) { Peepholes = true }),
        ("simple RNN", new SimpleRnnSpec(3)),
        ("bidirectional LSTM", new BidirectionalSpec(new LstmSpec(3), MergeMode.Concat)),
        ("bidirectional Graves LSTM", new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Sum)),
    ];

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(1, 4)]
    [DataRow(5, 1)]
    public void EdgeShapes_EveryRecurrentLayer(int steps, int batch)   // DL4J #33: (T, mb) ∈ {(1,7), (5,1), (1,1)}
    {
        foreach (var (name, layer) in RecurrentLayers)
        {
            TestContext.WriteLine($"{name}, T = {steps}, B = {batch}");
            var spec = new NetworkSpec(2, [layer, new OutputSpec(3, LossKind.CrossEntropy)]);
            // With one step from a zero state, h' = c' = 0: W_hh and the peepholes on c' (input and forget gates)
            // cannot matter, and their gradients must be exactly 0.
            GradientCheck.AssertPasses(new Problem<double>(spec, steps, batch), TestContext, zeroExpected: tensor => steps == 1 &&
                (tensor.StartsWith("weight_hh", StringComparison.Ordinal) || tensor.StartsWith("peephole_i", StringComparison.Ordinal)
                 || tensor.StartsWith("peephole_f", StringComparison.Ordinal)));
        }
    }

    [TestMethod]
    [DataRow("trailing", new[] { "11100", "11110", "11111" })]
    [DataRow("leading", new[] { "00111", "01111", "11111" })]
    [DataRow("both ends", new[] { "01110", "00110", "11111" })]
    [DataRow("fully masked sequence", new[] { "11111", "00000", "01100" })]
    [DataRow("gaps inside", new[] { "11011", "10101", "01101" })]   // (h, c) must carry through, and dh, dc back through, the gap
    public void FeatureMask_FullStack(string padding, string[] rows)
    {
        TestContext.WriteLine($"padding: {padding}");
        var spec = new NetworkSpec(3, [new DenseSpec(3, Activation.Tanh), new LstmSpec(3), new LstmSpec(3) { Peepholes = true },
            new DenseSpec(3, Activation.Softsign), new OutputSpec(3, LossKind.CrossEntropy)]);
        GradientCheck.AssertPasses(new Problem<double>(spec, steps: 5, batch: 3) { Mask = Data.MaskRows(rows) }, TestContext);
    }

    [TestMethod]
    [DataRow("11111")]
    [DataRow("01111")]   // first step off
    [DataRow("00001")]   // many-to-one
    [DataRow("00101")]
    [DataRow("11101")]
    public void LabelMask_SimpleRnnAndLstm(string labels)   // DL4J #34 (SimpleRnn → RnnOutput, T = 5)
    {
        foreach (var layer in new LayerSpec[] { new SimpleRnnSpec(3), new LstmSpec(3) })
        {
            TestContext.WriteLine($"{layer}, label mask {labels}");
            var p = new Problem<double>(new NetworkSpec(2, [layer, new OutputSpec(3, LossKind.CrossEntropy)]), steps: 5, batch: 2)
            {
                LabelMask = Data.MaskRows(labels, labels),
            };
            GradientCheck.AssertPasses(p, TestContext);
        }
    }

    [TestMethod]
    public void LabelAndFeatureMasks_ManyToOne_EitherAlignment()
    {
        // Sequence 0 is padded at the end, sequence 1 at the start; each has one label, on its last present step.
        var p = new Problem<double>(new NetworkSpec(2, [new LstmSpec(3) { Peepholes = true }, new OutputSpec(2, LossKind.MeanSquaredError)]),
            steps: 5, batch: 2)
        {
            Mask = Data.MaskRows("11100", "00111"),
            LabelMask = Data.MaskRows("00100", "00001"),
        };
        GradientCheck.AssertPasses(p, TestContext);
    }
}
