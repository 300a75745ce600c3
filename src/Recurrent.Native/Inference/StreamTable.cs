using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Recurrent.Native.Inference;

/// <summary>
/// The streams of a <see cref="StreamingPredictor{TKey, T}"/>: a key → slot map and one pooled slab holding every
/// stream's state block (<see cref="StateLayout"/>) in its slot, which the network reads and writes in place
/// (<see cref="Rows"/>). Removed slots go to a free list and are reused by later streams; the slab only grows (doubling)
/// when more streams exist at once than ever before.
/// </summary>
internal sealed class StreamTable<TKey, T> : IStateSource<T> where TKey : notnull where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<TKey, int> _slots;
    private readonly StateLayout _layout;
    private T[] _values = [];      // [slot capacity, layout.Size]
    private long[] _claimed = [];  // per slot: the last call that used it (finds a stream named twice in one call)
    private int[] _free = [];      // free slots below _used
    private int[] _starts = [];    // [rows of the current call] where each row's block starts in _values
    private int _rows;
    private int _freeCount;
    private int _used;             // slots ever handed out
    private long _call;

    public StreamTable(StateLayout layout, IEqualityComparer<TKey>? comparer)
    {
        _layout = layout;
        _slots = new Dictionary<TKey, int>(comparer);
    }

    public int Count => _slots.Count;

    public IReadOnlyCollection<TKey> Keys => _slots.Keys;

    public bool Contains(TKey key) => _slots.ContainsKey(key);

    /// <summary>Adds a stream with a zero state.</summary>
    public void Add(TKey key)
    {
        if (_slots.ContainsKey(key)) throw new ArgumentException($"A stream with the key '{key}' already exists.", nameof(key));
        int slot = _freeCount > 0 ? _free[--_freeCount] : NewSlot();
        Block(slot).Clear();
        _slots.Add(key, slot);
    }

    /// <summary>Removes a stream; its slot returns to the pool. False when there is no such stream.</summary>
    public bool Remove(TKey key)
    {
        if (!_slots.Remove(key, out int slot)) return false;
        _free[_freeCount++] = slot;
        return true;
    }

    /// <summary>The state block of stream <paramref name="key"/>.</summary>
    public Span<T> Block(TKey key) => Block(Find(key));

    /// <summary>
    /// The slot of every key of one call, in order; throws for an unknown key or a key named twice (two rows of one call
    /// cannot both continue the same stream). Nothing is changed when it throws.
    /// </summary>
    public void Resolve(ReadOnlySpan<TKey> keys, Span<int> slots)
    {
        long call = ++_call;
        for (int i = 0; i < keys.Length; i++)
        {
            int slot = Find(keys[i]);
            if (_claimed[slot] == call)
                throw new ArgumentException($"The stream '{keys[i]}' appears more than once in the keys of one call (again at position {i}).", "keys");
            _claimed[slot] = call;
            slots[i] = slot;
        }
    }

    /// <summary>
    /// The state rows of one call, for the network to read and write in place: row b is the block of stream
    /// <paramref name="slots"/>[b]. Valid until the next call of this method or a new slot.
    /// </summary>
    public IStateSource<T> Rows(ReadOnlySpan<int> slots)
    {
        for (int b = 0; b < slots.Length; b++) _starts[b] = slots[b] * _layout.Size;
        _rows = slots.Length;
        return this;
    }

    StateRows<T> IStateSource<T>.For(int layer)
    {
        foreach (var e in _layout.Entries)
            if (e.Layer == layer) return new StateRows<T>(_values, _starts.AsMemory(0, _rows), e.Offset, e.Hidden);
        return default;
    }

    private int Find(TKey key) =>
        _slots.TryGetValue(key, out int slot) ? slot : throw new KeyNotFoundException($"There is no stream with the key '{key}'; add it first.");

    private Span<T> Block(int slot) => _values.AsSpan(slot * _layout.Size, _layout.Size);

    private int NewSlot()
    {
        if (_used == _claimed.Length)
        {
            int capacity = Math.Max(4, 2 * _claimed.Length);
            Array.Resize(ref _values, checked(capacity * _layout.Size));
            Array.Resize(ref _claimed, capacity);
            Array.Resize(ref _free, capacity);
            _starts = new int[capacity];
        }
        return _used++;
    }
}
