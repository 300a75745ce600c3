using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>How the feature column turns into steps.</summary>
internal enum FeatureEncoding
{
    /// <summary>Floats, T × d per row.</summary>
    Values,
    /// <summary>Keys 1..d, one per step, each a one-hot step of d values.</summary>
    OneHotKeys,
}

/// <summary>
/// What the estimator reads from the schema: the sequence layout of the feature column, the task, the mode and the label
/// form, all checked before any row is read. Errors follow ML.NET: a missing column or a wrong column type is an
/// <see cref="ArgumentOutOfRangeException"/> for "inputSchema" whose message names the column.
/// </summary>
internal sealed record ColumnPlan(
    string FeatureColumn, FeatureEncoding Encoding, int FeatureSize, bool SingleStepInput,
    string LabelColumn, RecurrentTask Task, SequenceMode Mode, bool LabelIsKey, bool LabelIsVector, int Outputs,
    DataViewSchema.Column? KeyValueSource)
{
    public static ColumnPlan Create(DataViewSchema schema, LstmOptions options, bool requireLabel = true)
    {
        var feature = Find(schema, options.FeatureColumnName, "feature");
        var (encoding, featureSize, singleStep) = PlanFeatures(feature, options);
        var label = schema.GetColumnOrNull(options.LabelColumnName);
        if (label is null)
        {
            if (requireLabel) throw Missing("label", options.LabelColumnName);
            return new ColumnPlan(feature.Name, encoding, featureSize, singleStep, options.LabelColumnName,
                options.Task ?? RecurrentTask.Classification, options.Mode ?? SequenceMode.ManyToOne, true, false, 0, null);
        }
        return PlanLabel(feature.Name, encoding, featureSize, singleStep, label.Value, options);
    }

    private static (FeatureEncoding, int, bool) PlanFeatures(DataViewSchema.Column column, LstmOptions options)
    {
        if (column.Type is not VectorDataViewType vector)
            throw Mismatch("feature", column, "a vector of Single (T × d values per row) or of keys");
        int d = options.FeatureSize;
        if (vector.ItemType is KeyDataViewType key)
        {
            if (key.Count == 0 || key.Count > 1 << 20) throw Mismatch("feature", column, "a key vector with a known count up to 2^20");
            if (d != 0 && d != (int)key.Count)
                throw new ArgumentOutOfRangeException(nameof(options.FeatureSize), d, $"Feature column '{column.Name}' holds keys of {key.Count} values, so each step has {key.Count} one-hot features.");
            return (FeatureEncoding.OneHotKeys, (int)key.Count, false);
        }
        if (vector.ItemType != NumberDataViewType.Single) throw Mismatch("feature", column, "a vector of Single");
        var dims = vector.Dimensions;
        if (dims.Length == 2 && dims[0] == 0 && dims[1] > 0)
        {
            if (d != 0 && d != dims[1])
                throw new ArgumentOutOfRangeException(nameof(options.FeatureSize), d, $"Feature column '{column.Name}' has {dims[1]} values per step in its type.");
            return (FeatureEncoding.Values, dims[1], false);
        }
        if (vector.IsKnownSize)
        {
            if (d == 0 || d == vector.Size) return (FeatureEncoding.Values, vector.Size, true);
            if (vector.Size % d != 0)
                throw new ArgumentOutOfRangeException(nameof(options.FeatureSize), d, $"Feature column '{column.Name}' has {vector.Size} values, not a multiple of {d}.");
            return (FeatureEncoding.Values, d, false);
        }
        if (d == 0)
            throw new ArgumentOutOfRangeException(nameof(options.FeatureSize), d,
                $"Feature column '{column.Name}' is a variable-length vector without a step width: set FeatureSize, or type the column with dimensions [0, d].");
        return (FeatureEncoding.Values, d, false);
    }

    private static ColumnPlan PlanLabel(string feature, FeatureEncoding encoding, int d, bool singleStep,
        DataViewSchema.Column label, LstmOptions options)
    {
        var itemType = label.Type is VectorDataViewType v ? v.ItemType : label.Type;
        bool isVector = label.Type is VectorDataViewType;
        bool isKey = itemType is KeyDataViewType;
        if (!isKey && itemType != NumberDataViewType.Single)
            throw Mismatch("label", label, "a key or Single, or a vector of them");
        var task = options.Task ?? (isKey || options.NumberOfClasses.HasValue ? RecurrentTask.Classification : RecurrentTask.Regression);
        if (task == RecurrentTask.Regression && isKey)
            throw Mismatch("label", label, "Single values for regression (it holds keys)");
        var mode = options.Mode ?? (!isVector ? SequenceMode.ManyToOne
            : label.Type is VectorDataViewType { IsKnownSize: true } fixedVector && !isKey && fixedVector.Dimensions.Length == 1 ? SequenceMode.ManyToOne
            : singleStep ? SequenceMode.OneToMany : SequenceMode.ManyToMany);
        if (mode != SequenceMode.ManyToOne && !isVector)
            throw Mismatch("label", label, $"a vector with one label per step for {mode}");
        if (mode == SequenceMode.OneToMany && !singleStep)
            throw Mismatch("feature", label, "a fixed vector of d values for OneToMany");

        int outputs;
        if (task == RecurrentTask.Classification)
        {
            if (isKey)
            {
                var count = ((KeyDataViewType)itemType).Count;
                if (count < 2 || count > int.MaxValue) throw Mismatch("label", label, "a key with a known count of at least 2");
                if (options.NumberOfClasses is { } n && n != (int)count)
                    throw new ArgumentOutOfRangeException(nameof(options.NumberOfClasses), n, $"Label column '{label.Name}' is a key of {count} values.");
                outputs = (int)count;
            }
            else outputs = options.NumberOfClasses ?? throw Mismatch("label", label, "a key (use MapValueToKey), or set NumberOfClasses for class indices");
            if (mode == SequenceMode.ManyToOne && isVector) throw Mismatch("label", label, "one class per sequence (a scalar key) for ManyToOne");
        }
        else
        {
            var lv = label.Type as VectorDataViewType;
            outputs = lv is null ? 1
                : mode == SequenceMode.ManyToOne ? lv.Size
                : lv.Dimensions is [0, > 0] ? lv.Dimensions[1] : 1;
            if (outputs <= 0) throw Mismatch("label", label, "a known number of values per step");
        }
        return new ColumnPlan(feature, encoding, d, singleStep, label.Name, task, mode, isKey, isVector, outputs,
            isKey ? label : null);
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role) =>
        schema.GetColumnOrNull(name) ?? throw Missing(role, name);

    internal static ArgumentOutOfRangeException Missing(string role, string name) =>
        new("inputSchema", $"Could not find {role} column '{name}'");

    internal static ArgumentOutOfRangeException Mismatch(string role, DataViewSchema.Column column, string expected) =>
        new("inputSchema", $"Schema mismatch for {role} column '{column.Name}': expected {expected}, got {column.Type}");
}
