using Recurrent.Native.Network;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// Runs the engine's trainer under <see cref="LstmOptions.MaximumTrainingTime"/>. The trainer stops early only through
/// cancellation (it then throws and restores nothing), so the limit cancels it between two updates and the run is
/// closed here as early stopping closes it: the best validation loss seen at an epoch end or by the interrupted
/// epoch's weights decides which weights are kept.
/// </summary>
internal static class TimeLimitedFit
{
    public static TrainingResult Fit(Trainer<float> trainer, RecurrentNetwork<float> network, SequenceDataset<float> train,
        SequenceDataset<float>? validation, FitLog log, LstmOptions options)
    {
        var cancel = options.CancellationToken;
        if (options.MaximumTrainingTime is not { } limit) return trainer.Fit(train, validation, log.Report, cancel);

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var history = new List<TrainingProgress>();
        var best = new BestWeights(network, options.RestoreBestWeights);
        void Report(TrainingProgress p)
        {
            log.Report(p);
            if (!p.IsEpochEnd) return;
            history.Add(p);
            if (p.ValidationLoss is { } loss) best.Offer(p.Epoch, loss);
        }
        try
        {
            timer.CancelAfter(limit);
            return trainer.Fit(train, validation, Report, timer.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            log.TimeUp(limit, trainer.Updates);
            if (validation is not null) best.Offer(history.Count + 1, trainer.Evaluate(validation).Loss);
            best.Restore();
            return new TrainingResult(history.Count, trainer.Updates, best.Epoch, best.Loss, StoppedEarly: true, history);
        }
    }

    /// <summary>The best validation loss offered so far, its epoch and (when restoring) a copy of its weights.</summary>
    private sealed class BestWeights(RecurrentNetwork<float> network, bool keepCopy)
    {
        private float[]? _copy;

        public int Epoch { get; private set; }
        public double Loss { get; private set; } = double.NaN;

        public void Offer(int epoch, double loss)
        {
            if (!(loss < Loss) && !double.IsNaN(Loss)) return;
            (Epoch, Loss) = (epoch, loss);
            if (keepCopy) network.Parameters.CopyTo(_copy ??= new float[network.Parameters.Length], 0);
        }

        public void Restore() => _copy?.CopyTo(network.Parameters, 0);
    }
}
