namespace Samples.TextGeneration;

/// <summary>What a run measured.</summary>
/// <param name="Epochs">Epochs completed (an epoch cut short by the budget is not counted).</param>
/// <param name="PlannedEpochs">Epochs planned to fit the budget.</param>
/// <param name="StoppedByBudget">True when the budget ended training before the planned epochs were done.</param>
/// <param name="TrainingTime">Wall time of training, the speed measurement included.</param>
/// <param name="ValidationNats">Validation loss: mean −ln p(next character) over the last 10% of the text.</param>
/// <param name="ValidationPerplexity">exp(<paramref name="ValidationNats"/>).</param>
/// <param name="ModelPath">The saved model.</param>
/// <param name="Generated">Text written by the reloaded model after the prompt.</param>
public sealed record TextGenerationResult(int Epochs, int PlannedEpochs, bool StoppedByBudget, TimeSpan TrainingTime, double ValidationNats,
    double ValidationPerplexity, string ModelPath, string Generated);
