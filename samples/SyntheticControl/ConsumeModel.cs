using Microsoft.ML;

namespace Samples.SyntheticControl;

/// <summary>Loads a saved model and classifies charts with it (the Model Builder "consume" step).</summary>
public sealed class ConsumeModel
{
    private readonly PredictionEngine<ModelInput, ModelOutput> _engine;

    public ConsumeModel(string modelPath)
    {
        var ml = new MLContext();
        ITransformer model = ml.Model.Load(modelPath, out _);
        _engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }

    public ModelOutput Predict(ModelInput input) => _engine.Predict(input);
}
