using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Recurrent.Model;

// The CustomMapping pieces of a saved model. ML.NET persists only their contract names (and this assembly's name), so
// these names never change; the weights travel in a ValueMapping column (see ModelChain). Public because ML.NET builds
// their rows by reflection; not for direct use.

/// <summary>Internal to saved models: no input columns.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModelKeyInput { }

/// <summary>Internal to saved models: the lookup key of the model payload.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModelKeyOutput
{
    /// <summary>Always 0.</summary>
    [ColumnName(ModelChain.KeyColumn)] public int Key { get; set; }
}

/// <summary>Internal to saved models: the features and the model payload of one row.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictionInput
{
    /// <summary>The row's feature values.</summary>
    [ColumnName(ModelChain.FeatureColumn)] public float[] Features { get; set; } = [];
    /// <summary>The model payload (base64), the same string instance on every row.</summary>
    [ColumnName(ModelChain.ModelColumn)] public ReadOnlyMemory<char> Model { get; set; }
}

/// <summary>Internal to saved models: probabilities and the class of a sequence.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassOutput
{
    /// <summary>Class probabilities.</summary>
    [ColumnName(ModelChain.ScoreColumn)] public float[] Score { get; set; } = [];
    /// <summary>0-based predicted class.</summary>
    [ColumnName(ModelChain.ClassColumn)] public uint Class { get; set; }
}

/// <summary>Internal to saved models: probabilities and the class of every step.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassSequenceOutput
{
    /// <summary>Class probabilities of every step, T × C.</summary>
    [ColumnName(ModelChain.ScoreColumn)] public float[] Score { get; set; } = [];
    /// <summary>0-based predicted class of every step.</summary>
    [ColumnName(ModelChain.ClassColumn)] public uint[] Class { get; set; } = [];
}

/// <summary>Internal to saved models: one predicted value.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValueOutput
{
    /// <summary>The value.</summary>
    [ColumnName(ModelChain.ScoreColumn)] public float Score { get; set; }
}

/// <summary>Internal to saved models: predicted values (several per sequence or per step).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValuesOutput
{
    /// <summary>The values.</summary>
    [ColumnName(ModelChain.ScoreColumn)] public float[] Score { get; set; } = [];
}

/// <summary>Internal to saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(Contract)]
public sealed class ModelKeyFactory : CustomMappingFactory<ModelKeyInput, ModelKeyOutput>
{
    internal const string Contract = "Microsoft.ML.Recurrent.ModelKey";
    internal static void Map(ModelKeyInput input, ModelKeyOutput output) => output.Key = 0;
    /// <inheritdoc/>
    public override Action<ModelKeyInput, ModelKeyOutput> GetMapping() => Map;
}

/// <summary>Internal to saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(Contract)]
public sealed class ClassFactory : CustomMappingFactory<PredictionInput, ClassOutput>
{
    internal const string Contract = "Microsoft.ML.Recurrent.PredictClass";
    internal static void Map(PredictionInput input, ClassOutput output)
    {
        var predictor = Payloads.Predictor(input.Model);
        output.Score = predictor.Run(input.Features, static (y, steps) => y.Slice((steps - 1) * (y.Length / steps), y.Length / steps).ToArray());
        output.Class = (uint)ArgMax(output.Score);
    }
    internal static int ArgMax(ReadOnlySpan<float> p)
    {
        int best = 0;
        for (int j = 1; j < p.Length; j++) if (p[j] > p[best]) best = j;
        return best;
    }
    /// <inheritdoc/>
    public override Action<PredictionInput, ClassOutput> GetMapping() => Map;
}

/// <summary>Internal to saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(Contract)]
public sealed class ClassSequenceFactory : CustomMappingFactory<PredictionInput, ClassSequenceOutput>
{
    internal const string Contract = "Microsoft.ML.Recurrent.PredictClassSequence";
    internal static void Map(PredictionInput input, ClassSequenceOutput output)
    {
        var predictor = Payloads.Predictor(input.Model);
        output.Score = predictor.Run(input.Features, static (y, steps) => y.ToArray());
        int c = predictor.Outputs, steps = output.Score.Length / c;
        var classes = new uint[steps];
        for (int t = 0; t < steps; t++) classes[t] = (uint)ClassFactory.ArgMax(output.Score.AsSpan(t * c, c));
        output.Class = classes;
    }
    /// <inheritdoc/>
    public override Action<PredictionInput, ClassSequenceOutput> GetMapping() => Map;
}

/// <summary>Internal to saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(Contract)]
public sealed class ValueFactory : CustomMappingFactory<PredictionInput, ValueOutput>
{
    internal const string Contract = "Microsoft.ML.Recurrent.PredictValue";
    internal static void Map(PredictionInput input, ValueOutput output) =>
        output.Score = Payloads.Predictor(input.Model).Run(input.Features, static (y, steps) => y[steps - 1]);
    /// <inheritdoc/>
    public override Action<PredictionInput, ValueOutput> GetMapping() => Map;
}

/// <summary>Internal to saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(Contract)]
public sealed class ValuesFactory : CustomMappingFactory<PredictionInput, ValuesOutput>
{
    internal const string Contract = "Microsoft.ML.Recurrent.PredictValues";
    internal static void Map(PredictionInput input, ValuesOutput output)
    {
        var predictor = Payloads.Predictor(input.Model);
        bool lastOnly = Payloads.Model(input.Model).Mode == SequenceMode.ManyToOne;
        output.Score = predictor.Run(input.Features, (y, steps) => lastOnly ? y.Slice(y.Length - y.Length / steps).ToArray() : y.ToArray());
    }
    /// <inheritdoc/>
    public override Action<PredictionInput, ValuesOutput> GetMapping() => Map;
}

/// <summary>
/// Decoded payloads, cached on the identity of the payload string: ValueMapping hands every row the same string
/// instance, so decoding happens once per loaded model and each row costs one table lookup.
/// </summary>
internal static class Payloads
{
    private static readonly ConditionalWeakTable<string, LstmModel> Cache = [];

    public static LstmModel Model(ReadOnlyMemory<char> text)
    {
        if (MemoryMarshal.TryGetString(text, out var s, out int start, out int length) && start == 0 && length == s.Length)
            return Cache.GetValue(s, static k => Decode(k));
        return Decode(text.ToString());
    }

    public static RowPredictor Predictor(ReadOnlyMemory<char> text) => Model(text).Predictor;

    private static LstmModel Decode(string base64)
    {
        var (config, network) = ModelPayload.Read(Convert.FromBase64String(base64));
        return new LstmModel(config, network);
    }
}
