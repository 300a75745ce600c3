using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Layers;

/// <summary>
/// A fully connected layer applied at every time step: y = act(x·Wᵀ + b), <c>weight [O, I]</c>, <c>bias [O]</c>
/// (PyTorch's <c>nn.Linear</c> layout). Masked steps output 0 and pass no gradient.
/// </summary>
public class DenseLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterTensor[] _parameters;

    /// <summary>Creates the layer; its tensors are <c>{name}.weight</c> and <c>{name}.bias</c>.</summary>
    public DenseLayer(ParameterLayout layout, string name, int inputSize, int outputSize, Activation activation)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Must be positive.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "Must be positive.");
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation;
        Weight = layout.Add($"{name}.weight", outputSize, inputSize);
        Bias = layout.Add($"{name}.bias", outputSize);
        _parameters = [Weight, Bias];
    }

    /// <inheritdoc/>
    public override int InputSize { get; }
    /// <inheritdoc/>
    public override int OutputSize { get; }
    /// <summary>The activation applied to x·Wᵀ + b.</summary>
    public Activation Activation { get; }
    /// <summary><c>weight [O, I]</c>.</summary>
    public ParameterTensor Weight { get; }
    /// <summary><c>bias [O]</c>.</summary>
    public ParameterTensor Bias { get; }
    /// <inheritdoc/>
    public override IReadOnlyList<ParameterTensor> Parameters => _parameters;

    /// <summary>Xavier-uniform weights, zero bias.</summary>
    internal override void Initialize(Span<T> p, Rng rng)
    {
        double bound = Math.Sqrt(6.0 / (InputSize + OutputSize));
        foreach (ref T v in Weight.Of(p)) v = T.CreateTruncating(rng.Uniform(-bound, bound));
        Bias.Of(p).Clear();
    }

    internal override LayerCache CreateCache(int maxSteps, int maxBatch) => new DenseCache(this, maxSteps, maxBatch);

    internal override void Forward(LayerPass<T> pass, WorkerPool pool)
    {
        var c = (DenseCache)pass.Cache;
        // Packing is serial: done here, before the workers start, so that no barrier waits for it.
        if (c.NeedsForwardPack(pass))
            c.WT.PackTransposed(Weight.Of(pass.Params.AsSpan()), InputSize, OutputSize, InputSize);
        c.Forward.Set(pass, pool);
        Parallelism.Run(pool, c.Forward, Flops(pass));
    }

    internal override void Backward(LayerPass<T> pass, WorkerPool pool)
    {
        var c = (DenseCache)pass.Cache;
        int rows = pass.Steps * pass.Batch;
        pass.Shared.Reserve(OutputSize * rows);   // shapes set before the workers start; they pack the panels
        c.WNN.Resize(OutputSize, InputSize);
        pass.Shared.XPack.Resize(rows, InputSize);
        c.Backward.Set(pass, pool);
        Parallelism.Run(pool, c.Backward, Flops(pass));
    }

    private long Flops(LayerPass<T> pass) => 2L * pass.Steps * pass.Batch * InputSize * OutputSize;

    /// <summary>Applies the output nonlinearity to one present row of x·Wᵀ + b (in place).</summary>
    private protected virtual void ActivateRow(DenseCache c, int row, Span<T> y) => Elementwise.Activate<T>(Activation, y, y);

    /// <summary>Turns dL/dy of one present row into dL/dz in place.</summary>
    private protected virtual void BackpropRow(DenseCache c, LayerPass<T> pass, int row, ReadOnlySpan<T> y, Span<T> dy) =>
        Elementwise.BackpropActivation<T>(Activation, y, dy);

    private void ForwardWorker(LayerPass<T> pass, WorkerPool pool, int w, int n)
    {
        var c = (DenseCache)pass.Cache;
        int rows = pass.Steps * pass.Batch, o = OutputSize;
        var p = pass.Params.AsSpan();
        var y = pass.Output.Span;
        var mask = pass.Mask.Span;
        var (r0, r1) = Split.Range(rows, w, n);
        for (int r = r0; r < r1; r++) Bias.Of(p).CopyTo(y.Slice(r * o, o));
        Gemm.Multiply(pass.Input.Span, InputSize, c.WT, y, o, r0, r1, 0, c.WT.PanelCount, accumulate: true);
        for (int r = r0; r < r1; r++)
        {
            var row = y.Slice(r * o, o);
            if (!mask.IsEmpty && mask[r] == 0f) row.Clear();
            else ActivateRow(c, r, row);
        }
    }

    private void BackwardWorker(LayerPass<T> pass, WorkerPool pool, int w, int n)
    {
        var c = (DenseCache)pass.Cache;
        int rows = pass.Steps * pass.Batch, o = OutputSize, inp = InputSize;
        var p = pass.Params.AsSpan();
        var y = pass.Output.Span;
        var dz = pass.OutputGrad.Span;   // turned into dL/dz in place
        var mask = pass.Mask.Span;
        var (r0, r1) = Split.Range(rows, w, n);
        for (int r = r0; r < r1; r++)
        {
            var d = dz.Slice(r * o, o);
            if (!mask.IsEmpty && mask[r] == 0f) d.Clear();
            else BackpropRow(c, pass, r, y.Slice(r * o, o), d);
        }
        Parallelism.Barrier(pool, w, n);
        var dzT = pass.Shared.DzT(o * rows);
        var (j0, j1) = Split.Range(o, w, n);
        var grads = pass.Grads.AsSpan();
        Gemm.Transpose<T>(dz[..(rows * o)], rows, o, dzT, j0, j1, columnSums: Bias.Of(grads));   // db += Σ dz
        var (q0, q1) = Split.Range(c.WNN.PanelCount, w, n);
        c.WNN.PackRowMajorPanels(Weight.Of(p), inp, q0, q1);
        (q0, q1) = Split.Range(pass.Shared.XPack.PanelCount, w, n);
        pass.Shared.XPack.PackRowMajorPanels(pass.Input.Span[..(rows * inp)], inp, q0, q1);
        Parallelism.Barrier(pool, w, n);
        Gemm.Multiply<T>(dzT, rows, pass.Shared.XPack, Weight.Of(grads), inp, j0, j1, 0, pass.Shared.XPack.PanelCount, accumulate: true);
        if (!pass.InputGrad.IsEmpty)
            Gemm.Multiply(dz, o, c.WNN, pass.InputGrad.Span, inp, r0, r1, 0, c.WNN.PanelCount, accumulate: false);
        Parallelism.Barrier(pool, w, n); // the shared scratch is reused by the next layer
    }

    /// <summary>Buffers of a dense layer.</summary>
    private protected class DenseCache : LayerCache
    {
        public DenseCache(DenseLayer<T> layer, int maxSteps, int maxBatch) : base(maxSteps, maxBatch)
        {
            Forward = new LayerJob<T>(layer.ForwardWorker);
            Backward = new LayerJob<T>(layer.BackwardWorker);
        }
        public readonly PackedMatrix<T> WT = new(), WNN = new();
        public readonly LayerJob<T> Forward, Backward;
    }
}
