using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Model;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A fitted recurrent model as an ML.NET transformer: rows are mapped lazily (thread-safe under parallel cursors) and
/// it works in <c>mlContext.Model.CreatePredictionEngine</c>. It saves as an ordinary part of an ML.NET .zip; after
/// <c>mlContext.Model.Load</c> the pipeline holds the built-in transformers it is made of, and
/// <c>mlContext.Recurrent().GetModel(loaded)</c> returns its <see cref="LstmModel"/>.
/// </summary>
/// <remarks>
/// Output columns: classification many-to-one — <c>Score</c> (class probabilities, a vector of C) and
/// <c>PredictedLabel</c> (a key with the label's key values); many-to-many and one-to-many — <c>Score</c> (T × C,
/// step-major) and <c>PredictedLabel</c> (a key per step); regression — <c>Score</c> (a float, or a vector of values).
/// </remarks>
public sealed class LstmTransformer : ITransformer
{
    private readonly ITransformer _chain;

    internal LstmTransformer(LstmModel model, ITransformer chain)
    {
        Model = model;
        _chain = chain;
    }

    /// <summary>The trained model: network, weights, task and columns.</summary>
    public LstmModel Model { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _chain.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <summary>Saves the built-in chain that carries the model (the only public way into an ML.NET .zip).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);
}
