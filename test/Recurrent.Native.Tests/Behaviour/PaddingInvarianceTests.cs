using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Behaviour;

/// <summary>
/// Exact masking: what is in the padding, and where the padding is, never changes a present step's output, the loss or
/// a gradient — in unidirectional stacks and in both directions of bidirectional layers.
/// </summary>
[TestClass]
public sealed class PaddingInvarianceTests
{
    private const int I = 3, C = 3;

    // The recurrent layer comes first: a dense layer in front would hide the padded values behind its zeros.
    private static NetworkSpec Spec(bool bidirectional, LossKind loss) => bidirectional
        ? new(I, [new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Concat), new DenseSpec(4, Activation.Tanh),
            new BidirectionalSpec(new SimpleRnnSpec(3), MergeMode.Multiply), new OutputSpec(C, loss)])
        : new(I, [new LstmSpec(4) { Peepholes = true }, new DenseSpec(4, Activation.Tanh), new LstmSpec(3), new SimpleRnnSpec(3),
            new OutputSpec(C, loss)]);

    // Exact in float: a padded value only ever meets a multiplication by an exact 0 (masked gradients) or is cleared.
    [TestMethod]
    [DataRow(false, LossKind.CrossEntropy)]
    [DataRow(true, LossKind.CrossEntropy)]
    [DataRow(false, LossKind.MeanSquaredError)]
    [DataRow(true, LossKind.MeanAbsoluteError)]
    public void PaddedFeatureAndLabelValues_ChangeNothing(bool bidirectional, LossKind loss)
    {
        var p = new Problem<float>(Spec(bidirectional, loss), steps: 5, batch: 5)
        {
            Mask = Data.MaskRows("11100", "00111", "01110", "10101", "00000"),
        };
        var before = p.Run();
        var rng = new Rng(21);
        for (int r = 0; r < p.Mask.Length; r++)
        {
            if (p.Mask[r] != 0f) continue;
            for (int k = 0; k < I; k++) p.Input[r * I + k] = (float)rng.Uniform(-1e3, 1e3);
            for (int j = 0; j < C; j++) p.Targets[r * C + j] = (float)rng.Uniform(-1e3, 1e3);
            p.Classes[r] = rng.NextInt(C);
        }
        var after = p.Run();
        Assert.AreEqual(before.Loss, after.Loss);
        for (int l = 0; l < before.LayerOutputs.Length; l++) Expect.Same<float>(before.LayerOutputs[l], after.LayerOutputs[l], $"layer {l} output");
        Expect.Same<float>(before.Gradients, after.Gradients, "gradients");
    }

    /// <summary>
    /// Sequences of lengths 3, 5 and 2 (or the first alone) in T = 6, padded at the end, at the start, and on both
    /// sides. Present-step outputs of every layer are identical (each step does the same arithmetic). With B = 1, loss
    /// and gradients are identical too: only exact zeros move. With B > 1 the time-major rows of different sequences
    /// interleave differently, so the sums over rows in the loss and the weight gradients add the same terms in another
    /// order: they agree to rounding, asserted at 1e-12 in double.
    /// </summary>
    [TestMethod]
    [DataRow(false, 1)]
    [DataRow(true, 1)]
    [DataRow(false, 3)]
    [DataRow(true, 3)]
    public void MovingThePadding_ChangesNoPresentStep(bool bidirectional, int batch)
    {
        const int T = 6;
        int[] lengths = new[] { 3, 5, 2 }[..batch];
        int[][] layouts = [new int[batch], lengths.Select(n => T - n).ToArray(), lengths.Select((n, b) => (T - n) / 2 + b % 2).ToArray()];
        var spec = Spec(bidirectional, LossKind.CrossEntropy);
        var rng = new Rng(5);
        var inputs = lengths.Select(n => Data.Uniform<double>(rng, n * I)).ToArray();
        var classes = lengths.Select(n => Data.Classes(rng, n, C)).ToArray();

        Problem<double>? reference = null;
        Result<double>? expected = null;
        foreach (var starts in layouts)
        {
            var p = new Problem<double>(spec, T, batch)
            {
                Input = Data.Place(T, I, inputs, starts, _ => rng.Uniform(-1, 1)),
                Classes = Data.Place(T, 1, classes, starts, _ => rng.NextInt(C)),
                Mask = Data.Mask(T, batch, starts, starts.Select((s, b) => s + lengths[b]).ToArray()),
            };
            if (reference is null) reference = p; else p.CopyParameters(reference);
            var result = p.Run();
            expected ??= result;
            for (int l = 0; l < result.LayerOutputs.Length; l++)
            {
                int width = p.Net.Layers[l].OutputSize;
                for (int b = 0; b < batch; b++)
                    Expect.Same<double>(Data.Extract<double>(expected.LayerOutputs[l], batch, width, b, layouts[0][b], lengths[b]),
                        Data.Extract<double>(result.LayerOutputs[l], batch, width, b, starts[b], lengths[b]),
                        $"layer {l}, sequence {b}, starts [{string.Join(", ", starts)}]");
            }
            if (batch == 1)
            {
                Assert.AreEqual(expected.Loss, result.Loss);
                Expect.Same<double>(expected.Gradients, result.Gradients, "gradients");
            }
            else
            {
                Assert.AreEqual(expected.Loss, result.Loss, 1e-12);
                Expect.Close<double>(expected.Gradients, result.Gradients, 1e-12, "gradients");
            }
        }
    }
}
