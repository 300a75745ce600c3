using Recurrent.Native.Layers;

namespace Recurrent.Native.Network;

/// <summary>
/// The recurrent state carried between calls for B sequences: per unidirectional recurrent layer, h <c>[B, H]</c>
/// and, for an LSTM, c <c>[B, H]</c>. Layers without carried state (dense, output, bidirectional) have none.
/// </summary>
public sealed class RecurrentState<T> : IStateSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] _layers;   // per layer [B · StateSize]: h [B, H], then c [B, H] for an LSTM
    private readonly int[] _hidden;
    private readonly bool[] _cell;

    internal RecurrentState(RecurrentNetwork<T> network, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Must be positive.");
        Batch = batch;
        _layers = new T[]?[network.Layers.Count];
        _hidden = new int[network.Layers.Count];
        _cell = new bool[network.Layers.Count];
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = network.Layers[l];
            if (layer.StateSize == 0 || layer is Layers.BidirectionalLayer<T>) continue;
            var recurrent = (Layers.RecurrentLayer<T>)layer;
            _layers[l] = new T[checked(batch * layer.StateSize)];
            _hidden[l] = recurrent.Hidden;
            _cell[l] = recurrent.HasCell;
        }
    }

    /// <summary>Sequences (B).</summary>
    public int Batch { get; }

    /// <summary>Number of layers in the network (including those without state).</summary>
    public int LayerCount => _layers.Length;

    /// <summary>True when layer <paramref name="layer"/> carries state.</summary>
    public bool HasState(int layer) => _layers[layer] is not null;

    /// <summary>True when layer <paramref name="layer"/> carries a cell c beside h (LSTM).</summary>
    public bool HasCell(int layer) => _cell[layer];

    /// <summary>h of layer <paramref name="layer"/>, <c>[B, H]</c>.</summary>
    public Span<T> Hidden(int layer) => Array(layer).AsSpan(0, Batch * _hidden[layer]);

    /// <summary>c of layer <paramref name="layer"/>, <c>[B, H]</c> (LSTM only).</summary>
    public Span<T> Cell(int layer)
    {
        if (!HasCell(layer)) throw new InvalidOperationException($"Layer {layer} has no cell state.");
        return Array(layer).AsSpan(Batch * _hidden[layer], Batch * _hidden[layer]);
    }

    /// <summary>Hidden units of layer <paramref name="layer"/> (0 when it carries no state).</summary>
    public int HiddenSize(int layer) => _hidden[layer];

    /// <summary>Sets every state to zero.</summary>
    public void Reset()
    {
        for (int l = 0; l < _layers.Length; l++) Values(l).Span.Clear();
    }

    /// <summary>Sets the state of sequence <paramref name="row"/> to zero.</summary>
    public void Reset(int row)
    {
        if ((uint)row >= (uint)Batch) throw new ArgumentOutOfRangeException(nameof(row), row, $"Must be in [0, {Batch}).");
        for (int l = 0; l < _layers.Length; l++)
        {
            if (_layers[l] is not { } a) continue;
            int h = _hidden[l];
            a.AsSpan(row * h, h).Clear();
            if (HasCell(l)) a.AsSpan(Batch * h + row * h, h).Clear();
        }
    }

    /// <summary>Copies everything from <paramref name="other"/> (same network and batch).</summary>
    public void CopyFrom(RecurrentState<T> other)
    {
        if (other.Batch != Batch || other._layers.Length != _layers.Length)
            throw new ArgumentException("States belong to different networks or batch sizes.", nameof(other));
        for (int l = 0; l < _layers.Length; l++) other.Values(l).CopyTo(Values(l));
    }

    /// <summary>The state of layer <paramref name="layer"/> for the current batch, <c>[B·H h | B·H c]</c>, or empty.</summary>
    StateRows<T> IStateSource<T>.For(int layer) => new(Values(layer), _hidden[layer], Batch * _hidden[layer]);

    private Memory<T> Values(int layer) =>
        _layers[layer] is { } a ? a.AsMemory(0, Batch * _hidden[layer] * (_cell[layer] ? 2 : 1)) : default;

    private T[] Array(int layer) => _layers[layer] ?? throw new InvalidOperationException($"Layer {layer} carries no state.");
}

/// <summary>Where each layer's state rows are for one forward: a <see cref="RecurrentState{T}"/>, or the streaming engine's blocks.</summary>
internal interface IStateSource<T> where T : unmanaged
{
    /// <summary>The state rows of layer <paramref name="layer"/>; empty for a layer that carries no state.</summary>
    StateRows<T> For(int layer);
}
