using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Recurrent.Native.Inference;

/// <summary>
/// Where each recurrent layer's state sits in one stream's block of <see cref="Size"/> values: the layers in network
/// order, each h <c>[H]</c> then, for an LSTM, c <c>[H]</c>. The byte format of a state uses the same order.
/// </summary>
internal sealed class StateLayout
{
    /// <summary>One recurrent layer's part of the block.</summary>
    /// <param name="Layer">Index in the network's layers.</param>
    /// <param name="Hidden">H.</param>
    /// <param name="HasCell">True for an LSTM (c follows h).</param>
    /// <param name="Offset">Where h starts in the block.</param>
    public readonly record struct Entry(int Layer, int Hidden, bool HasCell, int Offset)
    {
        /// <summary>Values of this layer: H, or 2H with a cell.</summary>
        public int Length => HasCell ? 2 * Hidden : Hidden;
    }

    private StateLayout(Entry[] entries, int size)
    {
        Entries = entries;
        Size = size;
    }

    /// <summary>The recurrent layers, in network order.</summary>
    public Entry[] Entries { get; }

    /// <summary>Values per stream.</summary>
    public int Size { get; }

    /// <summary>The layout of <paramref name="network"/>, which must have no bidirectional layer.</summary>
    public static StateLayout Of<T>(RecurrentNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entries = new List<Entry>();
        int size = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (network.Layers[l] is not RecurrentLayer<T> r) continue;
            entries.Add(new Entry(l, r.Hidden, r.HasCell, size));
            size = checked(size + r.StateSize);
        }
        return new StateLayout([.. entries], size);
    }
}
