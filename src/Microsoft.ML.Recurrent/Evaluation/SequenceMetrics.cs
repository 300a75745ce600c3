namespace Microsoft.ML.Recurrent.Evaluation;

/// <summary>Metrics of a recurrent model on scored data. Steps without a label (key 0, NaN) never count.</summary>
public abstract class SequenceMetrics
{
    private protected SequenceMetrics(long steps, long sequences) { StepCount = steps; SequenceCount = sequences; }

    /// <summary>Labelled steps that were scored.</summary>
    public long StepCount { get; }
    /// <summary>Rows (sequences) with at least one labelled step.</summary>
    public long SequenceCount { get; }
}

/// <summary>Classification metrics over labelled steps (one per sequence for many-to-one).</summary>
public sealed class SequenceClassificationMetrics : SequenceMetrics
{
    internal SequenceClassificationMetrics(long steps, long sequences, double stepAccuracy, double sequenceAccuracy, double macroAccuracy,
        double logLoss, long[,] confusion, IReadOnlyList<string> classNames) : base(steps, sequences)
    {
        StepAccuracy = stepAccuracy;
        SequenceAccuracy = sequenceAccuracy;
        MacroAccuracy = macroAccuracy;
        LogLoss = logLoss;
        ConfusionMatrix = confusion;
        ClassNames = classNames;
    }

    /// <summary>Fraction of labelled steps whose most probable class is the label (micro accuracy).</summary>
    public double StepAccuracy { get; }
    /// <summary>Fraction of sequences whose every labelled step is right (equals <see cref="StepAccuracy"/> for many-to-one).</summary>
    public double SequenceAccuracy { get; }
    /// <summary>Mean over the classes that occur of the fraction of their steps predicted right.</summary>
    public double MacroAccuracy { get; }
    /// <summary>Mean of −ln p(label) over labelled steps (p clipped at 1e-15).</summary>
    public double LogLoss { get; }
    /// <summary>exp(<see cref="LogLoss"/>): the effective number of equally likely choices per step.</summary>
    public double Perplexity => Math.Exp(LogLoss);
    /// <summary>Counts of labelled steps: [actual class, predicted class], 0-based.</summary>
    public long[,] ConfusionMatrix { get; }
    /// <summary>Names of the classes (key values), in key order.</summary>
    public IReadOnlyList<string> ClassNames { get; }
}

/// <summary>Regression metrics over labelled values.</summary>
public sealed class SequenceRegressionMetrics : SequenceMetrics
{
    internal SequenceRegressionMetrics(long steps, long sequences, double mae, double rmse, double rSquared) : base(steps, sequences)
    {
        MeanAbsoluteError = mae;
        RootMeanSquaredError = rmse;
        RSquared = rSquared;
    }

    /// <summary>Mean of |prediction − label| over labelled values.</summary>
    public double MeanAbsoluteError { get; }
    /// <summary>√ mean of (prediction − label)² over labelled values.</summary>
    public double RootMeanSquaredError { get; }
    /// <summary>1 − Σ(prediction − label)² / Σ(label − mean label)².</summary>
    public double RSquared { get; }
}
