using System.Text;
using Microsoft.ML;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Prediction;

namespace Samples.TextGeneration;

/// <summary>
/// Loads a saved model and its vocabulary and writes text one character at a time with the time-step engine: the
/// prompt sets the state, then each sampled character is fed back to get the next one's probabilities.
/// </summary>
public sealed class TextGenerator : IDisposable
{
    private readonly TimeStepEngine<string, ModelInput, ModelOutput> _engine;
    private readonly CharacterVocabulary _vocabulary;

    public TextGenerator(string modelPath)
    {
        var ml = new MLContext();
        ITransformer model = ml.Model.Load(modelPath, out _);
        _engine = ml.Recurrent().CreateTimeStepEngine<ModelInput, ModelOutput>(model);
        _vocabulary = CharacterVocabulary.Load(VocabularyPath(modelPath));
    }

    /// <summary>The vocabulary's file that goes with a model file.</summary>
    public static string VocabularyPath(string modelPath) => Path.ChangeExtension(modelPath, ".vocabulary.json");

    /// <summary>
    /// <paramref name="length"/> characters following <paramref name="prompt"/>, each drawn from the model's probabilities
    /// sharpened (temperature below 1) or flattened (above 1): p ∝ p_model^(1 / temperature).
    /// </summary>
    public string Generate(string prompt, int length, double temperature, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        _engine.Add("text");
        try
        {
            int count = _vocabulary.Count;
            var scores = _engine.Predict("text", new ModelInput { Features = _vocabulary.Encode(prompt) }).Score;
            var next = new float[count];
            scores.AsSpan(scores.Length - count).CopyTo(next);
            var text = new StringBuilder(length);
            var step = new ModelInput { Features = new uint[1] };
            for (int i = 0; i < length; i++)
            {
                step.Features[0] = Sample(next, temperature, rng);
                text.Append(_vocabulary.GetCharacter(step.Features[0]).ToString());
                next = _engine.Predict("text", step).Score;
            }
            return text.ToString();
        }
        finally { _engine.Remove("text"); }
    }

    /// <summary>A key drawn from p^(1/temperature), renormalised.</summary>
    private static uint Sample(float[] probabilities, double temperature, Random rng)
    {
        var weights = probabilities.Select(p => Math.Pow(Math.Max(p, 1e-30), 1 / temperature)).ToArray();
        double u = rng.NextDouble() * weights.Sum();
        for (int k = 0; k < weights.Length; k++)
        {
            u -= weights[k];
            if (u <= 0) return (uint)k + 1;
        }
        return (uint)weights.Length;
    }

    public void Dispose() => _engine.Dispose();
}
