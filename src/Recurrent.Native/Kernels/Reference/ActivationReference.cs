namespace Recurrent.Native.Kernels.Reference;

/// <summary>
/// Scalar twin of the activation operator structs (<c>ActivationOps.cs</c>), in double: the oracle the kernel tests
/// compare against. The derivative takes the output y = f(x), as the backward passes do.
/// </summary>
internal static class ActivationReference
{
    /// <summary>y = f(x).</summary>
    public static double Forward(Activation f, double x) => f switch
    {
        Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-x)),
        Activation.HardSigmoid => Math.Clamp(0.2 * x + 0.5, 0.0, 1.0),
        Activation.Tanh => Math.Tanh(x),
        Activation.Softsign => x / (1.0 + Math.Abs(x)),
        Activation.ReLU => x > 0.0 ? x : 0.0,
        Activation.Identity => x,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown activation."),
    };

    /// <summary>f'(x) written through y = f(x).</summary>
    public static double Derivative(Activation f, double y) => f switch
    {
        Activation.Sigmoid => y * (1.0 - y),                        // σ' = σ (1 − σ)
        Activation.HardSigmoid => y > 0.0 && y < 1.0 ? 0.2 : 0.0,   // slope inside the clamp, 0 outside
        Activation.Tanh => 1.0 - y * y,                             // tanh' = 1 − tanh²
        Activation.Softsign => (1.0 - Math.Abs(y)) * (1.0 - Math.Abs(y)), // 1 / (1 + |x|)² = (1 − |y|)²
        Activation.ReLU => y > 0.0 ? 1.0 : 0.0,
        Activation.Identity => 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Unknown activation."),
    };
}
