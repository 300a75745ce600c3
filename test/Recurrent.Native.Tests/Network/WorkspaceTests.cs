using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Network;

[TestClass]
public sealed class WorkspaceTests
{
    private static readonly NetworkSpec Spec = new(3, [new LstmSpec(5), new DenseSpec(4), new OutputSpec(2, LossKind.MeanSquaredError)]);

    [TestMethod]
    public void FrozenWeightsArePreparedOnceAndLaterChangesAreNotSeen()
    {
        var net = new RecurrentNetwork<float>(Spec, seed: 1);
        var x = Data.Uniform<float>(new Rng(1), 4 * 2 * 3);
        var frozen = net.CreateWorkspace(4, 2);
        frozen.FreezeWeights();
        var before = net.Forward(frozen, x, 4, 2).ToArray();
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] *= 0.5f;
        CollectionAssert.AreEqual(before, net.Forward(frozen, x, 4, 2).ToArray(), "a frozen workspace keeps the weights it prepared");
        var fresh = net.CreateWorkspace(4, 2);
        CollectionAssert.AreNotEqual(before, net.Forward(fresh, x, 4, 2).ToArray(), "a normal workspace sees every change");
        Assert.ThrowsExactly<InvalidOperationException>(() => net.Backward(frozen, new float[4 * 2 * 2]));
    }
}
