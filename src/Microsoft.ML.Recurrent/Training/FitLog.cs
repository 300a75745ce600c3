using Microsoft.Extensions.Logging;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Runtime;
using Recurrent.Native.Network;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// Training messages to <c>MLContext.Log</c> (through an ML.NET host channel), to an optional
/// <see cref="ILogger"/>, and progress reports to an optional <see cref="IProgress{T}"/>.
/// </summary>
internal sealed class FitLog : IDisposable
{
    private readonly IChannel _channel;
    private readonly ILogger? _logger;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly int _epochs;

    public FitLog(MLContext ml, LstmOptions options)
    {
        Host = ((IHostEnvironment)ml).Register("Recurrent.Lstm");
        _channel = Host.Start("Fit");
        _logger = options.Logger;
        _progress = options.Progress;
        _epochs = options.Epochs;
    }

    /// <summary>The ML.NET host (its random stream follows the MLContext seed).</summary>
    public IHost Host { get; }

    public void Start(ColumnPlan plan, IBatchSource<float> data, RecurrentNetwork<float> network)
    {
        string lengths = data is SequenceDataset<float> d ? $"{Enumerable.Range(0, d.Count).Min(d.Length)}-{d.MaxLength}" : $"up to {data.MaxLength}";
        Info($"Training on {data.Count} sequences of {lengths} steps, {plan.FeatureSize} features per step: " +
             $"{plan.Task} {plan.Mode}, {plan.Outputs} outputs; {network.Parameters.Length} weights in " +
             string.Join(" -> ", network.Spec.Layers.Select(l => l.GetType().Name.Replace("Spec", ""))) + ".");
    }

    public void Report(TrainingProgress p)
    {
        if (p.IsEpochEnd)
        {
            string validation = p.ValidationLoss is { } vl
                ? $", validation loss {vl:F4}" + (p.ValidationAccuracy is { } va ? $", validation accuracy {va:P2}" : "")
                : "";
            Info($"Epoch {p.Epoch}/{_epochs}: loss {p.TrainLoss:F4}{validation}, {p.SequencesPerSecond:F0} sequences/s, {p.Elapsed.TotalSeconds:F1} s.");
        }
        _progress?.Report(p);
    }

    public void Done(TrainingResult result)
    {
        string stop = result.StoppedEarly ? $" (early stop; best epoch {result.BestEpoch})" : "";
        Info($"Trained {result.Epochs} epochs, {result.Updates} updates{stop} in {result.TotalTime.TotalSeconds:F1} s, " +
             $"{result.ComputeTime.TotalSeconds:F1} s of it computing (the rest reading rows into minibatches).");
    }

    private void Info(string message)
    {
        _channel.Info(MessageSensitivity.None, "{0}", message);
        _logger?.LogInformation("{Message}", message);
    }

    public void Dispose() => _channel.Dispose();
}
