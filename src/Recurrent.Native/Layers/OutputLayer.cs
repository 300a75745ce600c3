using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Layers;

/// <summary>The loss an <see cref="OutputLayer{T}"/> is trained with; it fixes the output activation.</summary>
public enum LossKind
{
    /// <summary>Softmax outputs, cross-entropy against a class index per step (classification).</summary>
    CrossEntropy,
    /// <summary>Identity outputs, squared error averaged over the outputs (regression).</summary>
    MeanSquaredError,
    /// <summary>Identity outputs, absolute error averaged over the outputs (regression).</summary>
    MeanAbsoluteError,
}

/// <summary>
/// DL4J's RNN output layer: a dense layer at every step with softmax (classification) or identity (regression)
/// outputs, tensors <c>output.weight [O, I]</c> and <c>output.bias [O]</c>. Its outputs are probabilities (or values);
/// the logits are kept for an exact log-softmax in the loss.
/// </summary>
public sealed class OutputLayer<T> : DenseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    public OutputLayer(ParameterLayout layout, int inputSize, int outputSize, LossKind loss)
        : base(layout, "output", inputSize, outputSize, Activation.Identity)
    {
        if (loss == LossKind.CrossEntropy && outputSize < 2)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "Classification needs at least 2 classes.");
        Loss = loss;
    }

    /// <summary>The loss, which fixes the activation (softmax for cross-entropy, identity otherwise).</summary>
    public LossKind Loss { get; }

    internal override LayerCache CreateCache(int maxSteps, int maxBatch) => new OutputCache(this, maxSteps, maxBatch);

    /// <summary>The logits of the last forward pass, <c>[T·B, O]</c> (softmax outputs only).</summary>
    internal static Span<T> Logits(LayerPass<T> pass) => ((OutputCache)pass.Cache).Logits.AsSpan();

    private protected override void ActivateRow(DenseCache c, int row, Span<T> y)
    {
        if (Loss != LossKind.CrossEntropy) return;
        y.CopyTo(((OutputCache)c).Logits.AsSpan(row * OutputSize, OutputSize));
        Softmax.Forward<T>(y, y);
    }

    private protected override void BackpropRow(DenseCache c, LayerPass<T> pass, int row, ReadOnlySpan<T> y, Span<T> dy)
    {
        if (Loss != LossKind.CrossEntropy || ((OutputCache)c).GradientIsForLogits) return;
        Softmax.Backward<T>(y, dy, dy);
    }

    /// <summary>Declares that the next backward's output gradient is already dL/dlogits (the fused softmax + cross-entropy).</summary>
    internal static void SetGradientIsForLogits(LayerPass<T> pass, bool value) => ((OutputCache)pass.Cache).GradientIsForLogits = value;

    private sealed class OutputCache : DenseCache
    {
        public OutputCache(OutputLayer<T> layer, int maxSteps, int maxBatch) : base(layer, maxSteps, maxBatch)
        {
            Logits = new T[checked(maxSteps * maxBatch * layer.OutputSize)];
        }
        public readonly T[] Logits;
        public bool GradientIsForLogits;
    }
}
