namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Options for cutting a text into training windows for a character-level model
/// (<see cref="SequenceLoaderCatalog.LoadCharacterSequences(DataOperationsCatalog, string, CharacterSequenceOptions?)"/>).
/// </summary>
public sealed class CharacterSequenceOptions
{
    /// <summary>The number of characters (steps) per window. Default 100.</summary>
    public int SequenceLength { get; set; } = 100;

    /// <summary>
    /// The distance between the starts of consecutive windows, 1 to <see cref="SequenceLength"/>; windows overlap when
    /// it is smaller. Null (the default) means <see cref="SequenceLength"/>: windows that follow each other.
    /// </summary>
    public int? Stride { get; set; }

    /// <summary>
    /// The characters and their keys. Null (the default) builds one from the text with
    /// <see cref="CharacterVocabulary.FromText"/>; give one to keep the keys of another text (e.g. a training text for
    /// a validation text), in which case every character of the text must be in it.
    /// </summary>
    public CharacterVocabulary? Vocabulary { get; set; }

    /// <summary>The name of the input column (keys of the characters). Default <c>"Features"</c>.</summary>
    public string FeatureColumnName { get; set; } = DefaultColumnNames.Features;

    /// <summary>The name of the label column (keys of the next characters). Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = DefaultColumnNames.Label;

    /// <summary>The stride in effect.</summary>
    internal int EffectiveStride => Stride ?? SequenceLength;

    /// <summary>Throws for a setting outside its allowed range.</summary>
    internal void Validate()
    {
        if (SequenceLength < 1)
            throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, "The sequence length must be 1 or more.");
        if (Stride is int stride && (stride < 1 || stride > SequenceLength))
            throw new ArgumentOutOfRangeException(nameof(Stride), stride, $"The stride must be 1 to SequenceLength ({SequenceLength}), or null.");
        DefaultColumnNames.Check(FeatureColumnName, LabelColumnName);
    }
}
