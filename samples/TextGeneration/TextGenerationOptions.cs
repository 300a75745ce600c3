using Samples.Common;

namespace Samples.TextGeneration;

/// <summary>How long to train: a smoke run, the short default run, or the full run.</summary>
public enum TrainingLength { Quick, Short, Full }

/// <summary>Where the text is, how long to train, and what to write.</summary>
public sealed record TextGenerationOptions
{
    /// <summary>The text file; null = <c>../shared/data/tinyshakespeare/input.txt</c>, found by walking up.</summary>
    public string? DataPath { get; init; }
    /// <summary>Quick (tests), Short (default, a couple of minutes) or Full (<c>--full</c>, 30 minutes of training).</summary>
    public TrainingLength Length { get; init; } = TrainingLength.Short;
    /// <summary>Overrides the training budget of the Short and Full runs, in minutes.</summary>
    public double? Minutes { get; init; }
    /// <summary>Overrides the units of each LSTM layer of the Short and Full runs.</summary>
    public int? Hidden { get; init; }
    /// <summary>Sampling temperature: below 1 more conservative, above 1 more adventurous. Default 0.8.</summary>
    public double Temperature { get; init; } = 0.8;
    /// <summary>Characters to write after the prompt. Default 600.</summary>
    public int Characters { get; init; } = 600;
    /// <summary>The text the generated text follows. Default "ROMEO:".</summary>
    public string Prompt { get; init; } = "ROMEO:";
    /// <summary>Seed of the network, the shuffling and the sampling.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Where the trained model is saved (its vocabulary goes next to it). Default: next to the program.</summary>
    public string ModelPath { get; init; } = DefaultModelPath;

    private static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "ShakespeareModel.zip");

    public static TextGenerationOptions Parse(string[] args)
    {
        var line = new CommandLine(args, flags: ["--full", "--quick"],
            values: ["--data", "--minutes", "--hidden", "--temperature", "--characters", "--prompt", "--seed", "--model"]);
        return new TextGenerationOptions
        {
            DataPath = line.Text("--data"),
            Length = line.Has("--full") ? TrainingLength.Full : line.Has("--quick") ? TrainingLength.Quick : TrainingLength.Short,
            Minutes = line.Double("--minutes"),
            Hidden = line.Int("--hidden"),
            Temperature = line.Double("--temperature") ?? 0.8,
            Characters = line.Int("--characters") ?? 600,
            Prompt = line.Text("--prompt") ?? "ROMEO:",
            Seed = line.Int("--seed") ?? 1,
            ModelPath = line.Text("--model") ?? DefaultModelPath,
        };
    }
}
