namespace Recurrent.Native.Tensors;

/// <summary>
/// A minibatch of padded, masked sequences, time-major: features <c>[T, B, I]</c>, feature mask <c>[T, B]</c>
/// (1 = the step exists), targets per step (class indices <c>[T, B]</c> or values <c>[T, B, O]</c>) and a label mask
/// <c>[T, B]</c> (1 = the step has a label). Buffers are sized once for a maximum shape and reused.
/// </summary>
public sealed class SequenceBatch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Buffers for up to <paramref name="maxSteps"/> × <paramref name="maxBatch"/>.</summary>
    /// <param name="maxSteps">Longest sequence.</param>
    /// <param name="maxBatch">Most sequences.</param>
    /// <param name="featureSize">I.</param>
    /// <param name="targetSize">Classes (classification) or values per step (regression).</param>
    /// <param name="classification">Class-index targets instead of values.</param>
    public SequenceBatch(int maxSteps, int maxBatch, int featureSize, int targetSize, bool classification)
    {
        if (maxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "Must be positive.");
        if (maxBatch <= 0) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "Must be positive.");
        if (featureSize <= 0) throw new ArgumentOutOfRangeException(nameof(featureSize), featureSize, "Must be positive.");
        if (targetSize <= 0) throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, "Must be positive.");
        MaxSteps = maxSteps; MaxBatch = maxBatch; FeatureSize = featureSize; TargetSize = targetSize;
        Classification = classification;
        int n = checked(maxSteps * maxBatch);
        Features = new T[checked(n * featureSize)];
        FeatureMask = new float[n];
        LabelMask = new float[n];
        Classes = classification ? new int[n] : [];
        Targets = classification ? [] : new T[checked(n * targetSize)];
        Lengths = new int[maxBatch];
    }

    /// <summary>Capacity in steps.</summary>
    public int MaxSteps { get; }
    /// <summary>Capacity in sequences.</summary>
    public int MaxBatch { get; }
    /// <summary>I.</summary>
    public int FeatureSize { get; }
    /// <summary>Classes or values per step.</summary>
    public int TargetSize { get; }
    /// <summary>Class-index targets (else values).</summary>
    public bool Classification { get; }
    /// <summary>T of the current content.</summary>
    public int Steps { get; set; }
    /// <summary>B of the current content.</summary>
    public int Batch { get; set; }
    /// <summary>False when every step of every sequence exists (the feature mask may then be ignored).</summary>
    public bool HasPadding { get; set; }

    /// <summary><c>[T, B, I]</c>.</summary>
    public T[] Features { get; }
    /// <summary><c>[T, B]</c>.</summary>
    public float[] FeatureMask { get; }
    /// <summary><c>[T, B]</c>.</summary>
    public float[] LabelMask { get; }
    /// <summary><c>[T, B]</c> class indices (classification).</summary>
    public int[] Classes { get; }
    /// <summary><c>[T, B, O]</c> values (regression).</summary>
    public T[] Targets { get; }
    /// <summary>Steps of each sequence <c>[B]</c>.</summary>
    public int[] Lengths { get; }

    /// <summary>Features of steps [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public ReadOnlySpan<T> FeaturesOf(int start, int end) => Features.AsSpan(start * Batch * FeatureSize, (end - start) * Batch * FeatureSize);
    /// <summary>Feature mask of steps [start, end), or empty when nothing is padded.</summary>
    public ReadOnlySpan<float> FeatureMaskOf(int start, int end) => HasPadding ? FeatureMask.AsSpan(start * Batch, (end - start) * Batch) : default;
    /// <summary>Label mask of steps [start, end).</summary>
    public ReadOnlySpan<float> LabelMaskOf(int start, int end) => LabelMask.AsSpan(start * Batch, (end - start) * Batch);
    /// <summary>Class targets of steps [start, end).</summary>
    public ReadOnlySpan<int> ClassesOf(int start, int end) => Classes.AsSpan(start * Batch, (end - start) * Batch);
    /// <summary>Value targets of steps [start, end).</summary>
    public ReadOnlySpan<T> TargetsOf(int start, int end) => Targets.AsSpan(start * Batch * TargetSize, (end - start) * Batch * TargetSize);
}
