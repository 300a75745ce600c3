namespace Samples.JapaneseVowels;

/// <summary>What a run measured.</summary>
/// <param name="TrainCount">Utterances trained on.</param>
/// <param name="TestCount">Test utterances evaluated.</param>
/// <param name="TestAccuracy">Fraction of test utterances whose speaker was named right.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="TrainingTime">Wall time of the fit.</param>
/// <param name="ModelPath">The saved model.</param>
/// <param name="ExampleSpeaker">The true speaker of a test utterance given to the reloaded model.</param>
/// <param name="Answer">The reloaded model's answer for it.</param>
/// <param name="ReloadedAgrees">True when the reloaded model names, for every test utterance, the speaker the trained one named.</param>
public sealed record JapaneseVowelsResult(int TrainCount, int TestCount, double TestAccuracy, int Epochs, TimeSpan TrainingTime,
    string ModelPath, string ExampleSpeaker, ModelOutput Answer, bool ReloadedAgrees);
