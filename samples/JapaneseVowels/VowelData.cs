using Microsoft.ML;
using Microsoft.ML.Data;

namespace Samples.JapaneseVowels;

/// <summary>The UEA JapaneseVowels files (sktime <c>.ts</c> format): 270 training and 370 test utterances.</summary>
public static class VowelData
{
    /// <summary>The folder's name inside the shared data folder.</summary>
    public const string FolderName = "JapaneseVowels";
    /// <summary>Coefficients per frame.</summary>
    public const int Channels = 12;
    /// <summary>The speakers, in key order.</summary>
    public static IReadOnlyList<string> Speakers { get; } = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Reads <c>JapaneseVowels_TRAIN.ts</c> or <c>JapaneseVowels_TEST.ts</c> from <paramref name="folder"/>, unscaled.</summary>
    public static ModelInput[] Load(MLContext ml, string folder, string split)
    {
        var view = ml.Data.LoadSequencesFromTsFile(Path.Combine(folder, $"JapaneseVowels_{split}.ts"));
        var named = ml.Transforms.Conversion.MapKeyToValue("Speaker", "Label").Fit(view).Transform(view);
        var features = named.GetColumn<float[]>("Features").ToArray();
        var labels = named.GetColumn<string>("Speaker").ToArray();
        return features.Zip(labels, (x, label) => new ModelInput { Features = x, Label = label }).ToArray();
    }
}
