using Recurrent.Native.Tensors;
using Recurrent.Native.Training;

namespace Recurrent.Native.Tests.Training;

/// <summary>Each optimizer, clipping rule and schedule against updates computed by hand (PyTorch's formulas).</summary>
[TestClass]
public sealed class OptimizerTests
{
    private static readonly double[] Theta0 = [0.5, -1.0, 2.0];
    private static readonly double[][] Grads = [[0.1, -0.2, 0.3], [0.4, 0.0, -0.5], [-0.3, 0.2, 0.1]];

    private static double[] Run(OptimizerSpec spec, double lr)
    {
        var opt = spec.Create<double>(3);
        var p = (double[])Theta0.Clone();
        foreach (var g in Grads) opt.Step(p, g, lr);
        return p;
    }

    private static void AssertClose(double[] expected, double[] actual, double tol = 1e-12)
    {
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], tol, $"element {i}");
    }

    [TestMethod]
    public void PlainSgdSubtractsRateTimesGradient()
    {
        var p = (double[])Theta0.Clone();
        foreach (var g in Grads) for (int i = 0; i < 3; i++) p[i] -= 0.1 * g[i];
        AssertClose(p, Run(new SgdSpec(Momentum: 0), 0.1));
    }

    [TestMethod]
    public void SgdMomentumAndNesterovFollowPyTorch()
    {
        foreach (bool nesterov in new[] { false, true })
        {
            var p = (double[])Theta0.Clone();
            var buf = new double[3];
            for (int k = 0; k < Grads.Length; k++)
                for (int i = 0; i < 3; i++)
                {
                    double g = Grads[k][i] + 0.01 * p[i];                 // L2 weight decay
                    buf[i] = k == 0 ? g : 0.9 * buf[i] + g;
                    p[i] -= 0.1 * (nesterov ? g + 0.9 * buf[i] : buf[i]);
                }
            AssertClose(p, Run(new SgdSpec(0.9, nesterov) { WeightDecay = 0.01 }, 0.1));
        }
    }

    [TestMethod]
    public void AdamAndAdamWFollowPyTorch()
    {
        foreach (bool decoupled in new[] { false, true })
        {
            var p = (double[])Theta0.Clone();
            double[] m = new double[3], v = new double[3];
            double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
            for (int k = 0; k < Grads.Length; k++)
                for (int i = 0; i < 3; i++)
                {
                    int t = k + 1;
                    double g = Grads[k][i];
                    if (decoupled) p[i] *= 1 - lr * wd; else g += wd * p[i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double mh = m[i] / (1 - Math.Pow(b1, t)), vh = v[i] / (1 - Math.Pow(b2, t));
                    p[i] -= lr * mh / (Math.Sqrt(vh) + eps);
                }
            AssertClose(p, Run(new AdamSpec(Decoupled: decoupled) { WeightDecay = wd }, lr), 1e-10);
        }
    }

    [TestMethod]
    public void RmsPropWithAndWithoutMomentumFollowsPyTorch()
    {
        foreach (double mu in new[] { 0.0, 0.5 })
        {
            var p = (double[])Theta0.Clone();
            double[] v = new double[3], buf = new double[3];
            for (int k = 0; k < Grads.Length; k++)
                for (int i = 0; i < 3; i++)
                {
                    double g = Grads[k][i];
                    v[i] = 0.99 * v[i] + 0.01 * g * g;
                    double s = g / (Math.Sqrt(v[i]) + 1e-8);
                    if (mu > 0) s = buf[i] = mu * buf[i] + s;
                    p[i] -= 0.01 * s;
                }
            AssertClose(p, Run(new RmsPropSpec(Momentum: mu), 0.01), 1e-10);
        }
    }

    [TestMethod]
    public void ClippingByGlobalNormScalesEveryGradient()
    {
        double[] g = [3, 4, 0];                                           // norm 5
        Assert.AreEqual(5.0, GradientClipping.ClipByGlobalNorm<double>(g, 1.0), 1e-12);
        AssertClose([0.6, 0.8, 0], g, 1e-6);
        double[] small = [0.3, 0.4];
        GradientClipping.ClipByGlobalNorm<double>(small, 1.0);
        AssertClose([0.3, 0.4], small);                                   // under the limit: untouched
    }

    /// <summary>
    /// The vectorized norm against a scalar double sum, at every length 0..70 (whole vectors and every tail) and one long
    /// buffer, float and double; and the scaling of a clipped buffer, element by element.
    /// </summary>
    [TestMethod]
    public void GlobalNormMatchesAScalarSumAndClippingScalesEveryElement()
    {
        var rng = new Rng(5);
        foreach (int n in Enumerable.Range(0, 71).Append(90_017))
        {
            var d = Enumerable.Range(0, n).Select(_ => rng.Uniform(-3, 3)).ToArray();
            var f = d.Select(v => (float)v).ToArray();
            double expectedD = Math.Sqrt(d.Sum(v => v * v)), expectedF = Math.Sqrt(f.Sum(v => (double)v * v));
            Assert.AreEqual(expectedD, GradientClipping.GlobalNorm<double>(d), 1e-12 * Math.Max(1, expectedD), $"double, n = {n}");
            Assert.AreEqual(expectedF, GradientClipping.GlobalNorm<float>(f), 1e-12 * Math.Max(1, expectedF), $"float, n = {n}");
            if (n == 0) continue;
            var clipped = (float[])f.Clone();
            double max = GradientClipping.GlobalNorm<float>(f) / 2;
            double norm = GradientClipping.ClipByGlobalNorm<float>(clipped, max);
            float scale = (float)(max / (norm + 1e-6));
            for (int i = 0; i < n; i++) Assert.AreEqual(f[i] * scale, clipped[i], $"clipped element {i} of {n}");
        }
    }

    [TestMethod]
    public void ClippingByValueClampsEachGradient()
    {
        float[] g = [-3f, 0.5f, 2f];
        GradientClipping.ClipByValue<float>(g, 1.0);
        CollectionAssert.AreEqual(new[] { -1f, 0.5f, 1f }, g);
    }

    [TestMethod]
    public void SchedulesGiveTheDocumentedRates()
    {
        var step = new LearningRateSchedule { Kind = ScheduleKind.Step, StepEpochs = 2, Gamma = 0.5 };
        Assert.AreEqual(1.0, step.Rate(1.0, 0, epoch: 1, totalUpdates: 100), 1e-12);
        Assert.AreEqual(0.5, step.Rate(1.0, 0, epoch: 2, totalUpdates: 100), 1e-12);
        Assert.AreEqual(0.25, step.Rate(1.0, 0, epoch: 5, totalUpdates: 100), 1e-12);

        var cosine = new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinimumRate = 0.1, WarmupUpdates = 10 };
        Assert.AreEqual(0.1, cosine.Rate(1.0, 0, 0, 110), 1e-12);         // warm-up: 1/10 of the base
        Assert.AreEqual(0.5, cosine.Rate(1.0, 4, 0, 110), 1e-12);
        Assert.AreEqual(1.0, cosine.Rate(1.0, 10, 0, 110), 1e-12);        // warm-up done, cosine starts at the base
        Assert.AreEqual(0.55, cosine.Rate(1.0, 60, 0, 110), 1e-12);       // half way: (1 + 0.1) / 2
        Assert.AreEqual(0.1, cosine.Rate(1.0, 110, 0, 110), 1e-12);       // end: the floor
    }

    [TestMethod]
    public void InvalidSettingsNameTheSettingAndRange()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdamSpec(Beta1: 1.0).Validate());
        Assert.AreEqual("Beta1", e.ParamName);
        StringAssert.Contains(e.Message, "[0, 1)");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SgdSpec(0, Nesterov: true).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LearningRateSchedule { Gamma = 0 }.Validate());
    }
}
