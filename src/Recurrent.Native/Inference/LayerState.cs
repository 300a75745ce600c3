namespace Recurrent.Native.Inference;

/// <summary>
/// The state one recurrent layer carries for one stream between calls: h <c>[H]</c> and, for an LSTM, c <c>[H]</c>
/// (a simple RNN has no cell). After a call these are the layer's h and c at the call's last step.
/// </summary>
public sealed class LayerState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the state of layer <paramref name="layer"/>.</summary>
    /// <param name="layer">Index of the layer in <see cref="Network.RecurrentNetwork{T}.Layers"/>.</param>
    /// <param name="hidden">h, one value per hidden unit.</param>
    /// <param name="cell">c, one value per hidden unit (LSTM), or null (simple RNN).</param>
    public LayerState(int layer, T[] hidden, T[]? cell = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Length == 0) throw new ArgumentException("h needs at least one hidden unit.", nameof(hidden));
        if (cell is not null && cell.Length != hidden.Length)
            throw new ArgumentException($"c holds {cell.Length} values but h holds {hidden.Length}; both have one per hidden unit.", nameof(cell));
        Layer = layer;
        Hidden = hidden;
        Cell = cell;
    }

    /// <summary>Index of the layer in <see cref="Network.RecurrentNetwork{T}.Layers"/> (dense and output layers count too).</summary>
    public int Layer { get; }

    /// <summary>h <c>[H]</c>.</summary>
    public T[] Hidden { get; }

    /// <summary>c <c>[H]</c> for an LSTM; null for a simple RNN.</summary>
    public T[]? Cell { get; }
}
