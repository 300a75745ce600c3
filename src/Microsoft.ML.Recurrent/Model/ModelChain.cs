using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>
/// Builds the chain of built-in, savable ML.NET transformers that carries a model inside a .zip (ML.NET 5 keeps its
/// model-saving API internal): the payload as one base64 value of a ValueMapping, CustomMapping factories (found by
/// contract name at load) that run the network, and MapValue / MapValueToKey that turn class indices back into the
/// label's keys and key values. Helper columns start with "__rnn_" and are dropped at the end.
/// </summary>
internal static class ModelChain
{
    public const string FeatureColumn = "__rnn_features";
    public const string KeyColumn = "__rnn_model_key";
    public const string ModelColumn = "__rnn_model";
    public const string ScoreColumn = "__rnn_score";
    public const string ClassColumn = "__rnn_class";
    public const string ClassValueColumn = "__rnn_class_value";

    /// <summary>The chain for <paramref name="config"/> carrying <paramref name="payloadBase64"/>; <paramref name="keyValues"/> are the label key's values in key order.</summary>
    public static IEstimator<ITransformer> Estimator(MLContext ml, ModelConfig config, string payloadBase64, KeyValues keyValues)
    {
        // Key features become one-hot steps [T, d] (MapKeyToVector, step-major: the encoding training used).
        IEstimator<ITransformer> chain = config.Encoding == FeatureEncoding.OneHotKeys
            ? ml.Transforms.Conversion.MapKeyToVector(FeatureColumn, config.FeatureColumnName)
            : ml.Transforms.CopyColumns(FeatureColumn, config.FeatureColumnName);
        chain = chain
            .Append(ml.Transforms.CustomMapping<ModelKeyInput, ModelKeyOutput>(ModelKeyFactory.Map, ModelKeyFactory.Contract))
            .Append(ml.Transforms.Conversion.MapValue(ModelColumn, [new KeyValuePair<int, string>(0, payloadBase64)], KeyColumn));
        bool perStep = config.Mode != SequenceMode.ManyToOne;
        if (config.Task == RecurrentTask.Classification)
        {
            chain = perStep
                ? chain.Append(ml.Transforms.CustomMapping<PredictionInput, ClassSequenceOutput>(ClassSequenceFactory.Map, ClassSequenceFactory.Contract))
                : chain.Append(ml.Transforms.CustomMapping<PredictionInput, ClassOutput>(ClassFactory.Map, ClassFactory.Contract));
            chain = chain.Append(keyValues.ToKeys(ml, ClassColumn, ClassValueColumn, config.PredictedLabelColumnName));
        }
        else if (!perStep && config.Outputs == 1)
            chain = chain.Append(ml.Transforms.CustomMapping<PredictionInput, ValueOutput>(ValueFactory.Map, ValueFactory.Contract));
        else
            chain = chain.Append(ml.Transforms.CustomMapping<PredictionInput, ValuesOutput>(ValuesFactory.Map, ValuesFactory.Contract));
        string[] helpers = config.Task == RecurrentTask.Classification
            ? [FeatureColumn, KeyColumn, ModelColumn, ScoreColumn, ClassColumn, ClassValueColumn]
            : [FeatureColumn, KeyColumn, ModelColumn, ScoreColumn];
        return chain.Append(ml.Transforms.CopyColumns(config.ScoreColumnName, ScoreColumn)).Append(ml.Transforms.DropColumns(helpers));
    }
}

/// <summary>The values of a label key, typed as in the label's annotation (text, numbers, ...), in key order.</summary>
internal abstract class KeyValues
{
    public abstract int Count { get; }
    public abstract IReadOnlyList<string> Names { get; }

    /// <summary>index column (0-based uint) → value column → key column with these key values.</summary>
    public abstract IEstimator<ITransformer> ToKeys(MLContext ml, string indexColumn, string valueColumn, string keyColumn);

    /// <summary>The key values of <paramref name="label"/>, or 1..count as uint when it has none.</summary>
    public static KeyValues From(DataViewSchema.Column label, int count)
    {
        var annotation = label.Annotations.Schema.GetColumnOrNull(SequenceColumnTypes.KeyValuesKind);
        if (annotation?.Type is not VectorDataViewType { ItemType: var item })
            return new Typed<uint>(Enumerable.Range(1, count).Select(i => (uint)i).ToArray());
        return item.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => new Typed<string>(Read<ReadOnlyMemory<char>>(label).Select(v => v.ToString()).ToArray()),
            var t when t == typeof(float) => new Typed<float>(Read<float>(label)),
            var t when t == typeof(double) => new Typed<double>(Read<double>(label)),
            var t when t == typeof(int) => new Typed<int>(Read<int>(label)),
            var t when t == typeof(uint) => new Typed<uint>(Read<uint>(label)),
            var t when t == typeof(long) => new Typed<long>(Read<long>(label)),
            var t when t == typeof(ulong) => new Typed<ulong>(Read<ulong>(label)),
            var t when t == typeof(bool) => new Typed<bool>(Read<bool>(label)),
            _ => new Typed<string>(Read<ReadOnlyMemory<char>>(label).Select(v => v.ToString()).ToArray()),
        };
    }

    /// <summary>Class indices 0 .. count − 1 as float values (float labels holding class indices).</summary>
    public static KeyValues Indices(int count) => new Typed<float>(Enumerable.Range(0, count).Select(i => (float)i).ToArray());

    /// <summary>Placeholder values of the right type, for schema propagation before any data is seen.</summary>
    public static KeyValues Placeholder(Type rawType) => rawType == typeof(ReadOnlyMemory<char>)
        ? new Typed<string>(["a", "b"]) : rawType == typeof(float) ? new Typed<float>([0f, 1f]) : new Typed<uint>([1u, 2u]);

    private static T[] Read<T>(DataViewSchema.Column column)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().ToArray();
    }

    private sealed class Typed<T>(T[] values) : KeyValues where T : notnull
    {
        public override int Count => values.Length;
        public override IReadOnlyList<string> Names => values.Select(v => v.ToString() ?? "").ToArray();

        public override IEstimator<ITransformer> ToKeys(MLContext ml, string indexColumn, string valueColumn, string keyColumn)
        {
            var pairs = values.Select((v, i) => new KeyValuePair<uint, T>((uint)i, v));
            var keyData = ml.Data.LoadFromEnumerable(values.Select(v => new KeyRow<T> { Value = v }));
            return ml.Transforms.Conversion.MapValue(valueColumn, pairs, indexColumn)
                .Append(ml.Transforms.Conversion.MapValueToKey(keyColumn, valueColumn, keyData: keyData));
        }
    }

    private sealed class KeyRow<T> { public T Value { get; set; } = default!; }
}
