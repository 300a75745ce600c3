using Samples.Common;

namespace Samples.AirlineForecast;

/// <summary>Where the data are, which year to forecast, and how long to train.</summary>
public sealed record AirlineForecastOptions
{
    /// <summary>The CSV file; null = <c>../shared/data/airline/Airline.csv</c>, found by walking up.</summary>
    public string? DataPath { get; init; }
    /// <summary>Forecast the year before the last (1959) from the years before it, leaving the last year unseen: the
    /// run on which the settings were chosen.</summary>
    public bool Backtest { get; init; }
    /// <summary>A smoke run: two epochs (for tests).</summary>
    public bool Quick { get; init; }
    /// <summary>Seed of the networks and the shuffling; the ensemble's members use Seed, Seed + 1, ....</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Where the trained model is saved (its scaling goes next to it). Default: next to the program.</summary>
    public string ModelPath { get; init; } = DefaultModelPath;

    private static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "AirlineModel.zip");

    public static AirlineForecastOptions Parse(string[] args)
    {
        var line = new CommandLine(args, flags: ["--backtest", "--quick"], values: ["--data", "--seed", "--model"]);
        return new AirlineForecastOptions
        {
            DataPath = line.Text("--data"),
            Backtest = line.Has("--backtest"),
            Quick = line.Has("--quick"),
            Seed = line.Int("--seed") ?? 1,
            ModelPath = line.Text("--model") ?? DefaultModelPath,
        };
    }
}
