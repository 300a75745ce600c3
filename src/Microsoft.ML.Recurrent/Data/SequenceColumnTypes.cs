using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// The column types of the sequence convention: a series of T steps of d values is a variable-length float vector of
/// T x d values, step-major, whose type carries d as its second dimension; keys are <see cref="uint"/> (0 = missing).
/// </summary>
internal static class SequenceColumnTypes
{
    /// <summary>The annotation kind ML.NET reads key values from (<c>MapKeyToValue</c>, metrics, slot names).</summary>
    public const string KeyValuesKind = "KeyValues";

    /// <summary>A variable-length float vector of steps of <paramref name="width"/> values: dimensions [0, width].</summary>
    public static VectorDataViewType FloatSequence(int width) => new(NumberDataViewType.Single, 0, width);

    /// <summary>A key with <paramref name="count"/> values 1..count.</summary>
    public static KeyDataViewType Key(int count) => new(typeof(uint), count);

    /// <summary>A variable-length vector of keys, one per step.</summary>
    public static VectorDataViewType KeySequence(int count) => new(Key(count), 0);

    /// <summary>The key-value annotations of a key column: <paramref name="names"/>[k - 1] is the value of key k.</summary>
    public static DataViewSchema.Annotations KeyValues(IReadOnlyList<string> names)
    {
        var values = names.Select(n => n.AsMemory()).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(KeyValuesKind, new VectorDataViewType(TextDataViewType.Instance, values.Length),
            (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = new VBuffer<ReadOnlyMemory<char>>(values.Length, (ReadOnlyMemory<char>[])values.Clone()));
        return builder.ToAnnotations();
    }

    /// <summary>The key values of <paramref name="column"/> as strings, or null when it has none.</summary>
    public static string[]? GetKeyValueNames(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull(KeyValuesKind) is null) return null;
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }
}
