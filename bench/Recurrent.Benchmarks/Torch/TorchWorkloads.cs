using Recurrent.Benchmarks.Cases;
using Recurrent.Benchmarks.Measurement;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recurrent.Benchmarks.Torch;

/// <summary>
/// The libtorch side (TorchSharp-cpu): the same cases on the same data, seq-major (<c>batch_first = false</c>), with
/// the weights copied from our network so that both engines start from identical numbers.
/// </summary>
internal static class TorchSide
{
    /// <summary>libtorch's version as TorchSharp reports it.</summary>
    public static string Version => __version__;

    /// <summary>Intra-op threads (OpenMP) for everything that follows.</summary>
    public static void SetThreads(int threads) => set_num_threads(threads);

    /// <summary>Copies tensors of <paramref name="net"/> into <paramref name="module"/>'s parameters; <paramref name="ourName"/> maps names.</summary>
    public static void CopyWeights(RecurrentNetwork<float> net, nn.Module module, Func<string, string> ourName)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            string ours = ourName(name);
            if (!net.Layout.TryGet(ours, out ParameterTensor t)) throw new InvalidOperationException($"Our network has no tensor '{ours}' for libtorch's '{name}'.");
            if (!t.Shape.Select(d => (long)d).SequenceEqual(p.shape))
                throw new InvalidOperationException($"'{ours}' is {t.ShapeText} here but [{string.Join(", ", p.shape)}] in libtorch.");
            using var src = tensor(t.Of(net.Parameters).ToArray(), p.shape);
            p.copy_(src);
        }
    }

    /// <summary>The head: Linear(H → I) with our output layer's weights.</summary>
    public static Linear Head(RecurrentNetwork<float> net, Shape s)
    {
        var head = nn.Linear(s.H, s.I);
        CopyWeights(net, head, n => "output." + n);
        return head;
    }

    /// <summary>Σ v² computed exactly as for our engine.</summary>
    public static double SumOfSquares(Tensor t) => BenchData.SumOfSquares(t.data<float>().ToArray());
}

/// <summary>(a) nn.LSTM + nn.Linear(H → I) + CrossEntropyLoss on every step + Adam; one step per iteration.</summary>
internal sealed class TorchTraining : IWorkload
{
    private readonly Shape _s;
    private readonly LSTM _lstm;
    private readonly Linear _head;
    private readonly CrossEntropyLoss _loss = nn.CrossEntropyLoss();
    private readonly optim.Optimizer _adam;
    private readonly Tensor _x, _y;
    private double _first = double.NaN;

    public TorchTraining(Shape s, int threads)
    {
        TorchSide.SetThreads(threads);
        _s = s;
        var net = BenchData.Network(s);
        _lstm = nn.LSTM(s.I, s.H);
        TorchSide.CopyWeights(net, _lstm, n => n);
        _head = TorchSide.Head(net, s);
        _adam = optim.Adam(_lstm.parameters().Concat(_head.parameters()), lr: 1e-3);
        _x = tensor(BenchData.Uniform(s.T * s.B * s.I, BenchData.InputStream), [s.T, s.B, s.I]);
        _y = tensor(BenchData.Classes(s.T * s.B, s.I).Select(c => (long)c).ToArray(), [s.T * s.B]);
    }

    public void Run()
    {
        using var scope = NewDisposeScope();
        _adam.zero_grad();
        var (output, _, _) = _lstm.call(_x, null);
        var loss = _loss.call(_head.call(output).view(_s.T * _s.B, _s.I), _y);
        loss.backward();
        _adam.step();
        if (double.IsNaN(_first)) _first = loss.item<float>();
    }

    /// <summary>The loss of the first step.</summary>
    public double Check() => _first;

    public void Dispose() { _lstm.Dispose(); _head.Dispose(); _x.Dispose(); _y.Dispose(); }
}

/// <summary>(b) nn.LSTM + Linear + softmax over the whole sequence under no_grad.</summary>
internal sealed class TorchInference : IWorkload
{
    private readonly LSTM _lstm;
    private readonly Linear _head;
    private readonly Tensor _x;
    private double _first = double.NaN;

    public TorchInference(Shape s, int threads)
    {
        TorchSide.SetThreads(threads);
        var net = BenchData.Network(s);
        _lstm = nn.LSTM(s.I, s.H);
        TorchSide.CopyWeights(net, _lstm, n => n);
        _head = TorchSide.Head(net, s);
        _x = tensor(BenchData.Uniform(s.T * s.B * s.I, BenchData.InputStream), [s.T, s.B, s.I]);
    }

    public void Run()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (output, _, _) = _lstm.call(_x, null);
        var p = softmax(_head.call(output), -1);
        if (double.IsNaN(_first)) _first = TorchSide.SumOfSquares(p);
    }

    /// <summary>Σ p² over the softmax outputs.</summary>
    public double Check() => _first;

    public void Dispose() { _lstm.Dispose(); _head.Dispose(); _x.Dispose(); }
}

/// <summary>
/// (c) One step for B streams, (h, c) reused from the previous call: <c>LSTMCell</c> on [B, I] (variant "lstmcell") or
/// <c>nn.LSTM</c> on [1, B, I] (variant "lstm"), then Linear + softmax. Inputs cycle through the same steps as ours.
/// </summary>
internal sealed class TorchStreaming : IWorkload
{
    private readonly LSTMCell? _cell;
    private readonly LSTM? _lstm;
    private readonly Linear _head;
    private readonly Tensor[] _inputs;
    private Tensor _h, _c;
    private int _step;
    private double _first = double.NaN;

    public TorchStreaming(Shape s, int threads, string variant)
    {
        TorchSide.SetThreads(threads);
        var net = BenchData.Network(s);
        bool cell = variant switch { "lstmcell" => true, "lstm" => false, _ => throw new ArgumentException($"Unknown streaming variant '{variant}'.") };
        if (cell)
        {
            _cell = nn.LSTMCell(s.I, s.H);
            TorchSide.CopyWeights(net, _cell, n => n + "_l0");
        }
        else
        {
            _lstm = nn.LSTM(s.I, s.H);
            TorchSide.CopyWeights(net, _lstm, n => n);
        }
        _head = TorchSide.Head(net, s);
        long[] x = cell ? [s.B, s.I] : [1, s.B, s.I], state = cell ? [s.B, s.H] : [1, s.B, s.H];
        int row = s.B * s.I;
        var data = BenchData.Uniform(BenchData.StreamCycle * row, BenchData.InputStream);
        _inputs = Enumerable.Range(0, BenchData.StreamCycle).Select(k => tensor(data.AsSpan(k * row, row).ToArray(), x)).ToArray();
        _h = zeros(state);
        _c = zeros(state);
    }

    /// <summary>The two libtorch paths.</summary>
    public static readonly string[] Variants = ["lstmcell", "lstm"];

    public void Run()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = _inputs[_step++ % _inputs.Length];
        Tensor h, c, top;
        if (_cell is not null) { (h, c) = _cell.call(x, (_h, _c)); top = h; }
        else (top, h, c) = _lstm!.call(x, (_h, _c));
        var p = softmax(_head.call(top), -1);
        if (double.IsNaN(_first)) _first = TorchSide.SumOfSquares(p);
        _h.Dispose();
        _c.Dispose();
        _h = h.MoveToOuterDisposeScope();
        _c = c.MoveToOuterDisposeScope();
    }

    /// <summary>Σ p² over the first step's outputs.</summary>
    public double Check() => _first;

    public void Dispose()
    {
        _cell?.Dispose();
        _lstm?.Dispose();
        _head.Dispose();
        foreach (var t in _inputs) t.Dispose();
        _h.Dispose();
        _c.Dispose();
    }
}

/// <summary>(d) The same GEMM, C = A · W in place (<c>addmm_</c> with β = 0, so nothing is allocated per call).</summary>
internal sealed class TorchGemm : IWorkload
{
    private readonly Tensor _a, _b, _c;

    public TorchGemm(Shape s)
    {
        TorchSide.SetThreads(1);
        var (m, k, n) = OursGemm.Dimensions(s);
        _a = tensor(BenchData.Uniform(m * k, BenchData.InputStream), [m, k]);
        _b = tensor(BenchData.Uniform(k * n, BenchData.MatrixStream), [k, n]);
        _c = zeros(m, n);
    }

    public void Run()
    {
        using var scope = NewDisposeScope();
        _c.addmm_(_a, _b, beta: 0, alpha: 1);
    }

    /// <summary>Σ c².</summary>
    public double Check() => TorchSide.SumOfSquares(_c);

    public void Dispose() { _a.Dispose(); _b.Dispose(); _c.Dispose(); }
}
