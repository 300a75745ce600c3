using Microsoft.ML;

namespace Samples.TextGeneration;

/// <summary>
/// How many epochs fit in a time budget: two epochs on a small part of the training windows measure the speed of this
/// machine right now (the second, once everything is warm), so that the learning-rate schedule can end when the budget
/// does.
/// </summary>
public static class EpochPlanner
{
    /// <summary>
    /// The epochs that fit in <paramref name="budget"/> (at least 1, rounded to the nearest: the budget cuts a last epoch
    /// that runs over), and the seconds per epoch expected.
    /// </summary>
    public static (int Epochs, double EpochSeconds) Plan(MLContext ml, TextRecipe recipe, IDataView train, IDataView validation, TimeSpan budget)
    {
        long trainRows = train.GetRowCount() ?? throw new InvalidOperationException("The training windows have no row count.");
        long validationRows = validation.GetRowCount() ?? 0;
        int sampleRows = (int)Math.Min(trainRows, Math.Max(4 * recipe.BatchSize, trainRows / 25));
        var probe = ml.Recurrent().Lstm(recipe.Options(2, validation: null, limit: null, progress: null)).Fit(ml.Data.TakeRows(train, sampleRows));
        double windowsPerSecond = probe.Model.Training!.History[^1].SequencesPerSecond;
        // A validation pass runs forward only: about a third of the work of training on as many windows.
        double epochSeconds = (trainRows + validationRows / 3.0) / windowsPerSecond;
        return ((int)Math.Max(1, Math.Round(budget.TotalSeconds / epochSeconds)), epochSeconds);
    }
}
