using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Evaluation;

namespace Microsoft.ML.Recurrent;

public sealed partial class RecurrentCatalog
{
    /// <summary>
    /// Evaluates scored data: classification metrics when the label is a key (or key vector), regression metrics when
    /// it is a float (or float vector). Steps without a label never count.
    /// </summary>
    /// <param name="data">Scored data (the output of a fitted recurrent model), with the label column.</param>
    /// <param name="labelColumnName">The label column. Default "Label".</param>
    /// <param name="scoreColumnName">The score column. Default "Score".</param>
    public SequenceMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label, string scoreColumnName = DefaultColumnNames.Score)
    {
        ArgumentNullException.ThrowIfNull(data);
        var label = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"Could not find label column '{labelColumnName}'");
        bool key = (label.Type is VectorDataViewType v ? v.ItemType : label.Type) is KeyDataViewType;
        return key ? EvaluateClassification(data, labelColumnName, scoreColumnName) : EvaluateRegression(data, labelColumnName, scoreColumnName);
    }

    /// <summary>Per-step and per-sequence accuracy, macro accuracy, log-loss, perplexity and the confusion matrix.</summary>
    /// <param name="data">Scored data with a key (or key vector) label column.</param>
    /// <param name="labelColumnName">The label column. Default "Label".</param>
    /// <param name="scoreColumnName">The score column: class probabilities, C per labelled step. Default "Score".</param>
    public SequenceClassificationMetrics EvaluateClassification(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score)
    {
        ArgumentNullException.ThrowIfNull(data);
        return SequenceEvaluator.Classification(data, labelColumnName, scoreColumnName);
    }

    /// <summary>Mean absolute error, root mean squared error and R² over labelled values.</summary>
    /// <param name="data">Scored data with a float (or float vector) label column.</param>
    /// <param name="labelColumnName">The label column. Default "Label".</param>
    /// <param name="scoreColumnName">The score column, one value per label value. Default "Score".</param>
    public SequenceRegressionMetrics EvaluateRegression(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score)
    {
        ArgumentNullException.ThrowIfNull(data);
        return SequenceEvaluator.Regression(data, labelColumnName, scoreColumnName);
    }
}
