using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>Central finite differences in double against the analytic gradients of the production code.</summary>
internal static class GradientCheck
{
    /// <summary>The relative error every check must stay below.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>
    /// Compares every parameter's analytic gradient a with n = (L(θ+ε) − L(θ−ε)) / 2ε and returns the worst relative
    /// error |a − n| / max(|a|, |n|, <paramref name="scaleFloor"/>) (the floor keeps gradients that are zero in exact
    /// arithmetic from dividing rounding noise by ~0).
    /// </summary>
    /// <remarks>
    /// ε = 1e-5 balances the two errors of n for losses of order 1: rounding, about 1e-16 / ε = 1e-11, and truncation,
    /// about ε² L''' / 6 ≈ 1e-11. With ε = 1e-6 rounding alone reached 2e-10, i.e. 2e-6 against the 1e-4 floor, too
    /// close to the 1e-5 tolerance; with 1e-5 the worst error of the suite is about 3e-7.
    /// </remarks>
    public static double MaxRelativeError(RecurrentNetwork<double> net, Func<NetworkWorkspace<double>, double> loss,
        NetworkWorkspace<double> ws, int backwardSteps = int.MaxValue, double eps = 1e-5, double scaleFloor = 1e-4,
        Action<string>? report = null)
    {
        loss(ws);
        net.Backward(ws, backwardSteps);
        var analytic = (double[])ws.Gradients.Clone();
        return MaxRelativeError(net, loss, ws, analytic, eps, scaleFloor, report);
    }

    /// <summary>As above, against given analytic gradients.</summary>
    public static double MaxRelativeError(RecurrentNetwork<double> net, Func<NetworkWorkspace<double>, double> loss,
        NetworkWorkspace<double> ws, double[] analytic, double eps = 1e-5, double scaleFloor = 1e-4, Action<string>? report = null)
    {
        var p = net.Parameters;
        double worst = 0;
        foreach (var tensor in net.Layout.Tensors)
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                double keep = p[i];
                p[i] = keep + eps; double up = loss(ws);
                p[i] = keep - eps; double down = loss(ws);
                p[i] = keep;
                double numeric = (up - down) / (2 * eps), a = analytic[i];
                double rel = Math.Abs(a - numeric) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric)), scaleFloor);
                if (rel > worst)
                {
                    worst = rel;
                    report?.Invoke($"{tensor.Name}[{i - tensor.Offset}]: analytic {a:G10}, numeric {numeric:G10}, rel {rel:E2}");
                }
            }
        return worst;
    }

    /// <summary>
    /// Checks every gradient of <paramref name="problem"/>'s loss below <see cref="Tolerance"/>, and that every tensor got
    /// a gradient that is not zero (a check of zeros against zeros proves nothing) — except the tensors named by
    /// <paramref name="zeroExpected"/>, whose gradients must then be exactly 0 (e.g. <c>weight_hh</c> when T = 1 from a
    /// zero state).
    /// </summary>
    public static void AssertPasses(Problem<double> problem, TestContext context, Func<string, bool>? zeroExpected = null) =>
        AssertPasses(problem.Net, problem.Workspace, w => problem.Loss(w), () => problem.Net.Backward(problem.Workspace), context, zeroExpected);

    /// <summary>As above for any loss of the network's forward and the backward that is meant to differentiate it.</summary>
    public static void AssertPasses(RecurrentNetwork<double> net, NetworkWorkspace<double> ws, Func<NetworkWorkspace<double>, double> loss,
        Action backward, TestContext context, Func<string, bool>? zeroExpected = null)
    {
        loss(ws);
        backward();
        var analytic = (double[])ws.Gradients.Clone();
        foreach (var tensor in net.Layout.Tensors)
        {
            if (zeroExpected?.Invoke(tensor.Name) == true)
            {
                Expect.Zero<double>(analytic.AsSpan(tensor.Offset, tensor.Length), tensor.Name);
                continue;
            }
            double largest = 0;
            foreach (double g in analytic.AsSpan(tensor.Offset, tensor.Length)) largest = Math.Max(largest, Math.Abs(g));
            Assert.IsGreaterThan(1e-7, largest, $"Every gradient of {tensor.Name} is (nearly) zero: the check would prove nothing.");
        }
        double worst = MaxRelativeError(net, loss, ws, analytic, report: s => context.WriteLine(s));
        context.WriteLine($"worst relative error {worst:E2} over {analytic.Length} parameters");
        Assert.IsLessThan(Tolerance, worst, $"Worst relative error {worst:E2}; see the test output for the parameter.");
    }

    /// <summary>
    /// For problems with ReLU, hard sigmoid or MAE: asserts no argument came within <paramref name="minMargin"/> of a
    /// kink (a ±1e-5 perturbation of one parameter moves arguments far less) and, when <paramref name="needFlat"/>, that
    /// both the flat and the sloped pieces were used.
    /// </summary>
    public static void AssertAwayFromKinks(Problem<double> problem, TestContext context, bool needFlat = true, double minMargin = 1e-3)
    {
        problem.Forward();
        var k = Kinks.Measure(problem);
        context.WriteLine($"kink margin {k.Margin:E2}, flat {k.Flat}, sloped {k.Sloped}");
        Assert.IsGreaterThan(minMargin, k.Margin, "An argument lies too close to a kink for central differences.");
        Assert.IsGreaterThan(0, k.Sloped, "No argument on a sloped piece.");
        if (needFlat) Assert.IsGreaterThan(0, k.Flat, "No argument on a flat piece: the zero-derivative branch went untested.");
    }
}
