using Microsoft.ML.Data;

namespace Samples.JapaneseVowels;

/// <summary>One utterance: a variable number of frames of 12 LPC cepstrum coefficients, and its speaker.</summary>
public sealed class ModelInput
{
    /// <summary>Frames × 12 coefficients, frame-major (frame t's coefficient c at t × 12 + c), standardised by
    /// <see cref="ChannelStandardizer"/>.</summary>
    [VectorType(0, VowelData.Channels)]
    public float[] Features { get; set; } = [];

    /// <summary>The speaker, "1" to "9"; ignored by prediction.</summary>
    public string Label { get; set; } = "";
}
