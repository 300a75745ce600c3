using Recurrent.Benchmarks.Measurement;
using Recurrent.Native.Inference;
using Recurrent.Native.Threading;

namespace Recurrent.Benchmarks.Cases;

/// <summary>
/// (c) Our streaming step: one time step for B streams through <see cref="StreamingPredictor{TKey, T}"/>
/// (<c>Predict</c> for one stream, <c>PredictMany</c> for several), each stream's (h, c) carried between calls.
/// The inputs cycle through <see cref="BenchData.StreamCycle"/> steps of the shared data.
/// </summary>
internal sealed class OursStreaming : IWorkload, IEngineAllocations
{
    private readonly WorkerPool _pool;
    private readonly StreamingPredictor<int, float> _engine;
    private readonly int[] _keys;
    private readonly float[] _inputs;
    private readonly float[] _output;
    private readonly int _row;
    private int _step;

    public OursStreaming(Shape s, int threads)
    {
        _pool = new WorkerPool(threads);
        _engine = new StreamingPredictor<int, float>(BenchData.Network(s), _pool);
        _keys = Enumerable.Range(0, s.B).ToArray();
        foreach (int k in _keys) _engine.Add(k);
        _row = s.B * s.I;
        _inputs = BenchData.Uniform(BenchData.StreamCycle * _row, BenchData.InputStream);
        _output = new float[s.B * s.I];
    }

    /// <summary>"predict" for one stream, "predict-many" for several.</summary>
    public static string Variant(int streams) => streams == 1 ? "predict" : "predict-many";

    public void Run()
    {
        var x = _inputs.AsSpan(_step++ % BenchData.StreamCycle * _row, _row);
        if (_keys.Length == 1) _engine.Predict(_keys[0], x, _output);
        else _engine.PredictMany(_keys, x, _output);
    }

    /// <summary>Σ p² over the first step's outputs.</summary>
    public double Check() => BenchData.SumOfSquares(_output);

    public long EngineAllocatedBytes() => _pool.AllocatedBytes();

    public void Dispose() => _pool.Dispose();
}
