using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>
/// <see cref="LstmEstimator.GetOutputSchema"/>: checks the input columns, then lets the chain a fit would build (with
/// placeholder weights) propagate the schema, so the shapes it reports are those the fitted transformer produces.
/// </summary>
internal static class SchemaPropagation
{
    public static SchemaShape OutputSchema(MLContext ml, LstmOptions options, SchemaShape input)
    {
        if (!TryFind(input, options.FeatureColumnName, out var feature)) throw ColumnPlan.Missing("feature", options.FeatureColumnName);
        if (feature.Kind == SchemaShape.Column.VectorKind.Scalar || !(feature.IsKey || feature.ItemType == NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for feature column '{feature.Name}': expected a vector of Single or of keys, got {Describe(feature)}");
        if (!TryFind(input, options.LabelColumnName, out var label)) throw ColumnPlan.Missing("label", options.LabelColumnName);
        if (!(label.IsKey || label.ItemType == NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for label column '{label.Name}': expected a key or Single, or a vector of them, got {Describe(label)}");

        var task = options.Task ?? (label.IsKey || options.NumberOfClasses.HasValue ? RecurrentTask.Classification : RecurrentTask.Regression);
        var mode = options.Mode ?? (label.Kind == SchemaShape.Column.VectorKind.VariableVector ? SequenceMode.ManyToMany : SequenceMode.ManyToOne);
        bool multiple = task == RecurrentTask.Regression && label.Kind != SchemaShape.Column.VectorKind.Scalar;
        var config = new ModelConfig
        {
            Network = new NetworkSpec(1, [new OutputSpec(2, LossKind.MeanSquaredError)]),
            Task = task, Mode = mode, Encoding = feature.IsKey ? FeatureEncoding.OneHotKeys : FeatureEncoding.Values,
            FeatureSize = 1, Outputs = multiple ? 2 : task == RecurrentTask.Regression ? 1 : 2,
            FeatureColumnName = options.FeatureColumnName, LabelColumnName = options.LabelColumnName,
            ScoreColumnName = options.ScoreColumnName, PredictedLabelColumnName = options.PredictedLabelColumnName,
        };
        var keyType = TryFind(label.Annotations, SequenceColumnTypes.KeyValuesKind, out var kv) ? kv.ItemType.RawType : typeof(uint);
        return ModelChain.Estimator(ml, config, "", KeyValues.Placeholder(keyType)).GetOutputSchema(input);
    }

    private static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        foreach (var c in shape)
            if (c.Name == name) { column = c; return true; }
        column = default;
        return false;
    }

    private static string Describe(SchemaShape.Column c) => $"{c.Kind} of {(c.IsKey ? "Key" : c.ItemType.ToString())}";
}
