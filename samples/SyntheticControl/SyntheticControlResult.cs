namespace Samples.SyntheticControl;

/// <summary>What a run measured.</summary>
/// <param name="Data">Where the charts came from.</param>
/// <param name="TrainCount">Charts trained on (validation charts not included).</param>
/// <param name="TestCount">Held-out charts evaluated.</param>
/// <param name="TestAccuracy">Fraction of test charts classified right.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (best validation loss).</param>
/// <param name="TrainingTime">Wall time of the fit.</param>
/// <param name="ModelPath">The saved model.</param>
/// <param name="Example">A test chart given to the reloaded model.</param>
/// <param name="Answer">The reloaded model's answer for it.</param>
/// <param name="ReloadedAgrees">True when the reloaded model gives every test chart the class the trained one gave.</param>
public sealed record SyntheticControlResult(string Data, int TrainCount, int TestCount, double TestAccuracy, int Epochs, int BestEpoch,
    TimeSpan TrainingTime, string ModelPath, ModelInput Example, ModelOutput Answer, bool ReloadedAgrees);
