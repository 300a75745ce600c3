using Recurrent.Benchmarks.Measurement;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Training;

namespace Recurrent.Benchmarks.Cases;

/// <summary>
/// (a) Our training step: <see cref="Trainer{T}.TrainBatch"/> on a prepared, unpadded <see cref="SequenceBatch{T}"/>
/// (forward, cross-entropy at every step, backward, Adam; no clipping), with <see cref="TrainerOptions.Threads"/> = n.
/// </summary>
internal sealed class OursTraining : IWorkload, IEngineAllocations
{
    private readonly Trainer<float> _trainer;
    private readonly SequenceBatch<float> _batch;
    private double _loss;

    public OursTraining(Shape s, int threads)
    {
        RecurrentNetwork<float> net = BenchData.Network(s);
        _trainer = new Trainer<float>(net, new TrainerOptions
        {
            Optimizer = new AdamSpec(), LearningRate = 1e-3, ClipNorm = 0, Threads = threads, BatchSize = s.B,
        });
        _batch = new SequenceBatch<float>(s.T, s.B, s.I, s.I, classification: true) { Steps = s.T, Batch = s.B, HasPadding = false };
        BenchData.Uniform(s.T * s.B * s.I, BenchData.InputStream).CopyTo(_batch.Features, 0);
        BenchData.Classes(s.T * s.B, s.I).CopyTo(_batch.Classes, 0);
        Array.Fill(_batch.FeatureMask, 1f);
        Array.Fill(_batch.LabelMask, 1f);
        Array.Fill(_batch.Lengths, s.T);
    }

    public void Run() => _loss = _trainer.TrainBatch(_batch);

    /// <summary>The loss of the first step (same weights and data as libtorch's).</summary>
    public double Check() => _loss;

    public long EngineAllocatedBytes() => _trainer.AllocatedBytes();

    public void Dispose() => _trainer.Dispose();
}
