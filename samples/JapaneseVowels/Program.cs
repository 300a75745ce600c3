// Names the speaker of a Japanese vowel (UEA JapaneseVowels: 12 channels, 7 to 29 frames, 9 speakers) with an LSTM.
//   dotnet run --project samples/JapaneseVowels                 the .ts files in ../shared/data/JapaneseVowels
//   dotnet run --project samples/JapaneseVowels -- --data DIR   the .ts files in DIR
using Samples.JapaneseVowels;

var options = JapaneseVowelsOptions.Parse(args);
var result = JapaneseVowelsSample.Run(options, Console.Out);
Console.WriteLine($"Result: test accuracy {result.TestAccuracy:F4} on {result.TestCount} utterances, {result.TrainingTime.TotalSeconds:F0} s of training.");
