using Recurrent.Native.Tensors;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Layers;

/// <summary>How a bidirectional layer merges its two directions.</summary>
public enum MergeMode
{
    /// <summary>y = y_fwd + y_bwd (Graves; DL4J's GravesBidirectionalLSTM). Output size H.</summary>
    Sum,
    /// <summary>y = [y_fwd, y_bwd] (PyTorch, Keras default). Output size 2H.</summary>
    Concat,
    /// <summary>y = (y_fwd + y_bwd) / 2. Output size H.</summary>
    Average,
    /// <summary>y = y_fwd ⊙ y_bwd. Output size H.</summary>
    Multiply,
}

/// <summary>
/// Two recurrent layers over the same input, one walking time forwards and one backwards (tensor names of the second
/// end in <c>_reverse</c>, as in PyTorch), merged per step. Both directions see the same mask; with exact masking the
/// backward direction starts at each sequence's last present step wherever the padding is. It carries no state between
/// calls, so it cannot run step by step or under truncated BPTT.
/// </summary>
public sealed class BidirectionalLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterTensor[] _parameters;

    /// <summary>Wraps a forward-walking and a backward-walking layer of the same shape.</summary>
    public BidirectionalLayer(RecurrentLayer<T> forward, RecurrentLayer<T> backward, MergeMode merge)
    {
        if (forward.Reverse || !backward.Reverse) throw new ArgumentException("Expected a forward and a reverse layer.");
        if (forward.InputSize != backward.InputSize || forward.Hidden != backward.Hidden)
            throw new ArgumentException("Both directions must have the same input and hidden sizes.");
        Forwards = forward;
        Backwards = backward;
        Merge = merge;
        _parameters = forward.Parameters.Concat(backward.Parameters).ToArray();
    }

    /// <summary>The layer that walks forwards in time.</summary>
    public RecurrentLayer<T> Forwards { get; }
    /// <summary>The layer that walks backwards in time.</summary>
    public RecurrentLayer<T> Backwards { get; }
    /// <summary>The merge mode.</summary>
    public MergeMode Merge { get; }
    /// <inheritdoc/>
    public override int InputSize => Forwards.InputSize;
    /// <inheritdoc/>
    public override int OutputSize => Merge == MergeMode.Concat ? 2 * Forwards.Hidden : Forwards.Hidden;
    /// <inheritdoc/>
    public override IReadOnlyList<ParameterTensor> Parameters => _parameters;

    internal override void Initialize(Span<T> parameters, Rng rng)
    {
        Forwards.Initialize(parameters, rng);
        Backwards.Initialize(parameters, rng);
    }

    internal override LayerCache CreateCache(int maxSteps, int maxBatch) => new BiCache(this, maxSteps, maxBatch);

    internal override void Forward(LayerPass<T> pass, WorkerPool pool)
    {
        var c = (BiCache)pass.Cache;
        int n = pass.Steps * pass.Batch, h = Forwards.Hidden;
        Wire(pass, c.FwdPass, c.YF, h);
        Forwards.Forward(c.FwdPass, pool);
        Wire(pass, c.BwdPass, c.YB, h);
        Backwards.Forward(c.BwdPass, pool);
        var yf = c.YF.AsSpan(0, n * h);
        var yb = c.YB.AsSpan(0, n * h);
        var y = pass.Output.Span;
        T half = T.CreateTruncating(0.5);
        for (int r = 0; r < n; r++)
        {
            var f = yf.Slice(r * h, h);
            var b = yb.Slice(r * h, h);
            switch (Merge)
            {
                case MergeMode.Concat:
                    f.CopyTo(y.Slice(2 * r * h, h));
                    b.CopyTo(y.Slice((2 * r + 1) * h, h));
                    break;
                default:
                    var o = y.Slice(r * h, h);
                    for (int j = 0; j < h; j++)
                        o[j] = Merge switch
                        {
                            MergeMode.Sum => f[j] + b[j],
                            MergeMode.Average => (f[j] + b[j]) * half,
                            _ => f[j] * b[j],
                        };
                    break;
            }
        }
    }

    internal override void Backward(LayerPass<T> pass, WorkerPool pool)
    {
        var c = (BiCache)pass.Cache;
        int n = pass.Steps * pass.Batch, h = Forwards.Hidden;
        var dy = pass.OutputGrad.Span;
        var df = c.DYF.AsSpan(0, n * h);
        var db = c.DYB.AsSpan(0, n * h);
        var yf = c.YF.AsSpan(0, n * h);
        var yb = c.YB.AsSpan(0, n * h);
        T half = T.CreateTruncating(0.5);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < h; j++)
            {
                int i = r * h + j;
                switch (Merge)
                {
                    case MergeMode.Concat: df[i] = dy[2 * r * h + j]; db[i] = dy[(2 * r + 1) * h + j]; break;
                    case MergeMode.Sum: df[i] = db[i] = dy[i]; break;
                    case MergeMode.Average: df[i] = db[i] = dy[i] * half; break;
                    default: df[i] = dy[i] * yb[i]; db[i] = dy[i] * yf[i]; break;
                }
            }
        c.FwdPass.OutputGrad = c.DYF.AsMemory(0, n * h);
        c.FwdPass.InputGrad = pass.InputGrad;
        c.FwdPass.Grads = pass.Grads;
        c.FwdPass.BackwardSteps = int.MaxValue;
        Forwards.Backward(c.FwdPass, pool);
        c.BwdPass.OutputGrad = c.DYB.AsMemory(0, n * h);
        c.BwdPass.InputGrad = pass.InputGrad.IsEmpty ? default : c.DXB.AsMemory(0, n * InputSize);
        c.BwdPass.Grads = pass.Grads;
        c.BwdPass.BackwardSteps = int.MaxValue;
        Backwards.Backward(c.BwdPass, pool);
        if (!pass.InputGrad.IsEmpty)
        {
            var dx = pass.InputGrad.Span;
            var dxb = c.DXB.AsSpan(0, n * InputSize);
            for (int i = 0; i < dxb.Length; i++) dx[i] += dxb[i];
        }
    }

    private static void Wire(LayerPass<T> pass, LayerPass<T> sub, T[] output, int hidden)
    {
        sub.Shared = pass.Shared;
        sub.Params = pass.Params;
        sub.Input = pass.Input;
        sub.Mask = pass.Mask;
        sub.State = default;
        sub.Steps = pass.Steps;
        sub.Batch = pass.Batch;
        sub.Training = pass.Training;
        sub.DropoutRng = pass.DropoutRng;
        sub.FrozenWeights = pass.FrozenWeights;
        sub.Output = output.AsMemory(0, pass.Steps * pass.Batch * hidden);
    }

    private sealed class BiCache : LayerCache
    {
        public BiCache(BidirectionalLayer<T> layer, int maxSteps, int maxBatch) : base(maxSteps, maxBatch)
        {
            int n = maxSteps * maxBatch, h = layer.Forwards.Hidden;
            YF = new T[n * h]; YB = new T[n * h]; DYF = new T[n * h]; DYB = new T[n * h];
            DXB = new T[n * layer.InputSize];
            FwdPass = new LayerPass<T> { Cache = layer.Forwards.CreateCache(maxSteps, maxBatch), Shared = null! };
            BwdPass = new LayerPass<T> { Cache = layer.Backwards.CreateCache(maxSteps, maxBatch), Shared = null! };
        }
        public readonly T[] YF, YB, DYF, DYB, DXB;
        public readonly LayerPass<T> FwdPass, BwdPass;
    }
}
