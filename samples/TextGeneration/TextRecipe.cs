using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Recurrent.Native.Network;
using Recurrent.Native.Training;

namespace Samples.TextGeneration;

/// <summary>
/// The network and training of each run length. Training windows of <see cref="SequenceLength"/> characters are cut
/// into truncated-BPTT pieces of <see cref="Bptt"/> steps: one update per piece, the state carried from piece to piece.
/// </summary>
/// <param name="Hidden">Units of each LSTM layer.</param>
/// <param name="Layers">Stacked LSTM layers.</param>
/// <param name="SequenceLength">Characters per training (and validation) window.</param>
/// <param name="Bptt">Truncated BPTT forward and backward length.</param>
/// <param name="BatchSize">Windows per minibatch.</param>
/// <param name="LearningRate">Adam's rate, decayed by a cosine to a tenth of it over the planned epochs.</param>
/// <param name="Dropout">Dropout on the input of every LSTM layer but the first.</param>
/// <param name="Budget">Wall time for training; null = <see cref="Epochs"/> epochs.</param>
/// <param name="Epochs">Epochs when there is no budget.</param>
/// <param name="TrainCharacters">Train on only the first this many characters (and validate on a ninth as many).</param>
public sealed record TextRecipe(int Hidden, int Layers, int SequenceLength, int Bptt, int BatchSize, double LearningRate, double Dropout,
    TimeSpan? Budget, int Epochs = 1, int? TrainCharacters = null)
{
    public static TextRecipe For(TextGenerationOptions options)
    {
        TimeSpan? Minutes(double standard) => TimeSpan.FromMinutes(options.Minutes ?? standard);
        return options.Length switch
        {
            TrainingLength.Quick => new TextRecipe(32, 2, 50, 25, 16, 3e-3, 0, Budget: null, Epochs: 1, TrainCharacters: 6000),
            TrainingLength.Short => new TextRecipe(options.Hidden ?? 128, 2, 200, 50, 32, 4e-3, 0, Minutes(1.5)),
            _ => new TextRecipe(options.Hidden ?? 256, 2, 200, 50, 32, 4e-3, 0.2, Minutes(30)),
        };
    }

    /// <summary>The estimator's options for <paramref name="epochs"/> epochs.</summary>
    public LstmOptions Options(int epochs, IDataView? validation, TimeSpan? limit, IProgress<TrainingProgress>? progress) => new()
    {
        Layers = Enumerable.Range(0, Layers).Select(l => (LayerSpec)new LstmSpec(Hidden) { Dropout = l == 0 ? 0 : Dropout }).ToList(),
        Epochs = epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        Schedule = new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinimumRate = LearningRate / 10 },
        TruncatedBpttForward = Bptt,
        TruncatedBpttBackward = Bptt,
        ValidationSet = validation,
        MaximumTrainingTime = limit,
        Progress = progress,
    };
}
