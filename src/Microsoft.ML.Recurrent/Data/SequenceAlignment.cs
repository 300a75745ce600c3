namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// How a feature series and a label series of different lengths are placed in one row (DL4J's <c>AlignmentMode</c>).
/// A row has L = max(feature steps, label steps) steps; the longer series always starts at step 0. Feature steps the
/// shorter series does not cover are zeros (the network still runs them), label steps it does not cover are missing
/// (key 0, or NaN for regression).
/// </summary>
public enum SequenceAlignment
{
    /// <summary>Features and labels must have the same number of steps; a difference is an error (the default).</summary>
    EqualLength,

    /// <summary>Both series start at step 0; the shorter one is padded after its end (one-to-many: a one-line feature file).</summary>
    AlignStart,

    /// <summary>
    /// Both series end at step L - 1; the shorter one is padded before its start (many-to-one: a one-line label file).
    /// The alignment is per row, so the longer series of every row starts at step 0.
    /// </summary>
    AlignEnd,
}
