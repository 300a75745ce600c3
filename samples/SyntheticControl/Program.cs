// Classifies control charts with an LSTM. No arguments: charts generated in code by the data set's recipe.
//   dotnet run --project samples/SyntheticControl                 generated charts (no download)
//   dotnet run --project samples/SyntheticControl -- --ucr        the UCR split of the real data in ../shared/data
//   dotnet run --project samples/SyntheticControl -- --data DIR   the UCR files in DIR
using Samples.SyntheticControl;

var options = SyntheticControlOptions.Parse(args);
var result = SyntheticControlSample.Run(options, Console.Out);
Console.WriteLine($"Result: test accuracy {result.TestAccuracy:F4} on {result.TestCount} charts, {result.TrainingTime.TotalSeconds:F0} s of training.");
