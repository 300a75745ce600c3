namespace Recurrent.Native.Kernels;

/// <summary>Elementwise activation functions. Each has a derivative that is computed from the output alone.</summary>
public enum Activation
{
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>clamp(0.2 x + 0.5, 0, 1), as in DL4J.</summary>
    HardSigmoid,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>x / (1 + |x|).</summary>
    Softsign,
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>x.</summary>
    Identity,
}
