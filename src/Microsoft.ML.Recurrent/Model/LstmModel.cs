using Microsoft.ML.Recurrent.Data;
using Recurrent.Native.IO;
using Recurrent.Native.Network;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>
/// A trained recurrent model: the engine network with its weights, and how it reads its columns. Get it from a fitted
/// <see cref="LstmTransformer"/> or, after <c>mlContext.Model.Load</c>, with <c>mlContext.Recurrent().GetModel(model)</c>.
/// </summary>
public sealed class LstmModel
{
    private byte[]? _payload;
    private RowPredictor? _predictor;

    internal LstmModel(ModelConfig config, RecurrentNetwork<float> network, TrainingResult? training = null)
    {
        Config = config;
        Network = network;
        Training = training;
    }

    internal ModelConfig Config { get; }

    /// <summary>The engine network (layers, flat weights with PyTorch names). Treat its weights as read-only.</summary>
    public RecurrentNetwork<float> Network { get; }
    /// <summary>The layer stack, output layer included.</summary>
    public NetworkSpec Spec => Network.Spec;
    /// <summary>Classification or regression.</summary>
    public RecurrentTask Task => Config.Task;
    /// <summary>Many-to-one, many-to-many or one-to-many.</summary>
    public SequenceMode Mode => Config.Mode;
    /// <summary>Values per step the network reads (the one-hot width for key features).</summary>
    public int FeatureSize => Config.FeatureSize;
    /// <summary>Classes (classification) or values per step (regression).</summary>
    public int OutputSize => Config.Outputs;
    /// <summary>Steps predicted in one-to-many mode (0 otherwise).</summary>
    public int OutputSteps => Config.OutputSteps;
    /// <summary>The class names (the label key's values as text), or null.</summary>
    public IReadOnlyList<string>? ClassNames => Config.ClassNames;
    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName => Config.FeatureColumnName;
    /// <summary>The label column it was trained on.</summary>
    public string LabelColumnName => Config.LabelColumnName;
    /// <summary>Its score column.</summary>
    public string ScoreColumnName => Config.ScoreColumnName;
    /// <summary>Its predicted-label column (classification).</summary>
    public string PredictedLabelColumnName => Config.PredictedLabelColumnName;
    /// <summary>How training went (epochs, losses, early stopping); null for a loaded model.</summary>
    public TrainingResult? Training { get; }

    /// <summary>Saves the weights as safetensors with PyTorch names (atomic: an existing file survives a failed save).</summary>
    public void SaveWeights(string path) => Network.SaveSafetensors(path);

    internal byte[] Payload => _payload ??= ModelPayload.Write(Config, Network);
    internal RowPredictor Predictor => _predictor ??= new RowPredictor(Config, Network);
    internal bool IsCausal => Spec.IsCausal;
}
