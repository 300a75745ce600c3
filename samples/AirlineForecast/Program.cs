// Forecasts the last 12 months of the airline passengers series step by step with an LSTM.
//   dotnet run --project samples/AirlineForecast                    ../shared/data/airline/Airline.csv
//   dotnet run --project samples/AirlineForecast -- --data FILE     another copy of the file
//   dotnet run --project samples/AirlineForecast -- --backtest      forecast 1959 from 1949-1958 (how the settings were chosen)
using Samples.AirlineForecast;

var options = AirlineForecastOptions.Parse(args);
var result = AirlineForecastSample.Run(options, Console.Out);
Console.WriteLine($"Result: from {result.FirstMonth}, LSTM {result.Lstm} vs seasonal naive {result.SeasonalNaive}; {result.TrainingTime.TotalSeconds:F0} s of training.");
