namespace Recurrent.Native.Inference;

/// <summary>Reading and writing a stream's state: as arrays per layer, and as bytes to store and restore later.</summary>
public sealed partial class StreamingPredictor<TKey, T>
{
    /// <summary>
    /// A copy of the stream's state, one entry per recurrent layer in network order: h (and c for an LSTM) at the last
    /// step fed so far, zeros for a new or reset stream.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No stream has this key.</exception>
    public LayerState<T>[] GetState(TKey key)
    {
        Enter();
        try
        {
            var block = _streams.Block(key);
            var state = new LayerState<T>[_layout.Entries.Length];
            for (int i = 0; i < state.Length; i++)
            {
                var e = _layout.Entries[i];
                var part = block.Slice(e.Offset, e.Length);
                state[i] = new LayerState<T>(e.Layer, part[..e.Hidden].ToArray(), e.HasCell ? part[e.Hidden..].ToArray() : null);
            }
            return state;
        }
        finally { Exit(); }
    }

    /// <summary>
    /// Replaces the stream's state; the next call continues from it. <paramref name="state"/> has the shape
    /// <see cref="GetState"/> returns: one entry per recurrent layer in network order, h of H values, c for an LSTM only.
    /// Everything is checked before anything is written.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No stream has this key.</exception>
    /// <exception cref="ArgumentException">The state does not have this model's shape, or holds a value that is not finite.</exception>
    public void SetState(TKey key, IReadOnlyList<LayerState<T>> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Enter();
        try
        {
            var block = _streams.Block(key);
            var entries = _layout.Entries;
            if (state.Count != entries.Length)
                throw new ArgumentException($"The model has {entries.Length} recurrent layer(s); the state has {state.Count} entries.", nameof(state));
            for (int i = 0; i < entries.Length; i++) Check(state[i], entries[i], i);
            for (int i = 0; i < entries.Length; i++)
            {
                var e = entries[i];
                state[i].Hidden.CopyTo(block.Slice(e.Offset, e.Hidden));
                state[i].Cell?.CopyTo(block.Slice(e.Offset + e.Hidden, e.Hidden));
            }
        }
        finally { Exit(); }
    }

    /// <summary>
    /// The stream's state as bytes (<c>docs/state-format.md</c>): versioned, checksummed, and tied to this model by a
    /// fingerprint of its architecture and weights, so that it can be stored and imported later, in another process, into
    /// an engine over the same model.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No stream has this key.</exception>
    public byte[] ExportState(TKey key)
    {
        Enter();
        try { return StateFormat.Write<T>(_layout, Fingerprint, _streams.Block(key)); }
        finally { Exit(); }
    }

    /// <summary>Replaces the stream's state with one from <see cref="ExportState"/>. Everything is checked before anything is written.</summary>
    /// <exception cref="KeyNotFoundException">No stream has this key.</exception>
    /// <exception cref="InvalidDataException">
    /// The bytes are truncated, corrupted, of another format version or element type, or come from a different model
    /// (architecture or weights); the message says which.
    /// </exception>
    public void ImportState(TKey key, ReadOnlySpan<byte> state)
    {
        Enter();
        try { StateFormat.Read(_layout, Fingerprint, state, _streams.Block(key)); }
        finally { Exit(); }
    }

    private byte[] Fingerprint => _fingerprint ??= ModelFingerprint.Compute(_network);

    private static void Check(LayerState<T> given, StateLayout.Entry e, int i)
    {
        string where = $"state[{i}]";
        if (given is null) throw new ArgumentNullException(where);
        if (given.Layer != e.Layer)
            throw new ArgumentException($"{where} is for layer {given.Layer}; the model's recurrent layer {i} is layer {e.Layer}.", where);
        if (given.Hidden.Length != e.Hidden)
            throw new ArgumentException($"{where} (layer {e.Layer}): h holds {given.Hidden.Length} values; the layer has H = {e.Hidden}.", where);
        if (given.Cell is null == e.HasCell)
            throw new ArgumentException(e.HasCell
                ? $"{where} (layer {e.Layer}): the layer is an LSTM, so the state needs c as well as h."
                : $"{where} (layer {e.Layer}): the layer is a simple RNN, which has no c.", where);
        CheckFinite(given.Hidden, where, "h");
        if (given.Cell is { } c) CheckFinite(c, where, "c");
    }

    private static void CheckFinite(T[] values, string where, string name)
    {
        for (int j = 0; j < values.Length; j++)
            if (!T.IsFinite(values[j])) throw new ArgumentException($"{where}: {name}[{j}] = {values[j]} is not finite.", where);
    }
}
