using System.Diagnostics;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Training;

/// <summary>
/// Trains a <see cref="RecurrentNetwork{T}"/> on padded, masked minibatches: epochs, seeded shuffling, full BPTT or
/// truncated BPTT (windows of k1 steps, one update per window, state carried across windows without gradient, backward
/// length k2, state reset per minibatch), an optimizer with schedule and clipping, validation with early stopping, and
/// progress reports. The same seed gives bit-identical weights whatever <see cref="TrainerOptions.Threads"/> is.
/// After the first minibatch of a shape, a training step allocates nothing.
/// </summary>
public sealed class Trainer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentNetwork<T> _net;
    private readonly TrainerOptions _options;
    private readonly IOptimizer<T> _optimizer;
    private readonly WorkerPool _pool;
    private readonly Dictionary<int, RecurrentState<T>> _states = [];
    private readonly OptimizerStep _step = new();
    private NetworkWorkspace<T>? _ws;
    private int _updates, _epoch, _totalUpdates = 1;

    /// <summary>A trainer for <paramref name="network"/>; throws when an option is out of range or does not fit the network.</summary>
    public Trainer(RecurrentNetwork<T> network, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (network.OutputLayer is null) throw new ArgumentException("The network must end in an output layer to be trained.", nameof(network));
        if (options.TruncatedBpttForward > 0 && !network.Spec.IsCausal)
            throw new ArgumentException("Truncated BPTT cannot be used with a bidirectional layer (it needs the whole sequence).", nameof(options));
        _net = network;
        _options = options;
        _optimizer = options.Optimizer.Create<T>(network.Parameters.Length);
        _pool = new WorkerPool(options.Threads == 0 ? Environment.ProcessorCount : options.Threads);
    }

    /// <summary>Bytes allocated by the calling thread and this trainer's worker threads (see <see cref="WorkerPool"/>).</summary>
    internal long AllocatedBytes() => _pool.AllocatedBytes();

    /// <summary>Parameter updates made so far.</summary>
    public int Updates => _updates;

    /// <summary>Trains for <see cref="TrainerOptions.Epochs"/> epochs (or until early stopping or cancellation).</summary>
    /// <param name="train">Training data.</param>
    /// <param name="validation">Optional validation data (loss each epoch, early stopping, best weights).</param>
    /// <param name="progress">Called at every epoch end (and every <see cref="TrainerOptions.ReportEveryUpdates"/> updates).</param>
    /// <param name="cancellationToken">Checked between updates; cancellation throws <see cref="OperationCanceledException"/>
    /// and leaves the weights of the last completed update.</param>
    public TrainingResult Fit(IBatchSource<T> train, IBatchSource<T>? validation = null, Action<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckSource(train, nameof(train));
        if (validation is not null) CheckSource(validation, nameof(validation));
        var rng = new Rng(_options.Seed);
        var shuffle = rng.Fork();
        var batch = new SequenceBatch<T>(train.MaxLength, _options.BatchSize, train.FeatureSize, train.TargetSize, train.Classification);
        Workspace(Math.Max(train.MaxLength, validation?.MaxLength ?? 0)).SeedDropout((int)(rng.NextUInt64() >> 33));
        int batchesPerEpoch = train.Count < 0 ? 1 : (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        _totalUpdates = _options.Epochs * batchesPerEpoch * WindowsPer(train.MaxLength);

        var history = new List<TrainingProgress>();
        T[]? best = validation is not null && _options.RestoreBestWeights ? new T[_net.Parameters.Length] : null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false, timeUp = false;
        long computeTicks = 0;
        var clock = Stopwatch.StartNew();
        var limit = _options.MaximumDuration ?? TimeSpan.MaxValue;
        for (_epoch = 0; _epoch < _options.Epochs; _epoch++)
        {
            double lossSum = 0;
            long lossCount = 0, sequences = 0;
            var epochStart = clock.Elapsed;
            foreach (var b in train.Batches(batch, new BatchOrder(_options.Shuffle ? shuffle : null, _options.BucketByLength)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (clock.Elapsed >= limit) { timeUp = true; break; }
                long t0 = Stopwatch.GetTimestamp();
                var (loss, count) = TrainBatchCore(b, cancellationToken);
                computeTicks += Stopwatch.GetTimestamp() - t0;
                lossSum += loss * count;
                lossCount += count;
                sequences += b.Batch;
                if (_options.ReportEveryUpdates > 0 && _updates % _options.ReportEveryUpdates == 0)
                    progress?.Invoke(Report(false, lossSum, lossCount, sequences, epochStart, clock, null));
            }
            long v0 = Stopwatch.GetTimestamp();
            EvaluationSummary? val = validation is null ? null : Evaluate(validation);
            computeTicks += Stopwatch.GetTimestamp() - v0;
            var report = Report(true, lossSum, lossCount, sequences, epochStart, clock, val);
            history.Add(report);
            progress?.Invoke(report);
            if (val is not null && val.Loss < bestLoss)
            {
                bestLoss = val.Loss;
                bestEpoch = _epoch + 1;
                sinceBest = 0;
                if (best is not null) _net.Parameters.CopyTo(best, 0);
            }
            else if (val is not null && _options.Patience > 0 && ++sinceBest >= _options.Patience) stoppedEarly = true;
            if (stoppedEarly || timeUp)
            {
                stoppedEarly = true;
                _epoch++;
                break;
            }
        }
        if (best is not null && bestEpoch > 0) best.CopyTo(_net.Parameters, 0);
        return new TrainingResult(history.Count, _updates, bestEpoch, validation is null ? double.NaN : bestLoss, stoppedEarly, history)
        {
            ComputeTime = Stopwatch.GetElapsedTime(0, computeTicks),
            TotalTime = clock.Elapsed,
        };
    }

    /// <summary>Trains on one minibatch (all its truncated-BPTT windows); returns the mean loss over its present label steps.</summary>
    public double TrainBatch(SequenceBatch<T> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return TrainBatchCore(batch, default).Loss;
    }

    private (double Loss, long Count) TrainBatchCore(SequenceBatch<T> batch, CancellationToken ct)
    {
        CheckBatch(batch);
        var ws = Workspace(batch.Steps);
        int steps = batch.Steps, window = Window(steps), backward = _options.TruncatedBpttBackward > 0 ? _options.TruncatedBpttBackward : window;
        var state = window < steps ? State(batch.Batch) : null;
        state?.Reset();
        double sum = 0;
        long count = 0;
        for (int s = 0; s < steps; s += window)
        {
            if (s > 0) ct.ThrowIfCancellationRequested();
            int e = Math.Min(s + window, steps);
            _net.Forward(ws, batch.FeaturesOf(s, e), e - s, batch.Batch, batch.FeatureMaskOf(s, e), state, training: true);
            double loss = double.CreateTruncating(batch.Classification
                ? _net.Loss(ws, batch.ClassesOf(s, e), batch.LabelMaskOf(s, e))
                : _net.Loss(ws, batch.TargetsOf(s, e), batch.LabelMaskOf(s, e)));
            if (ws.LossCount == 0) continue; // a window without labels has no gradient: no update (DL4J would still step)
            _net.Backward(ws, backward);
            if (_options.ClipValue > 0) GradientClipping.ClipByValue<T>(ws.Gradients, _options.ClipValue);
            if (_options.ClipNorm > 0) GradientClipping.ClipByGlobalNorm<T>(ws.Gradients, _options.ClipNorm);
            _optimizer.BeginStep();
            _step.Set(_optimizer, _net.Parameters, ws.Gradients, _options.Schedule.Rate(_options.LearningRate, _updates, _epoch, _totalUpdates));
            Parallelism.Run(_pool, _step, 10L * _net.Parameters.Length);
            _updates++;
            sum += loss * ws.LossCount;
            count += ws.LossCount;
        }
        return (count > 0 ? sum / count : 0, count);
    }

    /// <summary>Mean loss and per-step accuracy over present label steps, in inference mode (windows of k1 steps with state carried).</summary>
    public EvaluationSummary Evaluate(IBatchSource<T> data)
    {
        CheckSource(data, nameof(data));
        var batch = new SequenceBatch<T>(data.MaxLength, _options.BatchSize, data.FeatureSize, data.TargetSize, data.Classification);
        var ws = Workspace(data.MaxLength);
        double sum = 0;
        long count = 0, correct = 0;
        foreach (var b in data.Batches(batch, BatchOrder.Sequential))
        {
            CheckBatch(b);
            int steps = b.Steps, window = Window(steps);
            var state = window < steps ? State(b.Batch) : null;
            state?.Reset();
            for (int s = 0; s < steps; s += window)
            {
                int e = Math.Min(s + window, steps);
                _net.Forward(ws, b.FeaturesOf(s, e), e - s, b.Batch, b.FeatureMaskOf(s, e), state);
                double loss = double.CreateTruncating(b.Classification
                    ? _net.Loss(ws, b.ClassesOf(s, e), b.LabelMaskOf(s, e))
                    : _net.Loss(ws, b.TargetsOf(s, e), b.LabelMaskOf(s, e)));
                sum += loss * ws.LossCount;
                count += ws.LossCount;
                if (b.Classification) correct += Correct(ws.Output, b.ClassesOf(s, e), b.LabelMaskOf(s, e), b.TargetSize);
            }
        }
        return new EvaluationSummary(count > 0 ? sum / count : double.NaN,
            data.Classification && count > 0 ? (double)correct / count : double.NaN, count);
    }

    private static long Correct(ReadOnlySpan<T> probabilities, ReadOnlySpan<int> classes, ReadOnlySpan<float> mask, int c)
    {
        long correct = 0;
        for (int r = 0; r < classes.Length; r++)
        {
            if (mask[r] == 0f) continue;
            var p = probabilities.Slice(r * c, c);
            int arg = 0;
            for (int j = 1; j < c; j++) if (p[j] > p[arg]) arg = j;
            if (arg == classes[r]) correct++;
        }
        return correct;
    }

    private TrainingProgress Report(bool epochEnd, double lossSum, long lossCount, long sequences, TimeSpan epochStart, Stopwatch clock,
        EvaluationSummary? val)
    {
        double seconds = (clock.Elapsed - epochStart).TotalSeconds;
        return new TrainingProgress(_epoch + 1, _updates, lossCount > 0 ? lossSum / lossCount : double.NaN, val?.Loss,
            val is { Accuracy: var a } && !double.IsNaN(a) ? a : null, seconds > 0 ? sequences / seconds : 0, clock.Elapsed, epochEnd);
    }

    private int Window(int steps) => _options.TruncatedBpttForward > 0 ? Math.Min(_options.TruncatedBpttForward, steps) : steps;
    private int WindowsPer(int steps) => (steps + Window(steps) - 1) / Window(steps);

    private NetworkWorkspace<T> Workspace(int maxLength)
    {
        int steps = Window(maxLength);
        if (_ws is null || _ws.MaxSteps < steps)
        {
            var old = _ws;
            _ws = _net.CreateWorkspace(Math.Max(steps, old?.MaxSteps ?? 0), _options.BatchSize, _pool);
        }
        return _ws;
    }

    private RecurrentState<T> State(int batch)
    {
        if (!_states.TryGetValue(batch, out var s)) _states[batch] = s = _net.CreateState(batch);
        return s;
    }

    private void CheckSource(IBatchSource<T> source, string name)
    {
        ArgumentNullException.ThrowIfNull(source, name);
        if (source.FeatureSize != _net.InputSize)
            throw new ArgumentException($"The data have {source.FeatureSize} features per step; the network takes {_net.InputSize}.", name);
        var output = _net.OutputLayer!;
        bool classification = output.Loss == LossKind.CrossEntropy;
        if (source.Classification != classification)
            throw new ArgumentException(classification ? "The network classifies but the data hold values." : "The network regresses but the data hold classes.", name);
        if (source.TargetSize != output.OutputSize)
            throw new ArgumentException($"The data have {source.TargetSize} {(classification ? "classes" : "targets")}; the output layer has {output.OutputSize}.", name);
    }

    private void CheckBatch(SequenceBatch<T> batch)
    {
        if (batch.FeatureSize != _net.InputSize) throw new ArgumentException($"Batch has {batch.FeatureSize} features; the network takes {_net.InputSize}.", nameof(batch));
        if (batch.Batch > _options.BatchSize) throw new ArgumentException($"Batch of {batch.Batch} exceeds BatchSize = {_options.BatchSize}.", nameof(batch));
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _pool.Dispose();

    /// <summary>One optimizer update, its elements split between the workers.</summary>
    private sealed class OptimizerStep : IParallelJob
    {
        private IOptimizer<T>? _optimizer;
        private T[] _parameters = [], _gradients = [];
        private double _rate;

        public void Set(IOptimizer<T> optimizer, T[] parameters, T[] gradients, double rate) =>
            (_optimizer, _parameters, _gradients, _rate) = (optimizer, parameters, gradients, rate);

        public void Execute(int worker, int workers)
        {
            var (start, end) = Split.Range(_parameters.Length, worker, workers);
            _optimizer!.Step(_parameters, _gradients, _rate, start, end);
        }
    }
}
