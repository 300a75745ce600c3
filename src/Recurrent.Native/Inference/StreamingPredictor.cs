using System.Diagnostics.CodeAnalysis;
using Recurrent.Native.Network;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Inference;

/// <summary>
/// Step-by-step prediction for many independent streams sharing one set of weights (DL4J's <c>rnnTimeStep</c>, for any
/// number of streams at once). Each stream is named by a key of your choice and carries its own recurrent state (h, and c
/// for an LSTM, per recurrent layer) from one call to the next; streams are added and removed at any time.
/// </summary>
/// <remarks>
/// <para><b>Equality.</b> Feeding a stream its series in calls of any lengths gives, at every step, the output of
/// <see cref="RecurrentNetwork{T}.Forward"/> on the whole series from a zero state (inference mode: no dropout).</para>
/// <para><b>Batching.</b> A call may carry steps for any subset of the streams, in any order. The streams become the rows
/// of one batch, the network runs once, and its recurrent layers read and write each stream's state where the stream
/// keeps it (nothing is gathered before or scattered after). There is no fixed batch size and nothing to clear when the
/// number of streams changes.</para>
/// <para><b>Weights.</b> The engine takes a snapshot (a copy) of the network's weights when it is created and packs it
/// once. Training or loading the network afterwards does not reach the engine: create a new engine to use new weights.</para>
/// <para><b>Memory.</b> Buffers are sized by the first calls and grow only when a call carries more streams (or, up to
/// 256 rows per network run, more steps) than any call before; stream states live in one pooled slab whose slots are
/// reused after <see cref="Remove"/>. After warm-up a call allocates nothing, provided the keys' equality comparer
/// allocates nothing (int, string, or a struct implementing <see cref="IEquatable{T}"/>).</para>
/// <para><b>Threads.</b> One engine serves one thread at a time: a call that starts while another call on the same
/// engine is running throws <see cref="InvalidOperationException"/>. To serve streams from several threads, create one
/// engine per thread, each with its own <see cref="WorkerPool"/> if it uses one.</para>
/// </remarks>
/// <typeparam name="TKey">The stream key.</typeparam>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class StreamingPredictor<TKey, T> where TKey : notnull where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows (steps × streams) beyond which a long call is run in several pieces, to bound the buffers.</summary>
    private const int RowsPerRun = 256;

    private readonly RecurrentNetwork<T> _network;
    private readonly WorkerPool _pool;
    private readonly StateLayout _layout;
    private readonly StreamTable<TKey, T> _streams;
    private NetworkWorkspace<T>? _workspace;
    private int[] _slots = [];
    private byte[]? _fingerprint;
    private int _busy;

    /// <summary>Creates an engine with no streams over a snapshot of <paramref name="network"/>'s weights.</summary>
    /// <param name="network">A network without bidirectional layers.</param>
    /// <param name="pool">Workers for large calls (owned by the caller, used by one engine at a time); default: the calling thread only.</param>
    /// <param name="comparer">Equality of stream keys; default <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentException">The network has a bidirectional layer, which needs the whole sequence.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public StreamingPredictor(RecurrentNetwork<T> network, WorkerPool? pool = null, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Step-by-step prediction computes in float or double, not {typeof(T).Name}.");
        for (int l = 0; l < network.Spec.Layers.Count; l++)
            if (network.Spec.Layers[l] is BidirectionalSpec)
                throw new ArgumentException(
                    $"Layer {l} is bidirectional: its backward direction starts from the last step of the sequence, so it needs the " +
                    "whole sequence and the network cannot predict step by step. Run whole sequences through RecurrentNetwork.Forward, " +
                    "or use unidirectional recurrent layers.", nameof(network));
        _network = network.Clone();
        _pool = pool ?? WorkerPool.Single;
        _layout = StateLayout.Of(_network);
        _streams = new StreamTable<TKey, T>(_layout, comparer);
    }

    /// <summary>The architecture of the model.</summary>
    public NetworkSpec Spec => _network.Spec;
    /// <summary>Features per step going in (I).</summary>
    public int InputSize => _network.InputSize;
    /// <summary>Values per step coming out (O).</summary>
    public int OutputSize => _network.OutputSize;
    /// <summary>Number of streams.</summary>
    public int Count => _streams.Count;
    /// <summary>The keys of the streams (a live view; do not enumerate it while a call runs).</summary>
    public IReadOnlyCollection<TKey> Keys => _streams.Keys;

    /// <summary>Adds a stream with a zero state.</summary>
    /// <exception cref="ArgumentException">A stream with this key exists.</exception>
    public void Add(TKey key)
    {
        Enter();
        try { _streams.Add(key); }
        finally { Exit(); }
    }

    /// <summary>Removes a stream and recycles its state storage. Returns false when there is no such stream.</summary>
    public bool Remove(TKey key)
    {
        Enter();
        try { return _streams.Remove(key); }
        finally { Exit(); }
    }

    /// <summary>True when a stream has this key.</summary>
    public bool Contains(TKey key)
    {
        Enter();
        try { return _streams.Contains(key); }
        finally { Exit(); }
    }

    /// <summary>Sets the state of a stream to zero, as if it had just been added.</summary>
    /// <exception cref="KeyNotFoundException">No stream has this key.</exception>
    public void Reset(TKey key)
    {
        Enter();
        try { _streams.Block(key).Clear(); }
        finally { Exit(); }
    }

    /// <summary>
    /// Feeds one stream <c>k ≥ 1</c> steps, <paramref name="input"/> <c>[k, I]</c>, and writes the outputs of those steps,
    /// <paramref name="output"/> <c>[k, O]</c>; the stream's state moves on by k steps. Nothing changes when it throws.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No stream has this key.</exception>
    /// <exception cref="ArgumentException">The input is not a whole number of steps of I features, or the output length is not k × O.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An input value is not finite.</exception>
    public void Predict(TKey key, ReadOnlySpan<T> input, Span<T> output)
    {
        Enter();
        try
        {
            if (input.IsEmpty || input.Length % InputSize != 0)
                throw new ArgumentException($"Feature count mismatch: the network expects {InputSize} features per step, but the input " +
                    $"holds {input.Length} values, which is not [k, {InputSize}] for any k ≥ 1.", nameof(input));
            int steps = input.Length / InputSize;
            CheckOutput(output.Length, steps, 1);
            Run(new ReadOnlySpan<TKey>(in key), steps, input, output);
        }
        finally { Exit(); }
    }

    /// <summary>As <see cref="Predict(TKey, ReadOnlySpan{T}, Span{T})"/>, returning a new output array <c>[k, O]</c>.</summary>
    public T[] Predict(TKey key, ReadOnlySpan<T> input)
    {
        var output = new T[input.Length / InputSize * OutputSize];
        Predict(key, input, output);
        return output;
    }

    /// <summary>
    /// Feeds one step to each stream of <paramref name="keys"/> (any subset, any order, no key twice): <paramref name="input"/>
    /// <c>[n, I]</c> with row j for <c>keys[j]</c>; writes <paramref name="output"/> <c>[n, O]</c> in the same order.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A key names no stream.</exception>
    /// <exception cref="ArgumentException">No keys, a key twice, or wrong input or output length.</exception>
    public void PredictMany(ReadOnlySpan<TKey> keys, ReadOnlySpan<T> input, Span<T> output) => PredictMany(keys, 1, input, output);

    /// <summary>
    /// Feeds <paramref name="steps"/> steps to each stream of <paramref name="keys"/> (any subset, any order, no key twice),
    /// time-major: <paramref name="input"/> <c>[steps, n, I]</c>, value <c>[t, j, i]</c> at <c>(t·n + j)·I + i</c> for
    /// <c>keys[j]</c>; writes <paramref name="output"/> <c>[steps, n, O]</c> in the same layout. Nothing changes when it throws.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A key names no stream.</exception>
    /// <exception cref="ArgumentException">No keys, a key twice, or wrong input or output length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> &lt; 1, or an input value is not finite.</exception>
    public void PredictMany(ReadOnlySpan<TKey> keys, int steps, ReadOnlySpan<T> input, Span<T> output)
    {
        Enter();
        try
        {
            if (keys.IsEmpty) throw new ArgumentException("A call needs at least one stream.", nameof(keys));
            ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
            long rows = (long)steps * keys.Length;
            if (input.Length != rows * InputSize)
            {
                string got = input.Length % rows == 0 ? $"{input.Length / rows} per step" : $"{input.Length} values in all";
                throw new ArgumentException($"Feature count mismatch: the network expects {InputSize} features per step, got {got} " +
                    $"({steps} step(s) × {keys.Length} stream(s) × {InputSize} features need {rows * InputSize} values).", nameof(input));
            }
            CheckOutput(output.Length, steps, keys.Length);
            Run(keys, steps, input, output);
        }
        finally { Exit(); }
    }

    /// <summary>Runs the network on the streams' state blocks in place, in pieces of at most the workspace's steps.</summary>
    private void Run(ReadOnlySpan<TKey> keys, int steps, ReadOnlySpan<T> input, Span<T> output)
    {
        int n = keys.Length, inRow = n * InputSize, outRow = n * OutputSize;
        CheckFinite(keys, input);
        EnsureCapacity(steps, n);
        var slots = _slots.AsSpan(0, n);
        _streams.Resolve(keys, slots);
        var state = _streams.Rows(slots);
        for (int t = 0; t < steps; t += _workspace.MaxSteps)
        {
            int s = Math.Min(_workspace.MaxSteps, steps - t);
            _network.ForwardRows(_workspace, input.Slice(t * inRow, s * inRow), s, n, default, state, training: false)
                .CopyTo(output.Slice(t * outRow, s * outRow));
        }
    }

    /// <summary>
    /// Makes the buffers hold <paramref name="streams"/> rows and, within <see cref="RowsPerRun"/>, <paramref name="steps"/>
    /// steps; grows geometrically, so a warmed-up engine never reallocates.
    /// </summary>
    [MemberNotNull(nameof(_workspace))]
    private void EnsureCapacity(int steps, int streams)
    {
        int batch = _workspace?.MaxBatch ?? 0, held = _workspace?.MaxSteps ?? 0;
        int newBatch = streams > batch ? Math.Max(streams, 2 * batch) : batch;
        int limit = Math.Max(1, RowsPerRun / newBatch);
        if (_workspace is not null && newBatch == batch && Math.Min(steps, limit) <= held) return;
        int newSteps = Math.Min(Math.Max(steps, 2 * held), limit);
        _workspace = _network.CreateWorkspace(newSteps, newBatch, _pool);
        _workspace.FreezeWeights();
        if (_slots.Length < newBatch) _slots = new int[newBatch];
    }

    /// <summary>Finds a value that is not finite before any work, naming the step (within this call) and the stream.</summary>
    private void CheckFinite(ReadOnlySpan<TKey> keys, ReadOnlySpan<T> input)
    {
        int i = Kernels.Elementwise.IndexOfNonFinite(input);
        if (i < 0) return;
        int row = i / InputSize;
        throw new ArgumentOutOfRangeException(nameof(input), input[i],
            $"Input value at step {row / keys.Length} of stream '{keys[row % keys.Length]}', feature {i % InputSize}, is not finite.");
    }

    private void CheckOutput(int length, int steps, int streams)
    {
        long needed = (long)steps * streams * OutputSize;
        if (length != needed)
            throw new ArgumentException($"The output holds {length} values; {steps} step(s) × {streams} stream(s) × {OutputSize} outputs need {needed}.", "output");
    }

    private void Enter()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException("Another call is running on this StreamingPredictor: an engine serves one thread at a time " +
                "(create one engine per thread).");
    }

    private void Exit() => Volatile.Write(ref _busy, 0);
}
