using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>The gradient check itself: it must fail on gradients that are slightly wrong, or it proves nothing.</summary>
[TestClass]
public sealed class GradientCheckSelfTests
{
    private static Problem<double> Small() =>
        new(new NetworkSpec(3, [new LstmSpec(3) { Peepholes = true }, new OutputSpec(2, LossKind.CrossEntropy)]), steps: 4, batch: 2);

    [TestMethod]
    public void GradientOffByOnePerMille_IsDetected()
    {
        var p = Small();
        p.Loss();
        p.Net.Backward(p.Workspace);
        var wrong = (double[])p.Workspace.Gradients.Clone();
        for (int i = 0; i < wrong.Length; i++) wrong[i] *= 1.001;
        double worst = GradientCheck.MaxRelativeError(p.Net, w => p.Loss(w), p.Workspace, wrong);
        Assert.IsGreaterThan(GradientCheck.Tolerance, worst);
    }

    [TestMethod]
    public void OneWrongParameterGradient_IsDetected()
    {
        var p = Small();
        p.Loss();
        p.Net.Backward(p.Workspace);
        var wrong = (double[])p.Workspace.Gradients.Clone();
        var peephole = p.Tensor("peephole_f_l0");
        wrong[peephole.Offset + 1] += 1e-6;   // far below anything a loss curve would show
        double worst = GradientCheck.MaxRelativeError(p.Net, w => p.Loss(w), p.Workspace, wrong);
        Assert.IsGreaterThan(GradientCheck.Tolerance, worst);
    }

    [TestMethod]
    public void TruncatedBackward_IsNotTheGradientOfTheFullLoss()
    {
        // Truncated BPTT (backward length 2 of 4) drops real terms: the check must see the difference.
        var p = Small();
        double worst = GradientCheck.MaxRelativeError(p.Net, w => p.Loss(w), p.Workspace, backwardSteps: 2);
        Assert.IsGreaterThan(GradientCheck.Tolerance, worst);
    }
}
