// Usage: LoadCheck <model.zip> <rows> <seed>
// Loads the model in a fresh process (no registration call) and prints, for each generated row, its predicted label
// and its scores in round-trip format, one row per line.
using Microsoft.ML;
using Microsoft.ML.Recurrent.Tests.Estimator;

var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var engine = ml.Model.CreatePredictionEngine<SeqRow, Prediction>(model);
foreach (var row in GeneratedData.Rows(int.Parse(args[1]), int.Parse(args[2])))
{
    var p = engine.Predict(row);
    Console.WriteLine(p.PredictedLabel + " " + string.Join(" ", p.Score.Select(s => s.ToString("R"))));
}

internal sealed class Prediction
{
    public float[] Score { get; set; } = [];
    public string PredictedLabel { get; set; } = "";
}
