using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Behaviour;

/// <summary>
/// Label and feature masks, adapted to our rules: a label-masked step adds nothing to the loss or any gradient; the
/// loss is the mean over present label steps; every layer outputs exactly 0 at a feature-masked step.
/// </summary>
[TestClass]
public sealed class MaskingBehaviourTests
{
    private static NetworkSpec GravesMse(int outputs) =>
        new(3, [new LstmSpec(4) { Peepholes = true }, new OutputSpec(outputs, LossKind.MeanSquaredError)]);

    // DL4J #24 (TestVariableLengthTS.testVariableLengthSimple). Exact: the masked last step's output gradient is 0,
    // which makes every term it would add to a sum an exact 0.
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(5)]
    public void LastLabelStepMasked_EqualsTheShorterSeries(int batch)
    {
        var five = new Problem<double>(GravesMse(2), steps: 5, batch)
        {
            LabelMask = Data.Mask(5, batch, new int[batch], Enumerable.Repeat(4, batch).ToArray()),
        };
        var four = new Problem<double>(GravesMse(2), steps: 4, batch)
        {
            Input = five.Input[..(4 * batch * 3)],
            Targets = five.Targets[..(4 * batch * 2)],
        };
        four.CopyParameters(five);
        var a = five.Run();
        var b = four.Run();
        Assert.AreEqual(b.Loss, a.Loss);
        Expect.Same<double>(b.Gradients, a.Gradients, "gradients");
    }

    // DL4J #25 (same test; TestMasking.testPerOutputMaskingMLN): random values at label-masked steps change nothing.
    [TestMethod]
    [DataRow(LossKind.CrossEntropy)]
    [DataRow(LossKind.MeanSquaredError)]
    [DataRow(LossKind.MeanAbsoluteError)]
    public void ValuesAtLabelMaskedSteps_ChangeNothing(LossKind loss)
    {
        var p = new Problem<float>(new NetworkSpec(3, [new LstmSpec(4), new OutputSpec(3, loss)]), steps: 5, batch: 3)
        {
            LabelMask = Data.MaskRows("00001", "10101", "01110"),
        };
        var before = p.Run();
        var rng = new Rng(9);
        for (int r = 0; r < p.LabelMask.Length; r++)
            if (p.LabelMask[r] == 0f)
            {
                p.Classes[r] = (p.Classes[r] + 1 + rng.NextInt(2)) % 3;
                for (int j = 0; j < 3; j++) p.Targets[r * 3 + j] = (float)rng.Uniform(-100, 100);
            }
        var after = p.Run();
        Assert.AreEqual(before.Loss, after.Loss);
        Expect.Same<float>(before.Gradients, after.Gradients, "gradients");
    }

    // DL4J #26 (TestVariableLengthTS.testInputMasking): dense → dense → LSTM → output (MAE), feature mask with the last
    // step 0 and no label mask. Adapted: our loss averages over present steps only, so it EQUALS the 4-step loss
    // (DL4J asserts it differs, because it divides by the number of sequences).
    [TestMethod]
    public void ValuesAtFeatureMaskedSteps_ChangeNothing_AndDenseOutputsThereAreZero()
    {
        const int T = 5, B = 3, I = 3;
        var spec = new NetworkSpec(I, [new DenseSpec(4, Activation.Tanh), new DenseSpec(4, Activation.Sigmoid), new LstmSpec(4),
            new OutputSpec(2, LossKind.MeanAbsoluteError)]);
        var p = new Problem<float>(spec, T, B) { Mask = Data.MaskRows("11110", "11110", "11110") };
        var before = p.Run();
        var rng = new Rng(3);
        for (int i = (T - 1) * B * I; i < p.Input.Length; i++) p.Input[i] = (float)rng.Uniform(-50, 50);
        var after = p.Run();
        Assert.AreEqual(before.Loss, after.Loss);
        Expect.Same<float>(before.Gradients, after.Gradients, "gradients");
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            Expect.Same<float>(before.LayerOutputs[l], after.LayerOutputs[l], $"layer {l} output");
            int width = p.Net.Layers[l].OutputSize;
            Expect.Zero<float>(after.LayerOutputs[l].AsSpan((T - 1) * B * width), $"layer {l} output at the masked step");
        }
        var four = new Problem<float>(spec, T - 1, B) { Input = p.Input[..((T - 1) * B * I)], Targets = p.Targets[..((T - 1) * B * 2)] };
        four.CopyParameters(p);
        Assert.AreEqual(four.Run().Loss, after.Loss, "loss of the unpadded 4-step series");
    }

    // DL4J #27 (TestVariableLengthTS.testOutputMaskingScoreMagnitudes): zero output weights and bias make y = 0, so the
    // loss is known in closed form. DL4J: per-sequence SUM over present steps, averaged over sequences. Ours: the MEAN
    // over present label steps of each step's mean squared error over outputs; a fully masked sequence adds nothing,
    // not even to the divisor.
    [TestMethod]
    [DataRow(3, 1, 1)]
    [DataRow(3, 2, 4)]
    [DataRow(10, 5, 1)]
    [DataRow(10, 2, 4)]
    public void Loss_IsTheMeanOverPresentLabelSteps(int steps, int outputs, int batch)
    {
        var p = new Problem<double>(GravesMse(outputs), steps, batch, seed: steps * outputs + batch);
        p.Zero("output.weight");
        p.Zero("output.bias");
        var rng = new Rng(steps + 7 * batch);
        p.LabelMask = new float[steps * batch];
        for (int r = 0; r < p.LabelMask.Length; r++) p.LabelMask[r] = rng.NextDouble() < 0.6 ? 1f : 0f;
        if (batch > 1) for (int t = 0; t < steps; t++) p.LabelMask[t * batch + 1] = 0f;   // a fully masked sequence
        p.LabelMask[0] = 1f;
        var result = p.Run();

        int count = 0;
        double sum = 0;
        var biasGradient = new double[outputs];
        for (int r = 0; r < steps * batch; r++)
        {
            if (p.LabelMask[r] == 0f) continue;
            count++;
            for (int j = 0; j < outputs; j++) sum += p.Targets[r * outputs + j] * p.Targets[r * outputs + j];
        }
        for (int r = 0; r < steps * batch; r++)
            if (p.LabelMask[r] != 0f)
                for (int j = 0; j < outputs; j++) biasGradient[j] += -2 * p.Targets[r * outputs + j] / (outputs * count);
        Assert.AreEqual(count, p.Workspace.LossCount);
        Assert.AreEqual(sum / (outputs * count), result.Loss, 1e-14);
        Expect.Close<double>(biasGradient, result.Gradient(p.Tensor("output.bias")), 1e-14, "output.bias gradient");
    }

    [TestMethod]
    public void CrossEntropyLoss_IsTheMeanOverPresentLabelSteps()
    {
        // Zero output weights: uniform probabilities, so every present step costs ln C and so does their mean.
        var p = new Problem<double>(new NetworkSpec(3, [new LstmSpec(4), new OutputSpec(5, LossKind.CrossEntropy)]), steps: 4, batch: 3)
        {
            LabelMask = Data.MaskRows("1001", "0000", "0111"),
        };
        p.Zero("output.weight");
        p.Zero("output.bias");
        Assert.AreEqual(Math.Log(5), p.Run().Loss, 1e-14);
        Assert.AreEqual(5, p.Workspace.LossCount);
    }

    [TestMethod]
    public void NoPresentLabelStep_GivesZeroLossAndZeroGradients()
    {
        var p = new Problem<double>(GravesMse(2), steps: 3, batch: 2) { LabelMask = new float[6] };
        var result = p.Run();
        Assert.AreEqual(0.0, result.Loss);
        Assert.AreEqual(0, p.Workspace.LossCount);
        Expect.Zero<double>(result.Gradients, "gradients");
    }

    [TestMethod]
    public void LabelOnAFeatureMaskedStep_IsRejected()
    {
        // A padded step has no prediction (its output is 0), so a label there is an error, not a silent zero.
        var p = new Problem<double>(GravesMse(2), steps: 3, batch: 2) { Mask = Data.MaskRows("110", "111"), LabelMask = Data.MaskRows("001", "001") };
        Assert.ThrowsExactly<ArgumentException>(() => p.Loss());
    }

    // DL4J #28 (TestVariableLengthTS.testOutputMasking), adapted: DL4J zeroes the output at LABEL-masked steps. Ours
    // zeroes every layer's output at FEATURE-masked steps, and the label mask only selects what the loss counts.
    [TestMethod]
    public void Outputs_AreZeroAtFeatureMaskedSteps_AndUntouchedByTheLabelMask()
    {
        var spec = new NetworkSpec(3, [new DenseSpec(4, Activation.Sigmoid), new LstmSpec(4) { Peepholes = true }, new SimpleRnnSpec(3),
            new BidirectionalSpec(new LstmSpec(3), MergeMode.Multiply), new DenseSpec(3, Activation.Softsign),
            new OutputSpec(3, LossKind.CrossEntropy)]);
        float[] features = Data.MaskRows("11100", "00111", "01010", "00000");
        var p = new Problem<float>(spec, steps: 5, batch: 4) { Mask = features };
        var unlabelled = p.Run();
        p.LabelMask = Data.MaskRows("00100", "00001", "01000", "00000");
        var labelled = p.Run();
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            int width = p.Net.Layers[l].OutputSize;
            for (int r = 0; r < features.Length; r++)
            {
                var row = labelled.LayerOutputs[l].AsSpan(r * width, width);
                if (features[r] == 0f) Expect.Zero<float>(row, $"layer {l}, masked row {r}");
                else Expect.NotAllZero<float>(row, $"layer {l}, present row {r}");
            }
            Expect.Same<float>(unlabelled.LayerOutputs[l], labelled.LayerOutputs[l], $"layer {l} with and without the label mask");
        }
    }
}
