using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>Creates <see cref="LstmTransformer"/>s and finds models inside loaded pipelines.</summary>
internal static class Transformers
{
    public static LstmTransformer Create(MLContext ml, LstmModel model, IDataView input, KeyValues? keyValues)
    {
        var chain = ModelChain.Estimator(ml, model.Config, Convert.ToBase64String(model.Payload), keyValues ?? KeyValues.Indices(2));
        return new LstmTransformer(model, chain.Fit(input));
    }

    /// <summary>Every recurrent model inside <paramref name="transformer"/>, in pipeline order.</summary>
    public static IEnumerable<LstmModel> FindModels(MLContext ml, ITransformer transformer)
    {
        switch (transformer)
        {
            case LstmTransformer lstm:
                yield return lstm.Model;
                break;
            case IEnumerable<ITransformer> chain:
                foreach (var inner in chain)
                    foreach (var model in FindModels(ml, inner)) yield return model;
                break;
            case Microsoft.ML.Transforms.ValueMappingTransformer map when Payload(ml, map) is { } text:
                yield return Payloads.Model(text);
                break;
        }
    }

    /// <summary>The model payload a ValueMapping of ours carries, or null when it is somebody else's.</summary>
    private static ReadOnlyMemory<char>? Payload(MLContext ml, ITransformer map)
    {
        var probe = ml.Data.LoadFromEnumerable([new KeyRow()]);
        DataViewSchema schema;
        try { schema = map.GetOutputSchema(probe.Schema); }
        catch (ArgumentOutOfRangeException) { return null; }
        if (schema.GetColumnOrNull(ModelChain.ModelColumn) is not { Type: TextDataViewType } column) return null;
        var output = map.Transform(probe);
        using var cursor = output.GetRowCursor([output.Schema[column.Name]]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema[column.Name]);
        ReadOnlyMemory<char> text = default;
        return cursor.MoveNext() ? Get(getter, ref text) : null;
    }

    private static ReadOnlyMemory<char> Get(ValueGetter<ReadOnlyMemory<char>> getter, ref ReadOnlyMemory<char> value)
    {
        getter(ref value);
        return value;
    }

    private sealed class KeyRow
    {
        [ColumnName(ModelChain.KeyColumn)] public int Key { get; set; }
    }
}
