using Samples.Common;

namespace Samples.JapaneseVowels;

/// <summary>Where the data are and how long to train.</summary>
public sealed record JapaneseVowelsOptions
{
    /// <summary>The folder with the <c>.ts</c> files; null = <c>../shared/data/JapaneseVowels</c>, found by walking up.</summary>
    public string? DataFolder { get; init; }
    /// <summary>A smoke run: few utterances, two epochs (for tests).</summary>
    public bool Quick { get; init; }
    /// <summary>Seed of the network and the shuffling.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Where the trained model is saved (its channel statistics go next to it). Default: next to the program.</summary>
    public string ModelPath { get; init; } = DefaultModelPath;

    private static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "JapaneseVowelsModel.zip");

    public static JapaneseVowelsOptions Parse(string[] args)
    {
        var line = new CommandLine(args, flags: ["--quick"], values: ["--data", "--seed", "--model"]);
        return new JapaneseVowelsOptions
        {
            DataFolder = line.Text("--data"),
            Quick = line.Has("--quick"),
            Seed = line.Int("--seed") ?? 1,
            ModelPath = line.Text("--model") ?? DefaultModelPath,
        };
    }
}
