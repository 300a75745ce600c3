using Recurrent.Native.Layers;
using Microsoft.ML.Recurrent.Data;
using Microsoft.Extensions.Logging;
using Recurrent.Native.Network;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent;

/// <summary>What the network predicts.</summary>
public enum RecurrentTask
{
    /// <summary>Class probabilities (softmax, cross-entropy); the label is a key (or a class index with <see cref="LstmOptions.NumberOfClasses"/>).</summary>
    Classification,
    /// <summary>Values (identity outputs, mean squared or absolute error); the label is float.</summary>
    Regression,
}

/// <summary>How inputs and labels line up in time.</summary>
public enum SequenceMode
{
    /// <summary>A sequence in, one label per sequence (sequence classification or regression).</summary>
    ManyToOne,
    /// <summary>A sequence in, a label per step (sequence labelling); steps with a missing label (key 0, NaN) do not count.</summary>
    ManyToMany,
    /// <summary>A fixed input vector, fed at step 0, then a label per step for <see cref="LstmOptions.OutputSteps"/> steps.</summary>
    OneToMany,
}

/// <summary>
/// Options of <c>mlContext.Recurrent().Lstm(options)</c>. Every field has a documented default; the defaults train a
/// one-layer LSTM of 64 units with Adam.
/// </summary>
public sealed class LstmOptions
{
    /// <summary>The sequence column: a float vector of T × d values, step-major (type dimensions [0, d] give d), a fixed
    /// vector for one-to-many, or a key vector (each key becomes a one-hot step). Default "Features".</summary>
    public string FeatureColumnName = DefaultColumnNames.Features;
    /// <summary>The label column: a key or float (one per sequence), or a key or float vector (one per step). Default "Label".</summary>
    public string LabelColumnName = DefaultColumnNames.Label;
    /// <summary>The output column of probabilities (classification) or values (regression). Default "Score".</summary>
    public string ScoreColumnName = DefaultColumnNames.Score;
    /// <summary>The output column of predicted classes (a key, or a key vector per step). Default "PredictedLabel".</summary>
    public string PredictedLabelColumnName = DefaultColumnNames.PredictedLabel;

    /// <summary>Values per step d; 0 = from the feature column's type (its second dimension, or its size). Default 0.</summary>
    public int FeatureSize;
    /// <summary>Classification or regression; null = from the label column (key → classification, float → regression). Default null.</summary>
    public RecurrentTask? Task;
    /// <summary>Many-to-one, many-to-many or one-to-many; null = from the column shapes. Default null.</summary>
    public SequenceMode? Mode;
    /// <summary>Classes; null = the label key's count. With a float label, labels are class indices 0 .. N − 1. Default null.</summary>
    public int? NumberOfClasses;
    /// <summary>Steps predicted in one-to-many mode; 0 = the longest label sequence seen in training. Default 0.</summary>
    public int OutputSteps;

    /// <summary>Hidden units of the default network (one LSTM layer) when <see cref="Layers"/> is null. Default 64.</summary>
    public int HiddenSize = 64;
    /// <summary>
    /// The layer stack before the output layer (which is added to fit the task), e.g. dense → LSTM → Graves LSTM →
    /// bidirectional → dense. Null = one <see cref="LstmSpec"/> of <see cref="HiddenSize"/> units. Default null.
    /// </summary>
    public IList<LayerSpec>? Layers;
    /// <summary>Regression loss: <see cref="LossKind.MeanSquaredError"/> (default) or MeanAbsoluteError.</summary>
    public LossKind RegressionLoss = LossKind.MeanSquaredError;

    /// <summary>Passes over the data, ≥ 1. Default 20.</summary>
    public int Epochs = 20;
    /// <summary>Sequences per minibatch, ≥ 1. Default 32.</summary>
    public int BatchSize = 32;
    /// <summary>The optimizer. Default Adam.</summary>
    public OptimizerSpec Optimizer = new AdamSpec();
    /// <summary>Base learning rate, &gt; 0. Default 1e-3.</summary>
    public double LearningRate = 1e-3;
    /// <summary>Learning-rate schedule. Default constant.</summary>
    public LearningRateSchedule Schedule = LearningRateSchedule.Constant;
    /// <summary>Global gradient-norm clipping; 0 = off. Default 5.</summary>
    public double ClipNorm = 5;
    /// <summary>Per-value gradient clipping; 0 = off. Default 0.</summary>
    public double ClipValue;
    /// <summary>Truncated BPTT forward length; 0 = full BPTT. Default 0.</summary>
    public int TruncatedBpttForward;
    /// <summary>Truncated BPTT backward length in [1, forward]; 0 = the forward length. Default 0.</summary>
    public int TruncatedBpttBackward;
    /// <summary>Validation data (same schema): loss and accuracy every epoch, early stopping, best weights. Default null.</summary>
    public IDataView? ValidationSet;
    /// <summary>Stop after this many epochs without a better validation loss; 0 = off. Default 0.</summary>
    public int EarlyStoppingPatience;
    /// <summary>With validation data, keep the weights of the best epoch. Default true.</summary>
    public bool RestoreBestWeights = true;
    /// <summary>
    /// Load the training (and validation) rows into memory once (default true). False reads them anew from the
    /// IDataView every epoch — the sequence loaders read one file at a time, so data larger than memory train in one
    /// pass per epoch — shuffling within windows of <see cref="ShuffleWindow"/> sequences.
    /// </summary>
    public bool LoadDataIntoMemory = true;
    /// <summary>Sequences shuffled (and bucketed by length) together when the data are not loaded into memory, ≥ BatchSize. Default 4096.</summary>
    public int ShuffleWindow = 4096;
    /// <summary>
    /// Stop training when this much time has passed since training started (reading the data does not count); null = no
    /// limit. The limit is checked between updates and ends the run as early stopping does
    /// (<see cref="TrainingResult.StoppedEarly"/> is true): the interrupted epoch is validated like any other, and with
    /// <see cref="RestoreBestWeights"/> the best weights seen are kept; without validation data, the last update's.
    /// Default null.
    /// </summary>
    public TimeSpan? MaximumTrainingTime;
    /// <summary>Worker threads; 0 = one per core. Results do not depend on it. Default 0.</summary>
    public int NumberOfThreads;
    /// <summary>Seed of initial weights, shuffling and dropout; null = from the MLContext's seed. Default null.</summary>
    public int? Seed;

    /// <summary>Receives training messages besides MLContext.Log. Default null.</summary>
    public ILogger? Logger;
    /// <summary>Receives a report at every epoch end. Default null.</summary>
    public IProgress<TrainingProgress>? Progress;
    /// <summary>Cancels Fit, which then throws <see cref="OperationCanceledException"/>. Default none.</summary>
    public CancellationToken CancellationToken;

    internal void Validate()
    {
        CheckName(FeatureColumnName, nameof(FeatureColumnName));
        CheckName(LabelColumnName, nameof(LabelColumnName));
        CheckName(ScoreColumnName, nameof(ScoreColumnName));
        CheckName(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        if (FeatureSize < 0) throw new ArgumentOutOfRangeException(nameof(FeatureSize), FeatureSize, "Must be ≥ 0 (0 = from the column type).");
        if (NumberOfClasses is < 2) throw new ArgumentOutOfRangeException(nameof(NumberOfClasses), NumberOfClasses, "Must be ≥ 2.");
        if (OutputSteps < 0) throw new ArgumentOutOfRangeException(nameof(OutputSteps), OutputSteps, "Must be ≥ 0 (0 = from the training labels).");
        if (Layers is null && HiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, "Must be positive.");
        if (Layers is not null && Layers.Count == 0) throw new ArgumentOutOfRangeException(nameof(Layers), "Needs at least one layer (or null for the default).");
        if (Layers?.Any(l => l is OutputSpec) == true)
            throw new ArgumentOutOfRangeException(nameof(Layers), "Leave the output layer out: it is added to fit the task.");
        if (Layers is not null)
        {
            try { new NetworkSpec(1, [.. Layers, new OutputSpec(2, LossKind.CrossEntropy)]).Validate(); }
            catch (ArgumentException e) { throw new ArgumentOutOfRangeException(nameof(Layers), e.Message); }
        }
        if (RegressionLoss == LossKind.CrossEntropy)
            throw new ArgumentOutOfRangeException(nameof(RegressionLoss), RegressionLoss, "Must be MeanSquaredError or MeanAbsoluteError.");
        if (ShuffleWindow < BatchSize) throw new ArgumentOutOfRangeException(nameof(ShuffleWindow), ShuffleWindow, $"Must be ≥ BatchSize ({BatchSize}).");
        if (MaximumTrainingTime is { } limit && limit <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaximumTrainingTime), limit, "Must be positive, or null for no limit.");
        if (EarlyStoppingPatience > 0 && ValidationSet is null)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "Early stopping needs a ValidationSet.");
        TrainerOptions().Validate();
        if (TruncatedBpttForward > 0 && Layers?.Any(l => l is BidirectionalSpec) == true)
            throw new ArgumentOutOfRangeException(nameof(TruncatedBpttForward), TruncatedBpttForward,
                "Truncated BPTT cannot be combined with a bidirectional layer (it needs the whole sequence); use 0.");
    }

    internal TrainerOptions TrainerOptions(int seed = 0) => new()
    {
        Epochs = Epochs, BatchSize = BatchSize, Optimizer = Optimizer, LearningRate = LearningRate, Schedule = Schedule,
        ClipNorm = ClipNorm, ClipValue = ClipValue, TruncatedBpttForward = TruncatedBpttForward,
        TruncatedBpttBackward = TruncatedBpttBackward, Seed = seed, Threads = NumberOfThreads, Patience = EarlyStoppingPatience,
        RestoreBestWeights = RestoreBestWeights, MaximumDuration = MaximumTrainingTime,
    };

    private static void CheckName(string name, string field)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentOutOfRangeException(field, name, "A column name is required.");
    }
}
