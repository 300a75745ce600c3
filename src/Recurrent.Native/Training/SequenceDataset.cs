using Recurrent.Native.Tensors;

namespace Recurrent.Native.Training;

/// <summary>A source of minibatches for one epoch at a time (in memory, or streamed from elsewhere).</summary>
public interface IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Features per step (I).</summary>
    int FeatureSize { get; }
    /// <summary>Classes, or values per step.</summary>
    int TargetSize { get; }
    /// <summary>Class-index targets (else values).</summary>
    bool Classification { get; }
    /// <summary>Longest sequence it can yield.</summary>
    int MaxLength { get; }
    /// <summary>Number of sequences, or −1 when unknown.</summary>
    int Count { get; }
    /// <summary>
    /// Fills <paramref name="batch"/> with each minibatch of one epoch in turn (at most <c>batch.MaxBatch</c> sequences),
    /// yielding after each. The batch object is reused: read it before advancing.
    /// </summary>
    IEnumerable<SequenceBatch<T>> Batches(SequenceBatch<T> batch, BatchOrder order);
}

/// <summary>How one epoch's batches are ordered.</summary>
/// <param name="Shuffle">Random stream for shuffling, or null to keep the stored order.</param>
/// <param name="BucketByLength">Group sequences of similar length into the same batch.</param>
public sealed record BatchOrder(Rng? Shuffle, bool BucketByLength)
{
    /// <summary>Stored order, no bucketing (evaluation).</summary>
    public static BatchOrder Sequential { get; } = new(null, false);
}

/// <summary>
/// Sequences held in memory: features <c>[L, I]</c> per sequence and a label per step (a class index, −1 for none; or
/// O values, NaN for none). Lengths may differ; batches are padded at the end and masked. With bucketing, shuffled
/// sequences are grouped by similar length so that padding does not dominate the work.
/// </summary>
public sealed class SequenceDataset<T> : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<T> _features = [];
    private readonly List<int> _classes = [];
    private readonly List<T> _targets = [];
    private readonly List<(int Offset, int Length)> _sequences = [];

    /// <summary>An empty data set.</summary>
    public SequenceDataset(int featureSize, int targetSize, bool classification)
    {
        if (featureSize <= 0) throw new ArgumentOutOfRangeException(nameof(featureSize), featureSize, "Must be positive.");
        if (targetSize <= 0 || (classification && targetSize < 2))
            throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, classification ? "Needs at least 2 classes." : "Must be positive.");
        FeatureSize = featureSize; TargetSize = targetSize; Classification = classification;
    }

    /// <inheritdoc/>
    public int FeatureSize { get; }
    /// <inheritdoc/>
    public int TargetSize { get; }
    /// <inheritdoc/>
    public bool Classification { get; }
    /// <inheritdoc/>
    public int MaxLength { get; private set; }
    /// <inheritdoc/>
    public int Count => _sequences.Count;

    /// <summary>Removes every sequence, keeping the storage for reuse.</summary>
    public void Clear()
    {
        _features.Clear();
        _classes.Clear();
        _targets.Clear();
        _sequences.Clear();
        MaxLength = 0;
    }

    /// <summary>Steps of sequence <paramref name="index"/>.</summary>
    public int Length(int index) => _sequences[index].Length;

    /// <summary>Adds a classified sequence: features <c>[L, I]</c> and a class per step (−1 = no label at that step).</summary>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<int> classes)
    {
        if (!Classification) throw new InvalidOperationException("This data set holds regression targets.");
        int length = CheckFeatures(features, classes.Length);
        for (int t = 0; t < length; t++)
            if (classes[t] < -1 || classes[t] >= TargetSize)
                throw new ArgumentOutOfRangeException(nameof(classes), classes[t], $"Sequence {Count}, step {t}: class must be in [0, {TargetSize}) or −1 for none.");
        Append(features, length);
        foreach (int c in classes) _classes.Add(c);
    }

    /// <summary>Adds a regression sequence: features <c>[L, I]</c> and values <c>[L, O]</c> (a step whose values are all NaN has no label).</summary>
    public void Add(ReadOnlySpan<T> features, ReadOnlySpan<T> targets)
    {
        if (Classification) throw new InvalidOperationException("This data set holds class targets.");
        if (targets.Length % TargetSize != 0)
            throw new ArgumentException($"Sequence {Count}: {targets.Length} target values is not a multiple of {TargetSize}.", nameof(targets));
        int length = CheckFeatures(features, targets.Length / TargetSize);
        for (int t = 0; t < length; t++)
        {
            var row = targets.Slice(t * TargetSize, TargetSize);
            int nan = 0;
            foreach (T v in row) if (T.IsNaN(v)) nan++; else if (!T.IsFinite(v))
                    throw new ArgumentOutOfRangeException(nameof(targets), v, $"Sequence {Count}, step {t}: targets must be finite (NaN marks a missing label).");
            if (nan != 0 && nan != TargetSize)
                throw new ArgumentException($"Sequence {Count}, step {t}: either all or none of a step's targets may be NaN.", nameof(targets));
        }
        Append(features, length);
        foreach (T v in targets) _targets.Add(v);
    }

    private int CheckFeatures(ReadOnlySpan<T> features, int labelSteps)
    {
        if (features.Length == 0) throw new ArgumentException($"Sequence {Count} is empty.", nameof(features));
        if (features.Length % FeatureSize != 0)
            throw new ArgumentException($"Sequence {Count}: {features.Length} values is not a multiple of the feature size {FeatureSize}.", nameof(features));
        int length = features.Length / FeatureSize;
        if (labelSteps != length)
            throw new ArgumentException($"Sequence {Count}: {length} feature steps but {labelSteps} label steps.", nameof(features));
        for (int i = 0; i < features.Length; i++)
            if (!T.IsFinite(features[i]))
                throw new ArgumentOutOfRangeException(nameof(features), features[i], $"Sequence {Count}, step {i / FeatureSize}, feature {i % FeatureSize} is not finite.");
        return length;
    }

    private void Append(ReadOnlySpan<T> features, int length)
    {
        _sequences.Add((_features.Count / FeatureSize, length));
        foreach (T v in features) _features.Add(v);
        MaxLength = Math.Max(MaxLength, length);
    }

    /// <inheritdoc/>
    public IEnumerable<SequenceBatch<T>> Batches(SequenceBatch<T> batch, BatchOrder order)
    {
        if (Count == 0) yield break;
        foreach (var indices in BatchPlan.Create(Enumerable.Range(0, Count).Select(Length).ToArray(), batch.MaxBatch,
                     order.Shuffle, order.BucketByLength))
        {
            Fill(batch, indices);
            yield return batch;
        }
    }

    /// <summary>Pads sequences <paramref name="indices"/> at the end into <paramref name="batch"/>.</summary>
    public void Fill(SequenceBatch<T> batch, ReadOnlySpan<int> indices)
    {
        int b = indices.Length, steps = 0;
        foreach (int i in indices) steps = Math.Max(steps, _sequences[i].Length);
        if (b > batch.MaxBatch || steps > batch.MaxSteps)
            throw new ArgumentException($"Batch of {b} × {steps} exceeds the buffer's {batch.MaxBatch} × {batch.MaxSteps}.", nameof(batch));
        batch.Steps = steps; batch.Batch = b;
        int f = FeatureSize, o = TargetSize;
        bool padded = false;
        var features = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_features);
        var targets = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_targets);
        for (int k = 0; k < b; k++)
        {
            var (offset, length) = _sequences[indices[k]];
            batch.Lengths[k] = length;
            padded |= length < steps;
            for (int t = 0; t < steps; t++)
            {
                int cell = t * b + k;
                bool present = t < length;
                batch.FeatureMask[cell] = present ? 1f : 0f;
                var dst = batch.Features.AsSpan(cell * f, f);
                if (!present) { dst.Clear(); batch.LabelMask[cell] = 0f; if (Classification) batch.Classes[cell] = 0; else batch.Targets.AsSpan(cell * o, o).Clear(); continue; }
                features.Slice((offset + t) * f, f).CopyTo(dst);
                if (Classification)
                {
                    int c = _classes[offset + t];
                    batch.Classes[cell] = Math.Max(c, 0);
                    batch.LabelMask[cell] = c >= 0 ? 1f : 0f;
                }
                else
                {
                    var row = targets.Slice((offset + t) * o, o);
                    bool labelled = !T.IsNaN(row[0]);
                    batch.LabelMask[cell] = labelled ? 1f : 0f;
                    if (labelled) row.CopyTo(batch.Targets.AsSpan(cell * o, o)); else batch.Targets.AsSpan(cell * o, o).Clear();
                }
            }
        }
        batch.HasPadding = padded;
    }
}

/// <summary>The order of one epoch: shuffled, optionally grouped by length, cut into batches.</summary>
internal static class BatchPlan
{
    /// <summary>Bucketing sorts windows of this many batches by length before cutting them.</summary>
    private const int BucketBatches = 16;

    public static List<int[]> Create(int[] lengths, int batchSize, Rng? rng, bool bucket)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Must be positive.");
        var order = Enumerable.Range(0, lengths.Length).ToArray();
        if (rng is not null) Shuffle(order, rng);
        if (bucket)
        {
            int window = batchSize * BucketBatches;
            for (int s = 0; s < order.Length; s += window)
            {
                int len = Math.Min(window, order.Length - s);
                Array.Sort(order, s, len, Comparer<int>.Create((a, b) => lengths[a] != lengths[b] ? lengths[a].CompareTo(lengths[b]) : a.CompareTo(b)));
            }
        }
        var batches = new List<int[]>();
        for (int s = 0; s < order.Length; s += batchSize) batches.Add(order[s..Math.Min(s + batchSize, order.Length)]);
        if (bucket && rng is not null) Shuffle(batches, rng);
        return batches;
    }

    private static void Shuffle<TItem>(IList<TItem> items, Rng rng)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
