using Samples.Common;

namespace Samples.SyntheticControl;

/// <summary>What to train on and how long.</summary>
public sealed record SyntheticControlOptions
{
    /// <summary>A folder holding the UCR files <c>synthetic_control_TRAIN</c> and <c>_TEST</c>; null = generated charts
    /// (or, with <see cref="Ucr"/>, the folder found in <c>../shared/data</c>).</summary>
    public string? DataFolder { get; init; }
    /// <summary>Use the UCR split of the real data set, found in <c>../shared/data</c> unless <see cref="DataFolder"/> says where.</summary>
    public bool Ucr { get; init; }
    /// <summary>A smoke run: few charts, two epochs (for tests).</summary>
    public bool Quick { get; init; }
    /// <summary>Seed of the generated data, the split and the network.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Where the trained model is saved. Default: next to the program, as Model Builder does.</summary>
    public string ModelPath { get; init; } = DefaultModelPath;

    private static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "SyntheticControlModel.zip");

    public static SyntheticControlOptions Parse(string[] args)
    {
        var line = new CommandLine(args, flags: ["--ucr", "--quick"], values: ["--data", "--seed", "--model"]);
        return new SyntheticControlOptions
        {
            DataFolder = line.Text("--data"),
            Ucr = line.Has("--ucr") || line.Has("--data"),
            Quick = line.Has("--quick"),
            Seed = line.Int("--seed") ?? 1,
            ModelPath = line.Text("--model") ?? DefaultModelPath,
        };
    }
}
