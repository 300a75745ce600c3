using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Behaviour;

/// <summary>Shapes of outputs, parameter tensors and gradients, including T = 1 and B = 1.</summary>
[TestClass]
public sealed class ShapeTests
{
    // DL4J #3 (GravesLSTMTest.testLSTMGravesForwardBasic): nIn = 13, H = 17; DL4J's [mb, nIn, T] is our [T, B, I].
    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(1, 10)]
    [DataRow(12, 1)]
    [DataRow(15, 10)]
    public void GravesLstm_OutputIsStepsByBatchByHidden(int steps, int batch)
    {
        var net = new RecurrentNetwork<float>(new NetworkSpec(13, [new LstmSpec(17) { Peepholes = true }]), seed: 1);
        var ws = net.CreateWorkspace(steps, batch);
        var y = net.Forward(ws, Data.Uniform<float>(new Rng(2), steps * batch * 13), steps, batch);
        Assert.AreEqual(steps * batch * 17, y.Length);
        Assert.AreEqual(steps * batch * 17, ws.LayerOutput(0).Length);
        foreach (float v in y) Assert.IsTrue(float.IsFinite(v) && Math.Abs(v) < 1f, $"output {v} outside (-1, 1)");
        Expect.NotAllZero(y, "output");
    }

    // DL4J #4 (GravesLSTMTest.testLSTMGravesBackwardBasic): mb ∈ {10, 1}, T ∈ {7, 1}, output gradient all ones.
    // Our tensors follow PyTorch (gate blocks stacked on rows) plus three per-unit peephole vectors.
    [TestMethod]
    [DataRow(7, 10)]
    [DataRow(1, 10)]
    [DataRow(7, 1)]
    [DataRow(1, 1)]
    public void GravesLstm_GradientsHavePyTorchShapes(int steps, int batch)
    {
        const int I = 13, H = 17;
        // A dense identity layer in front receives the LSTM's dL/dx, so its shape can be seen too.
        var net = new RecurrentNetwork<float>(new NetworkSpec(I, [new DenseSpec(I), new LstmSpec(H) { Peepholes = true }]), seed: 1);
        var ws = net.CreateWorkspace(steps, batch);
        net.Forward(ws, Data.Uniform<float>(new Rng(2), steps * batch * I), steps, batch);
        var ones = new float[steps * batch * H];
        Array.Fill(ones, 1f);
        net.Backward(ws, ones);

        var expected = new (string Name, int[] Shape)[]
        {
            ("dense0.weight", [I, I]), ("dense0.bias", [I]),
            ("weight_ih_l0", [4 * H, I]), ("weight_hh_l0", [4 * H, H]), ("bias_ih_l0", [4 * H]), ("bias_hh_l0", [4 * H]),
            ("peephole_i_l0", [H]), ("peephole_f_l0", [H]), ("peephole_o_l0", [H]),
        };
        Assert.HasCount(expected.Length, net.Layout.Tensors);
        for (int i = 0; i < expected.Length; i++)
        {
            var t = net.Layout.Tensors[i];
            Assert.AreEqual(expected[i].Name, t.Name);
            CollectionAssert.AreEqual(expected[i].Shape, t.Shape, t.Name);
        }
        Assert.HasCount(expected.Sum(e => e.Shape.Aggregate(1, (a, b) => a * b)), net.Parameters);
        Assert.HasCount(net.Parameters.Length, ws.Gradients);
        foreach (float g in ws.Gradients) Assert.IsTrue(float.IsFinite(g));
        foreach (var name in new[] { "weight_ih_l0", "bias_ih_l0", "peephole_o_l0", "dense0.weight" })
            Expect.NotAllZero<float>(net.Layout.Tensors.First(t => t.Name == name).Of(ws.Gradients.AsSpan()), name);
        // dL/dx of the LSTM, [T, B, I], as received by the layer below.
        Assert.AreEqual(steps * batch * I, ws.Passes[0].OutputGrad.Length);
    }
}
