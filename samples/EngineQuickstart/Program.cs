// Trains an LSTM with the engine alone (no ML.NET) on a generated memory task and prints the loss falling.
//
// Task: step 0 shows one of four symbols, the next steps carry noise, the last step asks "which symbol was first?".
// Answering needs memory across the whole sequence.
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Training;

const int Steps = 24, Symbols = 4, Features = Symbols + 2;
int epochs = args.Length > 0 ? int.Parse(args[0]) : 5;

var train = Recall(3000, seed: 1);
var test = Recall(500, seed: 2);
var spec = new NetworkSpec(Features, [new LstmSpec(Hidden: 32), new OutputSpec(Symbols, LossKind.CrossEntropy)]);
var network = new RecurrentNetwork<float>(spec, seed: 1);
Console.WriteLine($"LSTM with {network.Parameters.Length} weights; recall a symbol across {Steps - 1} steps.");

using var trainer = new Trainer<float>(network, new TrainerOptions { Epochs = epochs, BatchSize = 32, LearningRate = 1e-2, ReportEveryUpdates = 25 });
var before = trainer.Evaluate(test);
Console.WriteLine($"before training: test loss {before.Loss:F4}, accuracy {before.Accuracy:P1}");
trainer.Fit(train, test, p => Console.WriteLine(p.IsEpochEnd
    ? $"epoch {p.Epoch}: train loss {p.TrainLoss:F4}, test loss {p.ValidationLoss:F4}, test accuracy {p.ValidationAccuracy:P1}, {p.SequencesPerSecond:F0} sequences/s"
    : $"  update {p.Update,4}: train loss {p.TrainLoss:F4}"));
var after = trainer.Evaluate(test);
Console.WriteLine($"after training: test loss {after.Loss:F4}, accuracy {after.Accuracy:P1}");

static SequenceDataset<float> Recall(int count, int seed)
{
    var rng = new Rng(seed);
    var data = new SequenceDataset<float>(Features, Symbols, classification: true);
    var x = new float[Steps * Features];          // [T, I]
    var y = new int[Steps];                       // a class per step, -1 = no label
    for (int n = 0; n < count; n++)
    {
        Array.Clear(x);
        Array.Fill(y, -1);
        int symbol = rng.NextInt(Symbols);
        x[symbol] = 1;
        for (int t = 1; t < Steps; t++) x[t * Features + Symbols] = (float)rng.Uniform(-1, 1);
        x[(Steps - 1) * Features + Symbols + 1] = 1;
        y[Steps - 1] = symbol;                    // many-to-one: the label sits on the last step
        data.Add(x, y);
    }
    return data;
}
