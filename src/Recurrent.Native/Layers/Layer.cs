using Recurrent.Native.Tensors;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Layers;

/// <summary>
/// One layer of a recurrent network. Data are time-major: input <c>[T, B, I]</c>, output
/// <c>[T, B, O]</c>, masks <c>[T, B]</c> (1 = present, 0 = padding). Each layer's forward sits next to its backward.
/// </summary>
public abstract class Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Features per step going in (I).</summary>
    public abstract int InputSize { get; }

    /// <summary>Features per step coming out (O).</summary>
    public abstract int OutputSize { get; }

    /// <summary>The layer's tensors in the network's flat parameter buffer.</summary>
    public abstract IReadOnlyList<ParameterTensor> Parameters { get; }

    /// <summary>Values of recurrent state carried per sequence between calls (0: none, or not carried).</summary>
    public virtual int StateSize => 0;

    /// <summary>Fills the layer's parameters (inside <paramref name="parameters"/>, the whole flat buffer).</summary>
    internal abstract void Initialize(Span<T> parameters, Rng rng);

    /// <summary>Buffers for calls of up to <paramref name="maxSteps"/> × <paramref name="maxBatch"/>, allocated once.</summary>
    internal abstract LayerCache CreateCache(int maxSteps, int maxBatch);

    /// <summary>Computes <see cref="LayerPass{T}.Output"/> from <see cref="LayerPass{T}.Input"/>, keeping what backward needs.</summary>
    internal abstract void Forward(LayerPass<T> pass, WorkerPool pool);

    /// <summary>
    /// From <see cref="LayerPass{T}.OutputGrad"/>, adds the parameter gradients into <see cref="LayerPass{T}.Grads"/> and
    /// writes <see cref="LayerPass{T}.InputGrad"/> (when not empty). Runs after <see cref="Forward"/> with the same pass.
    /// </summary>
    internal abstract void Backward(LayerPass<T> pass, WorkerPool pool);
}

/// <summary>A layer's reusable buffers, sized for a maximum call shape.</summary>
internal abstract class LayerCache
{
    protected LayerCache(int maxSteps, int maxBatch) { MaxSteps = maxSteps; MaxBatch = maxBatch; }
    public int MaxSteps { get; }
    public int MaxBatch { get; }
    /// <summary>The forward weights are packed and, with frozen weights, still valid.</summary>
    public bool ForwardPacked;

    /// <summary>
    /// True when forward must (re)pack its weights: always, unless they are frozen and already packed. Called once per
    /// call, before the workers start.
    /// </summary>
    public bool NeedsForwardPack<T>(LayerPass<T> pass) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (pass.FrozenWeights && ForwardPacked) return false;
        ForwardPacked = true;
        return true;
    }
}

/// <summary>The arguments of one layer call, held in arrays so a worker job can carry them. Reused across calls.</summary>
internal sealed class LayerPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public required LayerCache Cache;
    public required SharedScratch<T> Shared;
    public T[] Params = [];
    public T[] Grads = [];
    public Memory<T> Input;                 // [T, B, I]
    public Memory<T> Output;                // [T, B, O]
    public ReadOnlyMemory<float> Mask;      // [T, B], empty = all present
    public StateRows<T> State;              // B rows of h (and c): initial state in, final state out; empty = zeros, not kept
    public int Steps, Batch;
    public bool Training;
    public int BackwardSteps = int.MaxValue; // truncated BPTT: recurrent layers backpropagate only the last k steps
    public Memory<T> OutputGrad;            // [T, B, O]
    public Memory<T> InputGrad;             // [T, B, I], empty = not needed
    public Rng? DropoutRng;                 // set when Training and the layer uses dropout
    public bool FrozenWeights;              // the weights never change for this workspace: pack them once and keep them

    /// <summary>The mask row of step t ([B]), or empty.</summary>
    public ReadOnlySpan<float> MaskAt(int t) => Mask.IsEmpty ? default : Mask.Span.Slice(t * Batch, Batch);
}

/// <summary>A layer's forward or backward as a job for the workers: the call's pass and pool are set before each run.</summary>
internal sealed class LayerJob<T>(Action<LayerPass<T>, WorkerPool, int, int> work) : IParallelJob where T : unmanaged, IFloatingPointIeee754<T>
{
    private LayerPass<T>? _pass;
    private WorkerPool? _pool;

    public void Set(LayerPass<T> pass, WorkerPool pool) { _pass = pass; _pool = pool; }

    public void Execute(int worker, int workers) => work(_pass!, _pool!, worker, workers);
}

/// <summary>Work splitting helpers shared by the layers.</summary>
internal static class Split
{
    /// <summary>Worker w's share [start, end) of n items split into contiguous ranges.</summary>
    public static (int Start, int End) Range(int n, int worker, int workers)
    {
        long s = (long)n * worker / workers, e = (long)n * (worker + 1) / workers;
        return ((int)s, (int)e);
    }
}
