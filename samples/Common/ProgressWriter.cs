using Recurrent.Native.Training;

namespace Samples.Common;

/// <summary>Prints a line per epoch as training goes (synchronously, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class ProgressWriter(TextWriter output, int epochs) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (!p.IsEpochEnd) return;
        string validation = p.ValidationLoss is { } loss
            ? $", validation loss {loss:F4}" + (p.ValidationAccuracy is { } accuracy ? $", validation accuracy {accuracy:P1}" : "")
            : "";
        output.WriteLine($"  epoch {p.Epoch,3}/{epochs}: training loss {p.TrainLoss:F4}{validation}  [{p.Elapsed.TotalSeconds:F0} s]");
    }
}
