using Microsoft.ML;

namespace Samples.JapaneseVowels;

/// <summary>Loads a saved model (and its channel statistics) and names the speaker of raw utterances.</summary>
public sealed class ConsumeModel
{
    private readonly PredictionEngine<ModelInput, ModelOutput> _engine;
    private readonly ChannelStandardizer _standardizer;

    public ConsumeModel(string modelPath)
    {
        var ml = new MLContext();
        ITransformer model = ml.Model.Load(modelPath, out _);
        _engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        _standardizer = ChannelStandardizer.Load(ChannelStandardizer.PathFor(modelPath));
    }

    /// <summary>The speaker of an utterance given as raw coefficients (frames × 12).</summary>
    public ModelOutput Predict(float[] rawFrames) => _engine.Predict(new ModelInput { Features = _standardizer.Apply(rawFrames) });
}
