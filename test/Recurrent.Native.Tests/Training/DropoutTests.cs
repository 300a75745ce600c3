using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Training;

[TestClass]
public sealed class DropoutTests
{
    public TestContext TestContext { get; set; } = null!;

    private static NetworkSpec Spec(double dropout, double recurrent) => new(3,
    [
        new LstmSpec(6) { Dropout = dropout, RecurrentDropout = recurrent },
        new SimpleRnnSpec(5) { Dropout = dropout, RecurrentDropout = recurrent },
        new DenseSpec(4, Native.Kernels.Activation.Tanh) { Dropout = dropout },
        new OutputSpec(3, LossKind.CrossEntropy) { Dropout = dropout },
    ]);

    [TestMethod]
    public void DropoutActsOnlyInTraining()
    {
        // DL4J testDropoutRecurrentLayers (#37): inference equals the same weights without dropout; training differs.
        var withDropout = new RecurrentNetwork<float>(Spec(0.5, 0.3), seed: 1);
        var without = new RecurrentNetwork<float>(Spec(0, 0), seed: 1);
        CollectionAssert.AreEqual(withDropout.Parameters, without.Parameters);
        var x = Data.Uniform<float>(new Rng(2), 5 * 4 * 3);
        var ws1 = withDropout.CreateWorkspace(5, 4);
        var ws2 = without.CreateWorkspace(5, 4);
        var inference = withDropout.Forward(ws1, x, 5, 4).ToArray();
        CollectionAssert.AreEqual(without.Forward(ws2, x, 5, 4).ToArray(), inference);
        var training = withDropout.Forward(ws1, x, 5, 4, training: true).ToArray();
        int differing = training.Where((v, i) => Math.Abs(v - inference[i]) > 1e-4).Count();
        Assert.IsGreaterThan(training.Length / 2, differing, "training outputs should differ from inference outputs almost everywhere");
    }

    [TestMethod]
    public void GradientsWithFixedDropoutMasksMatchFiniteDifferences()
    {
        var net = new RecurrentNetwork<double>(Spec(0.3, 0.3), seed: 3);
        var rng = new Rng(4);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] = rng.Uniform(-0.5, 0.5);
        int steps = 4, batch = 3;
        var x = Data.Uniform<double>(rng, steps * batch * 3);
        var classes = Data.Classes(rng, steps * batch, 3);
        var ws = net.CreateWorkspace(steps, batch);
        double Loss(NetworkWorkspace<double> w)
        {
            w.SeedDropout(7);                 // the same masks for every evaluation: a fixed, differentiable function
            net.Forward(w, x, steps, batch, training: true);
            return net.Loss(w, classes);
        }
        double worst = GradientCheck.MaxRelativeError(net, Loss, ws, report: s => TestContext.WriteLine(s));
        Assert.IsLessThan(1e-5, worst);
    }
}
