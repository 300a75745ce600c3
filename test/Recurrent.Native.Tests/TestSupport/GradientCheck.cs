using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>Central finite differences in double against the analytic gradients of the production code.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// Compares every parameter's analytic gradient a with n = (L(θ+ε) − L(θ−ε)) / 2ε and returns the worst relative
    /// error |a − n| / max(|a|, |n|, <paramref name="scaleFloor"/>) (the floor keeps gradients that are zero in exact
    /// arithmetic from dividing rounding noise by ~0).
    /// </summary>
    public static double MaxRelativeError(RecurrentNetwork<double> net, Func<NetworkWorkspace<double>, double> loss,
        NetworkWorkspace<double> ws, int backwardSteps = int.MaxValue, double eps = 1e-6, double scaleFloor = 1e-4,
        Action<string>? report = null)
    {
        loss(ws);
        net.Backward(ws, backwardSteps);
        var analytic = (double[])ws.Gradients.Clone();
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
}
