using Microsoft.ML.Recurrent.Model;
using Recurrent.Native.Inference;
using Recurrent.Native.Threading;

namespace Microsoft.ML.Recurrent.Prediction;

/// <summary>
/// Stateful prediction one or more steps at a time for many independent streams (DL4J's <c>rnnTimeStep</c>, done for
/// any number of streams): each stream, named by a key of your choice, keeps its recurrent state between calls. Create
/// it with <c>mlContext.Recurrent().CreateTimeStepEngine&lt;TInput, TOutput&gt;(model)</c>.
/// </summary>
/// <remarks>
/// <para>Feeding a stream its sequence in calls of any lengths gives, at every step, the output the model gives for that
/// step on the whole sequence (Score per step; for a many-to-one model, each step's score is the prediction the model
/// would make were the sequence to end there). For a one-to-many model, feed the input vector as the first step and
/// zeros after it.</para>
/// <para>Input: <typeparamref name="TInput"/> holds the model's feature column (by name or <c>[ColumnName]</c>) as
/// <c>float[]</c> of k × d values for k steps (or <c>uint[]</c> keys for a key-feature model). It is the column as the
/// model sees it: transforms that come before the model in a pipeline are not applied here.</para>
/// <para>Output: <typeparamref name="TOutput"/> may have <c>Score</c> (<c>float[]</c>, k × O; or <c>float</c> for one value)
/// and, for classification, <c>PredictedLabel</c> (<c>uint</c> key or <c>string</c> class name for one step; <c>uint[]</c>
/// or <c>string[]</c> per step).</para>
/// <para>Threads: one engine serves one thread at a time; an overlapping call throws <see cref="InvalidOperationException"/>.
/// Create one engine per thread. The engine works on a snapshot of the model's weights. After warm-up,
/// <see cref="Predict(TKey, TInput, TOutput)"/> allocates nothing when the output's arrays already have the right size.</para>
/// </remarks>
public sealed class TimeStepEngine<TKey, TInput, TOutput> : IDisposable
    where TKey : notnull where TInput : class where TOutput : class, new()
{
    private readonly StreamingPredictor<TKey, float> _streams;
    private readonly ColumnBinding<TInput, TOutput> _binding;
    private readonly WorkerPool? _pool;
    private float[] _features = [];
    private float[] _output = [];

    internal TimeStepEngine(LstmModel model, int threads, IEqualityComparer<TKey>? comparer)
    {
        Model = model;
        _binding = new ColumnBinding<TInput, TOutput>(model);
        if (threads != 1) _pool = new WorkerPool(threads == 0 ? Environment.ProcessorCount : threads);
        try { _streams = new StreamingPredictor<TKey, float>(model.Network, _pool, comparer); }
        catch (ArgumentException e) { _pool?.Dispose(); throw new ArgumentException(e.Message, "model", e); }
    }

    /// <summary>The model the engine runs.</summary>
    public LstmModel Model { get; }
    /// <summary>Number of streams.</summary>
    public int Count => _streams.Count;
    /// <summary>The stream keys.</summary>
    public IReadOnlyCollection<TKey> Streams => _streams.Keys;

    /// <summary>Adds a stream with a zero state.</summary>
    public void Add(TKey stream) => _streams.Add(stream);
    /// <summary>Removes a stream; false when there was none.</summary>
    public bool Remove(TKey stream) => _streams.Remove(stream);
    /// <summary>True when the stream exists.</summary>
    public bool Contains(TKey stream) => _streams.Contains(stream);
    /// <summary>Sets a stream's state back to zero (a new sequence starts).</summary>
    public void Reset(TKey stream) => _streams.Reset(stream);

    /// <summary>Feeds the stream the steps in <paramref name="input"/> and returns their outputs.</summary>
    /// <exception cref="KeyNotFoundException">No stream has this key (add it first).</exception>
    /// <exception cref="ArgumentException">The input does not hold whole steps of the model's feature count.</exception>
    public TOutput Predict(TKey stream, TInput input)
    {
        var output = new TOutput();
        Predict(stream, input, output);
        return output;
    }

    /// <summary>Feeds the stream the steps in <paramref name="input"/> and writes their outputs into <paramref name="output"/>.</summary>
    public void Predict(TKey stream, TInput input, TOutput output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var x = _binding.Features(input, ref _features);
        int d = Model.FeatureSize;
        if (x.IsEmpty || x.Length % d != 0)
            throw new ArgumentException($"Feature count mismatch: the model expects {d} features per step; the input holds {x.Length} values.", nameof(input));
        int steps = x.Length / d, n = steps * Model.OutputSize;
        if (_output.Length < n) _output = new float[Math.Max(n, 2 * _output.Length)];
        _streams.Predict(stream, x, _output.AsSpan(0, n));
        _binding.Write(output, _output.AsSpan(0, n), steps);
    }

    /// <summary>One step for each of several streams (any subset, in any order), batched into one run of the network.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, a key repeats, or an input is not exactly one step.</exception>
    public TOutput[] PredictMany(IReadOnlyList<TKey> streams, IReadOnlyList<TInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(inputs);
        if (streams.Count != inputs.Count) throw new ArgumentException($"{streams.Count} streams but {inputs.Count} inputs.", nameof(inputs));
        int d = Model.FeatureSize, o = Model.OutputSize, n = streams.Count;
        var x = new float[n * d];
        float[] buffer = [];
        for (int j = 0; j < n; j++)
        {
            var row = _binding.Features(inputs[j], ref buffer);
            if (row.Length != d) throw new ArgumentException($"Input {j} holds {row.Length} values; one step of {d} features is expected.", nameof(inputs));
            row.CopyTo(x.AsSpan(j * d));
        }
        var y = new float[n * o];
        _streams.PredictMany(streams.ToArray(), x, y);
        var outputs = new TOutput[n];
        for (int j = 0; j < n; j++)
        {
            outputs[j] = new TOutput();
            _binding.Write(outputs[j], y.AsSpan(j * o, o), 1);
        }
        return outputs;
    }

    /// <summary>The stream's state: per recurrent layer, h (and c for an LSTM), as copies.</summary>
    public LayerState<float>[] GetState(TKey stream) => _streams.GetState(stream);
    /// <summary>Replaces the stream's state (same layers and sizes as <see cref="GetState"/> returns).</summary>
    public void SetState(TKey stream, IReadOnlyList<LayerState<float>> state) => _streams.SetState(stream, state);
    /// <summary>The stream's state as bytes (versioned, tied to this model's weights; see docs/state-format.md).</summary>
    public byte[] ExportState(TKey stream) => _streams.ExportState(stream);
    /// <summary>Restores a state exported by an engine of the same model, in this process or another.</summary>
    /// <exception cref="InvalidDataException">The bytes are damaged or come from a different model.</exception>
    public void ImportState(TKey stream, ReadOnlySpan<byte> state) => _streams.ImportState(stream, state);

    /// <summary>Stops the engine's worker threads (when it was created with more than one).</summary>
    public void Dispose() => _pool?.Dispose();
}
