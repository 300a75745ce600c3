namespace Microsoft.ML.Recurrent.Data;

/// <summary>Whether the label column holds one label per step or one label per sequence.</summary>
public enum SequenceLabelShape
{
    /// <summary>
    /// One label per step (many-to-many; also many-to-one and one-to-many through <see cref="SequenceAlignment"/>):
    /// a variable-length key vector for classification, or a variable-length float vector of T x outputs values for
    /// regression. Steps without a label hold the missing value (key 0, or NaN).
    /// </summary>
    PerStep,

    /// <summary>
    /// One label per sequence (many-to-one): every label file must hold exactly one step, and the label column is a
    /// scalar key (classification), a float (regression with one output) or a fixed-size float vector (several outputs).
    /// Alignment does not apply: the features keep their own length.
    /// </summary>
    PerSequence,
}
