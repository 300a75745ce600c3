using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Model;

namespace Microsoft.ML
{
    /// <summary>The entry point: <c>mlContext.Recurrent()</c>.</summary>
    public static class RecurrentCatalogExtensions
    {
        /// <summary>Recurrent neural networks for sequences: trainers, evaluation, models and the time-step engine.</summary>
        public static RecurrentCatalog Recurrent(this MLContext mlContext)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            mlContext.ComponentCatalog.RegisterAssembly(typeof(RecurrentCatalog).Assembly);
            return new RecurrentCatalog(mlContext);
        }
    }
}

namespace Microsoft.ML.Recurrent
{
    /// <summary>Recurrent networks in ML.NET pipelines. Get it with <c>mlContext.Recurrent()</c>.</summary>
    public sealed partial class RecurrentCatalog
    {
        private readonly MLContext _ml;

        internal RecurrentCatalog(MLContext mlContext) => _ml = mlContext;

        /// <summary>
        /// An LSTM (one layer of <paramref name="hiddenSize"/> units, Adam, 20 epochs) for the sequences in
        /// <paramref name="featureColumnName"/>. A key label means classification (a key per sequence: many-to-one; a key
        /// vector: a class per step); a float label means regression, unless <paramref name="numberOfClasses"/> is given,
        /// in which case float labels are class indices 0 .. N − 1.
        /// </summary>
        /// <param name="labelColumnName">The label column. Default "Label".</param>
        /// <param name="featureColumnName">The sequence column (T × d floats per row). Default "Features".</param>
        /// <param name="hiddenSize">LSTM units, &gt; 0. Default 64.</param>
        /// <param name="numberOfClasses">Classes; null = from the label key, or regression for a float label.</param>
        /// <param name="scoreColumnName">Output: probabilities or values. Default "Score".</param>
        /// <param name="predictedLabelColumnName">Output: predicted class keys. Default "PredictedLabel".</param>
        public LstmEstimator Lstm(string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
            int hiddenSize = 64, int? numberOfClasses = null, string scoreColumnName = DefaultColumnNames.Score,
            string predictedLabelColumnName = DefaultColumnNames.PredictedLabel)
            => Lstm(new LstmOptions
            {
                LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, HiddenSize = hiddenSize,
                NumberOfClasses = numberOfClasses, ScoreColumnName = scoreColumnName, PredictedLabelColumnName = predictedLabelColumnName,
            });

        /// <summary>A recurrent network with every option: layer stack, task, training, validation, logging.</summary>
        public LstmEstimator Lstm(LstmOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            return new LstmEstimator(_ml, options);
        }

        /// <summary>
        /// The recurrent model inside <paramref name="model"/> (a fitted <see cref="LstmTransformer"/>, or a pipeline loaded
        /// with <c>mlContext.Model.Load</c> that contains one).
        /// </summary>
        /// <exception cref="ArgumentException">The pipeline holds no recurrent model.</exception>
        public LstmModel GetModel(ITransformer model)
        {
            ArgumentNullException.ThrowIfNull(model);
            return Transformers.FindModels(_ml, model).FirstOrDefault()
                ?? throw new ArgumentException("The model contains no Microsoft.ML.Recurrent model.", nameof(model));
        }

        /// <summary>
        /// Saves a pipeline like <c>mlContext.Model.Save</c>, but atomically: it writes a temporary file next to
        /// <paramref name="filePath"/> and replaces the target only when the save succeeded, so a failed save leaves an
        /// existing file intact.
        /// </summary>
        public void SaveModel(ITransformer model, DataViewSchema? inputSchema, string filePath)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentException.ThrowIfNullOrEmpty(filePath);
            string full = Path.GetFullPath(filePath);
            string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                _ml.Model.Save(model, inputSchema, temp);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}
