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

    /// <summary>
    /// The masks compare integers without a branch; they equal the plain rule "drop when the next NextDouble is below p",
    /// drawn from the same seed, for probabilities on and off a power of two, and the vectorized apply multiplies each
    /// element, also in place, at lengths around the vector width.
    /// </summary>
    [TestMethod]
    public void MasksFollowTheNextDoubleRuleAndApplyMultipliesEachElement()
    {
        foreach (double p in new[] { 0.1, 0.25, 0.3, 1.0 / 3, 0.5, 0.999 })
        {
            var mask = new float[1000];
            Native.Training.Dropout.FillMask<float>(mask, p, new Rng(9));
            var rule = new Rng(9);
            float keep = (float)(1.0 / (1.0 - p));
            for (int i = 0; i < mask.Length; i++) Assert.AreEqual(rule.NextDouble() < p ? 0f : keep, mask[i], $"p = {p}, entry {i}");
        }
        var rng = new Rng(10);
        foreach (int n in Enumerable.Range(0, 40))
        {
            var x = Data.Uniform<float>(rng, n);
            var m = Data.Uniform<float>(rng, n);
            var y = new float[n];
            Native.Training.Dropout.Apply<float>(x, m, y);
            for (int i = 0; i < n; i++) Assert.AreEqual(x[i] * m[i], y[i], $"n = {n}, element {i}");
            Native.Training.Dropout.Apply<float>(x, m, x);
            CollectionAssert.AreEqual(y, x, $"in place, n = {n}");
        }
    }

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
