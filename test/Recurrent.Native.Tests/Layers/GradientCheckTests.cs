using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

[TestClass]
public sealed class GradientCheckTests
{
    private const double Tolerance = 1e-5;

    public TestContext TestContext { get; set; } = null!;

    private double Check(NetworkSpec spec, int steps, int batch, float[]? mask = null, float[]? labelMask = null, int seed = 1,
        int backwardSteps = int.MaxValue)
    {
        var net = new RecurrentNetwork<double>(spec, seed);
        var rng = new Rng(seed + 100);
        // Random parameters everywhere, so that no term of the backward is multiplied by an initial zero.
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] = rng.Uniform(-0.5, 0.5);
        var ws = net.CreateWorkspace(steps, batch);
        var x = Data.Uniform<double>(rng, steps * batch * spec.InputSize);
        var output = (OutputSpec)spec.Layers[^1];
        int n = steps * batch;
        var classes = Data.Classes(rng, n, output.Size);
        var targets = Data.Uniform<double>(rng, n * output.Size);
        double Loss(NetworkWorkspace<double> w)
        {
            net.Forward(w, x, steps, batch, mask);
            return output.Loss == LossKind.CrossEntropy ? net.Loss(w, classes, labelMask) : net.Loss(w, targets, labelMask);
        }
        double worst = GradientCheck.MaxRelativeError(net, Loss, ws, backwardSteps, report: s => TestContext.WriteLine(s));
        TestContext.WriteLine($"worst relative error {worst:E2}");
        return worst;
    }

    [TestMethod]
    public void LstmStack_CrossEntropy()
    {
        var spec = new NetworkSpec(3, [new LstmSpec(5), new LstmSpec(4), new OutputSpec(3, LossKind.CrossEntropy)]);
        Assert.IsLessThan(Tolerance, Check(spec, steps: 4, batch: 3));
    }
}
