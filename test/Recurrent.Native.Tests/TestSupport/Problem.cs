using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>What one forward (+ loss + backward) produced, copied out of the workspace.</summary>
/// <param name="Loss">The loss (0 when the backward started from a given output gradient).</param>
/// <param name="Output">The network output <c>[T, B, O]</c>.</param>
/// <param name="LayerOutputs">Every layer's output <c>[T, B, O_l]</c>.</param>
/// <param name="Gradients">Every parameter gradient, in the layout of the network's parameters.</param>
internal sealed record Result<T>(T Loss, T[] Output, T[][] LayerOutputs, T[] Gradients)
{
    /// <summary>The gradient of one tensor.</summary>
    public T[] Gradient(ParameterTensor tensor) => Gradients.AsSpan(tensor.Offset, tensor.Length).ToArray();
}

/// <summary>
/// A small random problem on one network: random parameters in ±<c>parameterRange</c> (so that no term of a backward
/// is multiplied by an initial zero), input <c>[T, B, I]</c> in ±1, class and regression targets, and optional feature
/// mask, label mask and initial recurrent state. Every forward starts from a fresh copy of <see cref="InitialState"/>.
/// </summary>
internal sealed class Problem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private RecurrentState<T>? _state;

    public Problem(NetworkSpec spec, int steps, int batch, int seed = 1, double parameterRange = 0.5)
    {
        Net = new RecurrentNetwork<T>(spec, seed);
        Steps = steps;
        Batch = batch;
        var rng = new Rng(seed + 100);
        for (int i = 0; i < Net.Parameters.Length; i++) Net.Parameters[i] = T.CreateTruncating(rng.Uniform(-parameterRange, parameterRange));
        Workspace = Net.CreateWorkspace(steps, batch);
        int n = steps * batch;
        Input = Data.Uniform<T>(rng, n * spec.InputSize);
        Classes = Data.Classes(rng, n, Net.OutputSize);
        Targets = Data.Uniform<T>(rng, n * Net.OutputSize);
    }

    public RecurrentNetwork<T> Net { get; }
    public NetworkWorkspace<T> Workspace { get; }
    public int Steps { get; }
    public int Batch { get; }
    /// <summary>Input <c>[T, B, I]</c>.</summary>
    public T[] Input { get; set; }
    /// <summary>Class per step <c>[T, B]</c> (cross-entropy).</summary>
    public int[] Classes { get; set; }
    /// <summary>Target values <c>[T, B, O]</c> (regression).</summary>
    public T[] Targets { get; set; }
    /// <summary>Feature mask <c>[T, B]</c>, or null.</summary>
    public float[]? Mask { get; set; }
    /// <summary>Label mask <c>[T, B]</c>, or null (then the feature mask counts).</summary>
    public float[]? LabelMask { get; set; }
    /// <summary>The recurrent state every forward starts from, or null for zeros.</summary>
    public RecurrentState<T>? InitialState { get; set; }
    /// <summary>Forward in training mode.</summary>
    public bool Training { get; set; }

    /// <summary>A tensor of the network by name.</summary>
    public ParameterTensor Tensor(string name) =>
        Net.Layout.TryGet(name, out var t) ? t : throw new ArgumentException($"No tensor '{name}'.", nameof(name));

    /// <summary>Sets one tensor uniform in [lo, hi).</summary>
    public void SetUniform(string name, double lo, double hi, int seed)
    {
        var rng = new Rng(seed);
        foreach (ref T v in Tensor(name).Of(Net.Parameters.AsSpan())) v = T.CreateTruncating(rng.Uniform(lo, hi));
    }

    /// <summary>Copies tensor <paramref name="fromName"/> of <paramref name="from"/> into this network's <paramref name="toName"/>.</summary>
    public void CopyTensor(Problem<T> from, string fromName, string toName)
    {
        var src = from.Tensor(fromName);
        var dst = Tensor(toName);
        if (!src.Shape.SequenceEqual(dst.Shape))
            throw new ArgumentException($"{fromName} {src.ShapeText} does not fit {toName} {dst.ShapeText}.");
        src.Of(from.Net.Parameters.AsSpan()).CopyTo(dst.Of(Net.Parameters.AsSpan()));
    }

    /// <summary>Copies every parameter of <paramref name="from"/> (same network spec).</summary>
    public void CopyParameters(Problem<T> from) => from.Net.Parameters.AsSpan().CopyTo(Net.Parameters);

    /// <summary>Sets one tensor to 0.</summary>
    public void Zero(string name) => Tensor(name).Of(Net.Parameters.AsSpan()).Clear();

    /// <summary>Starts every forward from a random state (h and c in ±1), as a truncated-BPTT window after the first.</summary>
    public void RandomizeInitialState(int seed)
    {
        var rng = new Rng(seed);
        var state = Net.CreateState(Batch);
        for (int l = 0; l < Net.Layers.Count; l++)
        {
            if (!state.HasState(l)) continue;
            foreach (ref T v in state.Hidden(l)) v = T.CreateTruncating(rng.Uniform(-1, 1));
            if (state.HasCell(l)) foreach (ref T v in state.Cell(l)) v = T.CreateTruncating(rng.Uniform(-1, 1));
        }
        InitialState = state;
    }

    /// <summary>One forward on <paramref name="ws"/> (default: <see cref="Workspace"/>); returns the output.</summary>
    public ReadOnlySpan<T> Forward(NetworkWorkspace<T>? ws = null)
    {
        ws ??= Workspace;
        RecurrentState<T>? state = null;
        if (InitialState is not null)
        {
            _state ??= Net.CreateState(Batch);
            _state.CopyFrom(InitialState);
            state = _state;
        }
        return Net.Forward(ws, Input, Steps, Batch, Mask, state, Training);
    }

    /// <summary>The recurrent state left by the last forward (null without <see cref="InitialState"/>).</summary>
    public RecurrentState<T>? FinalState => InitialState is null ? null : _state;

    /// <summary>Forward and the output layer's loss.</summary>
    public T Loss(NetworkWorkspace<T>? ws = null)
    {
        ws ??= Workspace;
        Forward(ws);
        var output = Net.OutputLayer ?? throw new InvalidOperationException("The network has no output layer.");
        return output.Loss == LossKind.CrossEntropy ? Net.Loss(ws, Classes, LabelMask) : Net.Loss(ws, Targets, LabelMask);
    }

    /// <summary>Forward, loss and backward (over the last <paramref name="backwardSteps"/> steps).</summary>
    public Result<T> Run(int backwardSteps = int.MaxValue)
    {
        T loss = Loss();
        Net.Backward(Workspace, backwardSteps);
        return Snapshot(loss);
    }

    /// <summary>Forward, then backward from a given dL/d(output) <c>[T, B, O]</c>.</summary>
    public Result<T> Run(T[] outputGradient, int backwardSteps = int.MaxValue)
    {
        Forward();
        Net.Backward(Workspace, outputGradient, backwardSteps);
        return Snapshot(T.Zero);
    }

    private Result<T> Snapshot(T loss)
    {
        var outputs = new T[Net.Layers.Count][];
        for (int l = 0; l < outputs.Length; l++) outputs[l] = Workspace.LayerOutput(l).ToArray();
        return new Result<T>(loss, outputs[^1], outputs, (T[])Workspace.Gradients.Clone());
    }
}
