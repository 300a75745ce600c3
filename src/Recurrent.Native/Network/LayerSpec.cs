using System.Text.Json.Serialization;
using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;

namespace Recurrent.Native.Network;

/// <summary>A layer of a network, as configuration (serialisable, element-type free).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "layer")]
[JsonDerivedType(typeof(LstmSpec), "lstm")]
[JsonDerivedType(typeof(SimpleRnnSpec), "rnn")]
[JsonDerivedType(typeof(BidirectionalSpec), "bidirectional")]
[JsonDerivedType(typeof(DenseSpec), "dense")]
[JsonDerivedType(typeof(OutputSpec), "output")]
public abstract record LayerSpec
{
    /// <summary>
    /// Probability in [0, 1) of zeroing each input value of this layer during training (inverted dropout: kept values
    /// are scaled by 1 / (1 − p)); inactive at inference. Default 0.
    /// </summary>
    public double Dropout { get; init; }
}

/// <summary>A recurrent layer: <see cref="LstmSpec"/> or <see cref="SimpleRnnSpec"/>.</summary>
/// <param name="Hidden">Hidden units (H), positive.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "layer")]
[JsonDerivedType(typeof(LstmSpec), "lstm")]
[JsonDerivedType(typeof(SimpleRnnSpec), "rnn")]
public abstract record RecurrentSpec(int Hidden) : LayerSpec
{
    /// <summary>
    /// Variational (recurrent) dropout in [0, 1): during training, h(t−1) entering the recurrent product is multiplied by
    /// one dropout mask per sequence and unit, the same at every step of a call. Default 0.
    /// </summary>
    public double RecurrentDropout { get; init; }
}

/// <summary>An LSTM (PyTorch equations), or a Graves LSTM when <see cref="Peepholes"/> is set.</summary>
/// <param name="Hidden">Hidden units (H).</param>
public sealed record LstmSpec(int Hidden) : RecurrentSpec(Hidden)
{
    /// <summary>Graves peepholes (DL4J's GravesLSTM). Default false.</summary>
    public bool Peepholes { get; init; }
    /// <summary>Activation of the i, f, o gates: Sigmoid (default) or HardSigmoid.</summary>
    public Activation GateActivation { get; init; } = Activation.Sigmoid;
    /// <summary>Activation of the candidate and the cell output. Default Tanh.</summary>
    public Activation CellActivation { get; init; } = Activation.Tanh;
    /// <summary>Initial forget-gate bias. Default 1.</summary>
    public double ForgetBias { get; init; } = 1.0;
}

/// <summary>An Elman RNN (PyTorch's <c>nn.RNN</c>).</summary>
/// <param name="Hidden">Hidden units (H).</param>
public sealed record SimpleRnnSpec(int Hidden) : RecurrentSpec(Hidden)
{
    /// <summary>Tanh (default) or ReLU.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;
}

/// <summary>A recurrent layer run in both directions and merged.</summary>
/// <param name="Layer">The recurrent layer (both directions get their own weights).</param>
/// <param name="Merge">How the directions are merged. Default concat.</param>
public sealed record BidirectionalSpec(RecurrentSpec Layer, MergeMode Merge = MergeMode.Concat) : LayerSpec;

/// <summary>A dense layer applied at every step.</summary>
/// <param name="Units">Output features, positive.</param>
/// <param name="Activation">Its activation. Default identity.</param>
public sealed record DenseSpec(int Units, Activation Activation = Activation.Identity) : LayerSpec;

/// <summary>The RNN output layer; it must be last.</summary>
/// <param name="Size">Classes (cross-entropy) or output values (regression).</param>
/// <param name="Loss">The loss, which fixes the activation (softmax or identity).</param>
public sealed record OutputSpec(int Size, LossKind Loss) : LayerSpec;

/// <summary>A network: the input size and the stack of layers, e.g. dense → LSTM → LSTM → dense → output.</summary>
/// <param name="InputSize">Features per step (I), positive.</param>
/// <param name="Layers">The layers, first to last. An <see cref="OutputSpec"/> may only come last.</param>
public sealed record NetworkSpec(int InputSize, IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>Checks the stack and throws <see cref="ArgumentException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (InputSize <= 0) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "Must be positive.");
        if (Layers is null || Layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(Layers));
        for (int i = 0; i < Layers.Count; i++)
        {
            string where = $"Layers[{i}]";
            if (Layers[i] is null) throw new ArgumentNullException(where);
            if (!(Layers[i].Dropout >= 0 && Layers[i].Dropout < 1))
                throw new ArgumentOutOfRangeException($"{where}.Dropout", Layers[i].Dropout, "Must be in [0, 1).");
            var recurrent = Layers[i] as RecurrentSpec ?? (Layers[i] as BidirectionalSpec)?.Layer;
            if (recurrent is not null && !(recurrent.RecurrentDropout >= 0 && recurrent.RecurrentDropout < 1))
                throw new ArgumentOutOfRangeException($"{where}.RecurrentDropout", recurrent.RecurrentDropout, "Must be in [0, 1).");
            switch (Layers[i])
            {
                case OutputSpec o when i != Layers.Count - 1:
                    throw new ArgumentException($"{where}: the output layer must be the last layer.", nameof(Layers));
                case OutputSpec o when o.Size <= 0 || (o.Loss == LossKind.CrossEntropy && o.Size < 2):
                    throw new ArgumentOutOfRangeException(where, o.Size, o.Loss == LossKind.CrossEntropy ? "Classification needs at least 2 classes." : "Output size must be positive.");
                case DenseSpec d when d.Units <= 0:
                    throw new ArgumentOutOfRangeException(where, d.Units, "Units must be positive.");
                case RecurrentSpec r when r.Hidden <= 0:
                    throw new ArgumentOutOfRangeException(where, r.Hidden, "Hidden must be positive.");
                case BidirectionalSpec b when b.Layer is null || b.Layer.Hidden <= 0:
                    throw new ArgumentOutOfRangeException(where, "A bidirectional layer needs a recurrent layer with positive Hidden.");
                case LstmSpec l when l.GateActivation is not (Activation.Sigmoid or Activation.HardSigmoid):
                    throw new ArgumentOutOfRangeException(where, l.GateActivation, "LSTM gates must be Sigmoid or HardSigmoid (bounded to [0, 1]).");
                case SimpleRnnSpec s when s.Activation is not (Activation.Tanh or Activation.ReLU):
                    throw new ArgumentOutOfRangeException(where, s.Activation, "A simple RNN takes Tanh or ReLU.");
            }
        }
    }

    /// <summary>True when no layer is bidirectional, so the network can run step by step and under truncated BPTT.</summary>
    public bool IsCausal => Layers.All(l => l is not BidirectionalSpec);

    /// <summary>Same input size and the same layers in the same order.</summary>
    public bool Equals(NetworkSpec? other) =>
        other is not null && InputSize == other.InputSize && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc/>
    public override int GetHashCode() => Layers.Aggregate(InputSize, HashCode.Combine);
}
