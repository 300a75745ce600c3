using Recurrent.Native.Tensors;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Training data read anew from the <see cref="IDataView"/> every epoch, for data larger than memory
/// (<see cref="LstmOptions.LoadDataIntoMemory"/> = false): only a window of sequences is held at a time, shuffled and
/// bucketed within the window. A first pass at construction checks every row and finds the count and the longest
/// sequence (the buffers' size).
/// </summary>
internal sealed class StreamedRows : IBatchSource<float>
{
    private readonly IDataView _data;
    private readonly ColumnPlan _plan;
    private readonly int _window;
    private readonly CancellationToken _cancel;
    private readonly SequenceDataset<float> _buffer;

    public StreamedRows(IDataView data, ColumnPlan plan, int window, string role, CancellationToken cancel)
    {
        _data = data;
        _plan = plan;
        _window = window;
        _cancel = cancel;
        _buffer = SequenceRows.NewDataset(plan);
        using var reader = new SequenceRows.RowReader(data, plan, cancel);
        while (reader.ReadInto(_buffer))
        {
            MaxLength = Math.Max(MaxLength, _buffer.MaxLength);
            _buffer.Clear();
        }
        Count = checked((int)reader.Rows);
        if (Count == 0) throw new InvalidOperationException($"The {role} data have no rows.");
    }

    public int FeatureSize => _plan.FeatureSize;
    public int TargetSize => _plan.Outputs;
    public bool Classification => _plan.Task == RecurrentTask.Classification;
    public int MaxLength { get; }
    public int Count { get; }

    public IEnumerable<SequenceBatch<float>> Batches(SequenceBatch<float> batch, BatchOrder order)
    {
        using var reader = new SequenceRows.RowReader(_data, _plan, _cancel);
        while (true)
        {
            _buffer.Clear();
            while (_buffer.Count < _window && reader.ReadInto(_buffer)) { }
            if (_buffer.Count == 0) yield break;
            foreach (var b in _buffer.Batches(batch, order)) yield return b;
            if (_buffer.Count < _window) yield break;
        }
    }
}
