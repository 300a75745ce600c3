using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;

namespace Recurrent.Benchmarks.Cases;

/// <summary>
/// The data and weights every engine gets for a shape: the same seeded inputs and classes, and the same network
/// (the libtorch side copies its weights from <see cref="Network"/>), so that both compute the same numbers.
/// </summary>
internal static class BenchData
{
    private const int Seed = 1;

    /// <summary>Input values, streams of <see cref="Uniform"/>.</summary>
    public const int InputStream = 1, ClassStream = 2, MatrixStream = 3;

    /// <summary>Steps of input the streaming cases cycle through.</summary>
    public const int StreamCycle = 16;

    /// <summary><c>[LstmSpec(H), OutputSpec(I, CrossEntropy)]</c> on I inputs: an LSTM and a dense softmax head back to I classes.</summary>
    public static RecurrentNetwork<float> Network(Shape s) =>
        new(new NetworkSpec(s.I, [new LstmSpec(s.H), new OutputSpec(s.I, LossKind.CrossEntropy)]), Seed);

    /// <summary><paramref name="count"/> values uniform in [−1, 1) from random stream <paramref name="stream"/>.</summary>
    public static float[] Uniform(int count, int stream)
    {
        var rng = new Rng(Seed * 1000 + stream);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)rng.Uniform(-1, 1);
        return v;
    }

    /// <summary><paramref name="count"/> class indices in [0, <paramref name="classes"/>).</summary>
    public static int[] Classes(int count, int classes)
    {
        var rng = new Rng(Seed * 1000 + ClassStream);
        var c = new int[count];
        for (int i = 0; i < count; i++) c[i] = rng.NextInt(classes);
        return c;
    }

    /// <summary>Σ v², the check value of output-producing cases.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (float x in v) s += (double)x * x;
        return s;
    }
}
