using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Behaviour;

/// <summary>
/// A bidirectional layer is two independent recurrent layers, one walking time backwards, merged per step; with exact
/// masking each sequence behaves as if it had been cut to its present steps.
/// </summary>
[TestClass]
public sealed class BidirectionalBehaviourTests
{
    private const int T = 5, B = 2, I = 3, H = 4;

    private static NetworkSpec Single => new(I, [new DenseSpec(I), new LstmSpec(H) { Peepholes = true }]);
    private static NetworkSpec Bi => new(I, [new DenseSpec(I), new BidirectionalSpec(new LstmSpec(H) { Peepholes = true }, MergeMode.Sum)]);

    private static IEnumerable<string> LstmTensors(Problem<double> p) =>
        p.Net.Layout.Tensors.Select(t => t.Name).Where(n => !n.StartsWith("dense", StringComparison.Ordinal));

    // DL4J #8 (GravesBidirectionalLSTMTest.testSimpleForwardsAndBackwardsActivation, first half).
    [TestMethod]
    public void WithZeroBackwardWeights_EqualsTheForwardLayerAlone()
    {
        var single = new Problem<double>(Single, T, B) { Mask = Data.MaskRows("11110", "01111") };
        var bi = new Problem<double>(Bi, T, B, seed: 2) { Input = single.Input, Mask = single.Mask };
        foreach (var t in single.Net.Layout.Tensors) bi.CopyTensor(single, t.Name, t.Name);
        foreach (var name in LstmTensors(single)) bi.Zero(name + "_reverse");
        var dy = Data.Uniform<double>(new Rng(5), T * B * H);
        var a = single.Run(dy);
        var b = bi.Run(dy);
        // Zero weights: i = f = o = 1/2, g = tanh(0) = 0, so c and h stay exactly 0 and the sum is the forward output.
        Expect.Same<double>(a.Output, b.Output, "output");
        foreach (var t in single.Net.Layout.Tensors) Expect.Same<double>(a.Gradient(t), b.Gradient(bi.Tensor(t.Name)), t.Name);
    }

    // DL4J #9 (same test, second half): forward weights zero, backward weights := the single layer's, input, mask and
    // output gradient reversed in time. Padding at the end of the single layer's sequences is at the start for the
    // backward direction, which must still begin at each sequence's last present step.
    [TestMethod]
    public void BackwardDirection_IsTheForwardLayerRunBackwardsInTime()
    {
        var single = new Problem<double>(Single, T, B) { Mask = Data.MaskRows("11110", "11100") };
        var bi = new Problem<double>(Bi, T, B, seed: 2)
        {
            Input = Data.ReverseTime<double>(single.Input, T, B, I),
            Mask = Data.ReverseTime<float>(single.Mask, T, B, 1),
        };
        foreach (var t in single.Net.Layout.Tensors)
            bi.CopyTensor(single, t.Name, t.Name.StartsWith("dense", StringComparison.Ordinal) ? t.Name : t.Name + "_reverse");
        foreach (var name in LstmTensors(single)) bi.Zero(name);
        var dy = Data.Uniform<double>(new Rng(5), T * B * H);
        var a = single.Run(dy);
        var b = bi.Run(Data.ReverseTime<double>(dy, T, B, H));
        // Each step does the same arithmetic in both: identical outputs. The gradients sum the same terms over the
        // steps in the opposite order, so they agree to rounding only.
        Expect.Same<double>(a.Output, Data.ReverseTime<double>(b.Output, T, B, H), "reversed output");
        foreach (var t in single.Net.Layout.Tensors)
        {
            string name = t.Name.StartsWith("dense", StringComparison.Ordinal) ? t.Name : t.Name + "_reverse";
            Expect.Close<double>(a.Gradient(t), b.Gradient(bi.Tensor(name)), 1e-12, name);
        }
    }

    // DL4J #10 (GravesBidirectionalLSTMTest.testGetSetParmas).
    [TestMethod]
    public void ParametersCopiedIntoAnotherNetwork_ReproduceItsOutputs()
    {
        var a = new Problem<float>(Bi, T, B, seed: 1);
        var b = new Problem<float>(Bi, T, B, seed: 2) { Input = a.Input };
        var ya = a.Forward().ToArray();
        Expect.Differ<float>(ya, b.Forward(), "outputs before copying");
        b.CopyParameters(a);
        Expect.Same<float>(ya, b.Forward(), "outputs after copying");
    }

    // DL4J #29 (TestVariableLengthTS.testMaskingBidirectionalRnn), with a leading-padded sequence added.
    [TestMethod]
    public void MaskedSequences_EqualTheirTruncatedSelves()
    {
        string[] rows = ["11111", "11110", "11100", "00111"];
        int batch = rows.Length, classes = 3;
        var spec = new NetworkSpec(I, [new BidirectionalSpec(new LstmSpec(H), MergeMode.Concat),
            new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Average), new OutputSpec(classes, LossKind.CrossEntropy)]);
        var p = new Problem<double>(spec, T, batch) { Mask = Data.MaskRows(rows) };
        var y = p.Forward().ToArray();
        for (int b = 0; b < batch; b++)
        {
            int start = rows[b].IndexOf('1'), length = rows[b].Count(ch => ch == '1');
            var alone = new Problem<double>(spec, length, 1)
            {
                Input = Data.Extract<double>(p.Input, batch, I, b, start, length),
                Classes = Data.Extract<int>(p.Classes, batch, 1, b, start, length),
            };
            alone.CopyParameters(p);
            var expected = alone.Run();
            Expect.Same<double>(expected.Output, Data.Extract<double>(y, batch, classes, b, start, length), $"sequence {b} outputs");
            // This sequence's own loss (the label mask selects its steps) and gradients equal the truncated run's: the
            // other sequences only add exact zeros to every sum.
            var only = new float[T * batch];
            for (int t = start; t < start + length; t++) only[t * batch + b] = 1f;
            p.Forward();
            double loss = p.Net.Loss(p.Workspace, p.Classes, only);
            p.Net.Backward(p.Workspace);
            Assert.AreEqual(expected.Loss, loss, $"sequence {b} loss");
            Expect.Same<double>(expected.Gradients, p.Workspace.Gradients, $"sequence {b} gradients");
        }
    }
}
