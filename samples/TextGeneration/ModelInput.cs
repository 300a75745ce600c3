namespace Samples.TextGeneration;

/// <summary>Characters as the model reads them: their keys in the <c>CharacterVocabulary</c> (1 to its count).</summary>
public sealed class ModelInput
{
    public uint[] Features { get; set; } = [];
}
