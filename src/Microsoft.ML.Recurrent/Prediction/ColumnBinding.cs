using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Model;

namespace Microsoft.ML.Recurrent.Prediction;

/// <summary>
/// Reads the feature column from a <typeparamref name="TInput"/> and writes Score / PredictedLabel into a
/// <typeparamref name="TOutput"/>, by the model's column names (a property of that name, or one carrying
/// <see cref="ColumnNameAttribute"/>), through delegates built once.
/// </summary>
internal sealed class ColumnBinding<TInput, TOutput> where TInput : class where TOutput : class
{
    private readonly Func<TInput, float[]>? _floats;
    private readonly Func<TInput, float>? _float;
    private readonly Func<TInput, uint[]>? _keys;
    private readonly Action<TOutput, float[]>? _setScores;
    private readonly Func<TOutput, float[]?>? _getScores;
    private readonly Action<TOutput, float>? _setScore;
    private readonly Action<TOutput, uint>? _setKey;
    private readonly Action<TOutput, uint[]>? _setKeys;
    private readonly Func<TOutput, uint[]?>? _getKeys;
    private readonly Action<TOutput, string>? _setName;
    private readonly Action<TOutput, string[]>? _setNames;
    private readonly Func<TOutput, string[]?>? _getNames;
    private readonly LstmModel _model;

    public ColumnBinding(LstmModel model)
    {
        _model = model;
        var feature = Find(typeof(TInput), model.FeatureColumnName)
            ?? throw new ArgumentException($"{typeof(TInput).Name} has no property for the feature column '{model.FeatureColumnName}'.", nameof(TInput));
        if (feature.PropertyType == typeof(float[])) _floats = Getter<TInput, float[]>(feature);
        else if (feature.PropertyType == typeof(float) && model.FeatureSize == 1) _float = Getter<TInput, float>(feature);
        else if (feature.PropertyType == typeof(uint[]) && model.Config.Encoding == FeatureEncoding.OneHotKeys) _keys = Getter<TInput, uint[]>(feature);
        else throw new ArgumentException($"{typeof(TInput).Name}.{feature.Name} must be float[] (T × {model.FeatureSize} values)" +
            (model.Config.Encoding == FeatureEncoding.OneHotKeys ? " or uint[] (keys 1.." + model.FeatureSize + ")" : "") + $", not {feature.PropertyType.Name}.", nameof(TInput));

        if (Find(typeof(TOutput), model.ScoreColumnName) is { } score)
        {
            if (score.PropertyType == typeof(float[])) { _setScores = Setter<TOutput, float[]>(score); _getScores = Getter<TOutput, float[]?>(score); }
            else if (score.PropertyType == typeof(float)) _setScore = Setter<TOutput, float>(score);
            else throw new ArgumentException($"{typeof(TOutput).Name}.{score.Name} must be float[] or float.", nameof(TOutput));
        }
        if (model.Task == RecurrentTask.Classification && Find(typeof(TOutput), model.PredictedLabelColumnName) is { } label)
        {
            var t = label.PropertyType;
            if (t == typeof(uint)) _setKey = Setter<TOutput, uint>(label);
            else if (t == typeof(uint[])) { _setKeys = Setter<TOutput, uint[]>(label); _getKeys = Getter<TOutput, uint[]?>(label); }
            else if (t == typeof(string)) _setName = Setter<TOutput, string>(label);
            else if (t == typeof(string[])) { _setNames = Setter<TOutput, string[]>(label); _getNames = Getter<TOutput, string[]?>(label); }
            else throw new ArgumentException($"{typeof(TOutput).Name}.{label.Name} must be uint (key), uint[], string (class name) or string[].", nameof(TOutput));
            if ((_setName ?? (object?)_setNames) is not null && model.ClassNames is null)
                throw new ArgumentException("The model has no class names; use uint keys for PredictedLabel.", nameof(TOutput));
        }
    }

    /// <summary>The input's feature values (one-hot for keys) in <paramref name="buffer"/>; returns the value count.</summary>
    public ReadOnlySpan<float> Features(TInput input, ref float[] buffer)
    {
        if (_floats is not null) return _floats(input) ?? throw new ArgumentNullException(nameof(input), "The feature array is null.");
        if (_float is not null) { Grow(ref buffer, 1); buffer[0] = _float(input); return buffer.AsSpan(0, 1); }
        var keys = _keys!(input) ?? throw new ArgumentNullException(nameof(input), "The feature array is null.");
        int d = _model.FeatureSize;
        Grow(ref buffer, keys.Length * d);
        var x = buffer.AsSpan(0, keys.Length * d);
        x.Clear();
        for (int t = 0; t < keys.Length; t++)
        {
            if (keys[t] == 0 || keys[t] > d) throw new ArgumentOutOfRangeException(nameof(input), keys[t], $"Step {t} holds key {keys[t]}, outside 1..{d}.");
            x[t * d + (int)keys[t] - 1] = 1;
        }
        return x;
    }

    /// <summary>Writes the outputs of <paramref name="steps"/> steps, <c>[steps, O]</c>, reusing the output's arrays when they fit.</summary>
    public void Write(TOutput output, ReadOnlySpan<float> y, int steps)
    {
        int o = _model.OutputSize;
        if (_setScore is not null)
        {
            if (y.Length != 1) throw new InvalidOperationException($"{typeof(TOutput).Name} has a scalar score but the call produced {y.Length} values; use float[].");
            _setScore(output, y[0]);
        }
        else if (_setScores is not null)
        {
            var s = _getScores!(output);
            if (s is null || s.Length != y.Length) _setScores(output, s = new float[y.Length]);
            y.CopyTo(s);
        }
        if (_setKey is null && _setKeys is null && _setName is null && _setNames is null) return;
        if ((_setKey ?? (object?)_setName) is not null && steps != 1)
            throw new InvalidOperationException($"{typeof(TOutput).Name} has one predicted label but the call has {steps} steps; use an array.");
        var names = _model.ClassNames;
        uint[]? keys = _setKeys is null ? null : Reuse(_getKeys!(output), steps, _setKeys, output);
        string[]? texts = _setNames is null ? null : Reuse(_getNames!(output), steps, _setNames, output);
        for (int t = 0; t < steps; t++)
        {
            int best = ClassFactory.ArgMax(y.Slice(t * o, o));
            _setKey?.Invoke(output, (uint)best + 1);
            _setName?.Invoke(output, names![best]);
            if (keys is not null) keys[t] = (uint)best + 1;
            if (texts is not null) texts[t] = names![best];
        }
    }

    private static TItem[] Reuse<TItem>(TItem[]? current, int n, Action<TOutput, TItem[]> set, TOutput output)
    {
        if (current is not null && current.Length == n) return current;
        var fresh = new TItem[n];
        set(output, fresh);
        return fresh;
    }

    private static void Grow(ref float[] buffer, int n)
    {
        if (buffer.Length < n) buffer = new float[Math.Max(n, 2 * buffer.Length)];
    }

    private static PropertyInfo? Find(Type type, string column) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => ColumnName(p) == column)
        ?? type.GetProperty(column, BindingFlags.Public | BindingFlags.Instance);

    /// <summary>The name given by <see cref="ColumnNameAttribute"/> (whose property is not public), or null.</summary>
    private static string? ColumnName(PropertyInfo p) =>
        p.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(ColumnNameAttribute))?.ConstructorArguments[0].Value as string;

    private static Func<TObj, TValue> Getter<TObj, TValue>(PropertyInfo p) =>
        p.GetMethod?.CreateDelegate<Func<TObj, TValue>>() ?? throw new ArgumentException($"{typeof(TObj).Name}.{p.Name} has no public getter.");

    private static Action<TObj, TValue> Setter<TObj, TValue>(PropertyInfo p) =>
        p.SetMethod?.CreateDelegate<Action<TObj, TValue>>() ?? throw new ArgumentException($"{typeof(TObj).Name}.{p.Name} has no public setter.");
}
