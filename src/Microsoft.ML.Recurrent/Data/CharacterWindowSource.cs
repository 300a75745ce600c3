namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Windows over an encoded text for next-character prediction. Window k starts at character k x stride; its features
/// are the keys of <c>length</c> characters and its labels the keys of the characters one position later (many-to-many).
/// Every window is full except possibly the last, which ends at the end of the text; no window starts after one has
/// reached the end, and every character but the first is a label at least once.
/// </summary>
internal sealed class CharacterWindowSource : ISequenceSource
{
    private readonly uint[] _keys;
    private readonly int _length;
    private readonly int _stride;

    /// <param name="keys">The text's keys; at least 2.</param>
    /// <param name="vocabulary">The vocabulary the keys come from.</param>
    /// <param name="options">Window length, stride and column names (validated).</param>
    public CharacterWindowSource(uint[] keys, CharacterVocabulary vocabulary, CharacterSequenceOptions options)
    {
        _keys = keys;
        _length = options.SequenceLength;
        _stride = options.EffectiveStride;
        // The (input, next character) pairs are at positions 0 .. pairs - 1; window k covers positions
        // k * stride .. k * stride + min(length, pairs - k * stride) - 1. The last window is the first that reaches the end.
        int pairs = keys.Length - 1;
        Count = pairs <= _length ? 1 : (pairs - _length + _stride - 1) / _stride + 1;

        var type = SequenceColumnTypes.KeySequence(vocabulary.Count);
        var annotations = SequenceColumnTypes.KeyValues(vocabulary.KeyValueNames());
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(options.FeatureColumnName, type, annotations);
        builder.AddColumn(options.LabelColumnName, type, annotations);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public Array[] Read(int index)
    {
        int start = index * _stride;
        int length = Math.Min(_length, _keys.Length - 1 - start);
        return [_keys.AsSpan(start, length).ToArray(), _keys.AsSpan(start + 1, length).ToArray()];
    }
}
