using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Inference;

/// <summary>Networks, series and full-sequence reference runs for the streaming tests.</summary>
internal static class Streams
{
    public const double Tolerance = 1e-5;

    /// <summary>DL4J's stack (#13): two recurrent layers of one kind (or one of each kind) → dense → output.</summary>
    public static NetworkSpec Stack(string kind, int input = 5, int classes = 4) => new(input, kind switch
    {
        "lstm" => [new LstmSpec(7), new LstmSpec(6), new DenseSpec(5, Native.Kernels.Activation.Tanh), new OutputSpec(classes, LossKind.CrossEntropy)],
        "graves" => [new LstmSpec(7) { Peepholes = true }, new LstmSpec(6) { Peepholes = true }, new DenseSpec(5, Native.Kernels.Activation.Tanh),
            new OutputSpec(classes, LossKind.CrossEntropy)],
        "rnn" => [new SimpleRnnSpec(7), new SimpleRnnSpec(6), new DenseSpec(5, Native.Kernels.Activation.Tanh), new OutputSpec(classes, LossKind.CrossEntropy)],
        "mixed" => [new LstmSpec(7), new LstmSpec(6) { Peepholes = true }, new SimpleRnnSpec(5), new DenseSpec(5, Native.Kernels.Activation.Tanh),
            new OutputSpec(classes, LossKind.MeanSquaredError)],
        _ => throw new ArgumentException(kind, nameof(kind)),
    });

    /// <summary>A random series <c>[steps, I]</c>.</summary>
    public static T[] Series<T>(int steps, int input, int seed) where T : unmanaged, IFloatingPointIeee754<T> =>
        Data.Uniform<T>(new Rng(seed), steps * input);

    /// <summary>The full-sequence output <c>[steps, O]</c> of one series from a zero state.</summary>
    public static T[] Full<T>(RecurrentNetwork<T> net, T[] series) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = series.Length / net.InputSize;
        return net.Forward(net.CreateWorkspace(steps, 1), series, steps, 1).ToArray();
    }

    /// <summary>The state after feeding the whole of <paramref name="series"/> from a zero state (batch 1).</summary>
    public static RecurrentState<T> FinalState<T>(RecurrentNetwork<T> net, T[] series) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = series.Length / net.InputSize;
        var state = net.CreateState(1);
        net.Forward(net.CreateWorkspace(steps, 1), series, steps, 1, default, state);
        return state;
    }

    /// <summary>Rows [from, to) of a <c>[rows, width]</c> array.</summary>
    public static T[] Rows<T>(T[] a, int width, int from, int to) => a[(from * width)..(to * width)];

    public static void AreClose<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
            Assert.IsLessThanOrEqualTo(Tolerance, Math.Abs(double.CreateTruncating(expected[i] - actual[i])), $"{what}: index {i}");
    }
}
