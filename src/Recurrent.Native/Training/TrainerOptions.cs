namespace Recurrent.Native.Training;

/// <summary>Settings of <see cref="Trainer{T}"/>, with their defaults.</summary>
public sealed class TrainerOptions
{
    /// <summary>Passes over the training data, ≥ 1. Default 10.</summary>
    public int Epochs { get; set; } = 10;
    /// <summary>Sequences per minibatch, ≥ 1. Default 32.</summary>
    public int BatchSize { get; set; } = 32;
    /// <summary>The optimizer. Default Adam (β = 0.9, 0.999).</summary>
    public OptimizerSpec Optimizer { get; set; } = new AdamSpec();
    /// <summary>Base learning rate, &gt; 0. Default 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;
    /// <summary>Learning-rate schedule. Default constant.</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;
    /// <summary>Clip the global gradient norm to this value; 0 = off. Default 5.</summary>
    public double ClipNorm { get; set; } = 5.0;
    /// <summary>Clamp every gradient to ±this value; 0 = off. Default 0.</summary>
    public double ClipValue { get; set; }
    /// <summary>
    /// Truncated BPTT forward length k1: each minibatch is cut into ⌈T / k1⌉ windows with one update per window and the
    /// recurrent state carried (without gradient) from window to window. 0 = full BPTT (default).
    /// </summary>
    public int TruncatedBpttForward { get; set; }
    /// <summary>Truncated BPTT backward length k2 in [1, k1]: recurrent gradients flow back at most k2 steps per window. 0 = k1.</summary>
    public int TruncatedBpttBackward { get; set; }
    /// <summary>Seed of initial shuffles and dropout masks. Default 0.</summary>
    public int Seed { get; set; }
    /// <summary>Worker threads, ≥ 0; 0 = one per core. Results do not depend on it. Default 0.</summary>
    public int Threads { get; set; }
    /// <summary>Shuffle sequences every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;
    /// <summary>Group sequences of similar length into batches. Default true.</summary>
    public bool BucketByLength { get; set; } = true;
    /// <summary>Early stopping: stop after this many epochs without a better validation loss; 0 = off. Default 0.</summary>
    public int Patience { get; set; }
    /// <summary>With validation data, end with the weights of the best validation loss. Default true.</summary>
    public bool RestoreBestWeights { get; set; } = true;
    /// <summary>Also report progress every this many updates; 0 = only at epoch ends. Default 0.</summary>
    public int ReportEveryUpdates { get; set; }
    /// <summary>
    /// Stop when this much time has passed since training started (checked between updates); null = no limit. The run
    /// then ends as early stopping ends it: the interrupted epoch is reported and validated like any other, and with
    /// <see cref="RestoreBestWeights"/> the weights of the best validation loss are kept. Default null.
    /// </summary>
    public TimeSpan? MaximumDuration { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of its allowed range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Must be ≥ 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Must be ≥ 1.");
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        Optimizer.Validate();
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be finite and > 0.");
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        Schedule.Validate();
        if (!(ClipNorm >= 0) || double.IsInfinity(ClipNorm)) throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "Must be finite and ≥ 0 (0 = off).");
        if (!(ClipValue >= 0) || double.IsInfinity(ClipValue)) throw new ArgumentOutOfRangeException(nameof(ClipValue), ClipValue, "Must be finite and ≥ 0 (0 = off).");
        if (TruncatedBpttForward < 0)
            throw new ArgumentOutOfRangeException(nameof(TruncatedBpttForward), TruncatedBpttForward, "Must be ≥ 1, or 0 for full BPTT.");
        if (TruncatedBpttBackward < 0 || (TruncatedBpttForward == 0 && TruncatedBpttBackward != 0) || TruncatedBpttBackward > TruncatedBpttForward)
            throw new ArgumentOutOfRangeException(nameof(TruncatedBpttBackward), TruncatedBpttBackward,
                $"Must be in [1, {nameof(TruncatedBpttForward)} = {TruncatedBpttForward}], or 0 for the forward length" +
                (TruncatedBpttForward == 0 ? " (set a forward length first)." : "."));
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Must be ≥ 0 (0 = one per core).");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Must be ≥ 0 (0 = off).");
        if (ReportEveryUpdates < 0) throw new ArgumentOutOfRangeException(nameof(ReportEveryUpdates), ReportEveryUpdates, "Must be ≥ 0 (0 = epoch ends only).");
        if (MaximumDuration is { } limit && limit <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaximumDuration), limit, "Must be positive, or null for no limit.");
    }
}

/// <summary>A progress report of <see cref="Trainer{T}"/>.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Update">Parameter updates so far.</param>
/// <param name="TrainLoss">Mean training loss since the start of the epoch (over present label steps).</param>
/// <param name="ValidationLoss">Validation loss at an epoch end, when validation data were given.</param>
/// <param name="ValidationAccuracy">Validation per-step accuracy (classification).</param>
/// <param name="SequencesPerSecond">Training throughput since the start of the epoch.</param>
/// <param name="Elapsed">Time since the start of training.</param>
/// <param name="IsEpochEnd">True for the report that closes an epoch.</param>
public sealed record TrainingProgress(int Epoch, int Update, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy,
    double SequencesPerSecond, TimeSpan Elapsed, bool IsEpochEnd);

/// <summary>How a run ended.</summary>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="Updates">Parameter updates made.</param>
/// <param name="BestEpoch">Epoch (1-based) of the best validation loss, or 0 without validation.</param>
/// <param name="BestValidationLoss">That loss, or NaN.</param>
/// <param name="StoppedEarly">True when early stopping or <see cref="TrainerOptions.MaximumDuration"/> ended the run.</param>
/// <param name="History">Every epoch-end report.</param>
public sealed record TrainingResult(int Epochs, int Updates, int BestEpoch, double BestValidationLoss, bool StoppedEarly,
    IReadOnlyList<TrainingProgress> History)
{
    /// <summary>
    /// Time spent computing: forward, backward and parameter updates of every minibatch, and validation passes.
    /// The rest of <see cref="TotalTime"/> went to reading rows and filling padded minibatches.
    /// </summary>
    public TimeSpan ComputeTime { get; init; }

    /// <summary>Wall-clock time of the whole run.</summary>
    public TimeSpan TotalTime { get; init; }
}

/// <summary>Loss and accuracy of a network on a data set.</summary>
/// <param name="Loss">Mean loss over present label steps.</param>
/// <param name="Accuracy">Per-step accuracy over present label steps (NaN for regression).</param>
/// <param name="Steps">Present label steps.</param>
public sealed record EvaluationSummary(double Loss, double Accuracy, long Steps);
