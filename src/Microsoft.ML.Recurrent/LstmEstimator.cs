using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Model;
using Microsoft.ML.Recurrent.Training;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Training;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains a recurrent network (LSTM by default) on sequence columns. Created by <c>mlContext.Recurrent().Lstm(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a feature column of T × d floats per row (variable T; d from the column type's dimensions [0, d] or
/// <see cref="LstmOptions.FeatureSize"/>), or keys (one-hot steps); a label column: a key or float per sequence
/// (many-to-one), a key or float vector with one entry per step (many-to-many; missing steps key 0 / NaN), or a label
/// vector for a fixed input vector (one-to-many). Sequences of different lengths are padded and masked exactly and
/// bucketed by length.</para>
/// <para>Does it need to look at the data: yes (one pass to load, then the epochs in memory). Exportable to ONNX: no.</para>
/// </remarks>
public sealed class LstmEstimator : IEstimator<LstmTransformer>
{
    private readonly MLContext _ml;
    private readonly LstmOptions _options;

    internal LstmEstimator(MLContext ml, LstmOptions options)
    {
        _ml = ml;
        _options = options;
        options.Validate();
    }

    /// <summary>Checks the input columns and returns the output schema (Score and, for classification, PredictedLabel).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => SchemaPropagation.OutputSchema(_ml, _options, inputSchema);

    /// <summary>Reads <paramref name="input"/>, trains, and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (parameter "inputSchema"), or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">A row is bad (the message names the column and the row), or there are no rows.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public LstmTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancel = _options.CancellationToken;
        var plan = ColumnPlan.Create(input.Schema, _options);
        using var log = new FitLog(_ml, _options);
        var train = SequenceRows.Read(input, plan, "training", cancel);
        SequenceDataset<float>? validation = null;
        if (_options.ValidationSet is { } v)
        {
            var vplan = ColumnPlan.Create(v.Schema, _options);
            if (vplan with { KeyValueSource = null } != plan with { KeyValueSource = null })
                throw new ArgumentOutOfRangeException(nameof(_options.ValidationSet), "The validation data's columns differ from the training data's.");
            validation = SequenceRows.Read(v, vplan, "validation", cancel);
        }
        var spec = NetworkFor(plan);
        int seed = _options.Seed ?? log.Host.Rand.Next();
        var network = new RecurrentNetwork<float>(spec, seed);
        log.Start(plan, train, network);
        TrainingResult result;
        using (var trainer = new Trainer<float>(network, _options.TrainerOptions(seed)))
            result = TimeLimitedFit.Fit(trainer, network, train, validation, log, _options);
        log.Done(result);

        var keyValues = plan.Task != RecurrentTask.Classification ? null
            : plan.KeyValueSource is { } label ? KeyValues.From(label, plan.Outputs) : KeyValues.Indices(plan.Outputs);
        var config = new ModelConfig
        {
            Network = spec, Task = plan.Task, Mode = plan.Mode, Encoding = plan.Encoding, FeatureSize = plan.FeatureSize,
            Outputs = plan.Outputs, LongestSequence = train.MaxLength,
            OutputSteps = plan.Mode == SequenceMode.OneToMany ? (_options.OutputSteps > 0 ? _options.OutputSteps : train.MaxLength) : 0,
            ClassNames = keyValues?.Names, FeatureColumnName = plan.FeatureColumn, LabelColumnName = plan.LabelColumn,
            ScoreColumnName = _options.ScoreColumnName, PredictedLabelColumnName = _options.PredictedLabelColumnName,
        };
        var model = new LstmModel(config, network, result);
        return Transformers.Create(_ml, model, input, keyValues);
    }

    private NetworkSpec NetworkFor(ColumnPlan plan)
    {
        var layers = _options.Layers?.ToList() ?? [new LstmSpec(_options.HiddenSize)];
        var loss = plan.Task == RecurrentTask.Classification ? LossKind.CrossEntropy : _options.RegressionLoss;
        layers.Add(new OutputSpec(plan.Outputs, loss));
        var spec = new NetworkSpec(plan.FeatureSize, layers);
        try { spec.Validate(); }
        catch (ArgumentException e) { throw new ArgumentOutOfRangeException(nameof(_options.Layers), e.Message); }
        return spec;
    }
}
