using Recurrent.Benchmarks.Measurement;
using Recurrent.Native.Network;
using Recurrent.Native.Threading;

namespace Recurrent.Benchmarks.Cases;

/// <summary>
/// (b) Our full-sequence inference: <see cref="RecurrentNetwork{T}.Forward"/> (LSTM + softmax head) over [T, B, I] on a
/// workspace with frozen (packed once) weights and n workers.
/// </summary>
internal sealed class OursInference : IWorkload
{
    private readonly Shape _shape;
    private readonly RecurrentNetwork<float> _net;
    private readonly WorkerPool _pool;
    private readonly NetworkWorkspace<float> _ws;
    private readonly float[] _input;

    public OursInference(Shape s, int threads)
    {
        _shape = s;
        _net = BenchData.Network(s);
        _pool = new WorkerPool(threads);
        _ws = _net.CreateWorkspace(s.T, s.B, _pool);
        _ws.FreezeWeights();
        _input = BenchData.Uniform(s.T * s.B * s.I, BenchData.InputStream);
    }

    public void Run() => _net.Forward(_ws, _input, _shape.T, _shape.B);

    /// <summary>Σ p² over the softmax outputs.</summary>
    public double Check() => BenchData.SumOfSquares(_ws.Output);

    public void Dispose() => _pool.Dispose();
}
