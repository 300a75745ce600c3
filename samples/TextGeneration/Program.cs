// A character-level LSTM on Tiny Shakespeare: trains, reports nats per character on the last 10% of the text, and
// writes text character by character with the time-step engine.
//   dotnet run --project samples/TextGeneration                  a short run (about two minutes)
//   dotnet run --project samples/TextGeneration -- --full        the full run: 30 minutes of training
//   options: --temperature 0.8  --characters 600  --prompt "ROMEO:"  --minutes M  --data FILE  --seed S
using Samples.TextGeneration;

var options = TextGenerationOptions.Parse(args);
var result = TextGenerationSample.Run(options, Console.Out);
Console.WriteLine($"Result: validation {result.ValidationNats:F4} nats per character (perplexity {result.ValidationPerplexity:F2}) " +
    $"after {result.Epochs} epoch(s) in {result.TrainingTime.TotalMinutes:F1} minutes of training.");
