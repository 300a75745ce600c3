using Recurrent.Native.Layers;
using Recurrent.Native.Tensors;
using Recurrent.Native.Threading;
using Recurrent.Native.Training;

namespace Recurrent.Native.Network;

/// <summary>
/// A stack of layers with one flat parameter buffer, usable on plain arrays without ML.NET:
/// <see cref="Forward"/> (outputs and, with a <see cref="RecurrentState{T}"/>, the final state of every layer),
/// a masked loss, and <see cref="Backward(NetworkWorkspace{T}, int)"/> (every parameter gradient).
/// Data are time-major: input <c>[T, B, I]</c>, masks <c>[T, B]</c> with 1 = present, 0 = padding.
/// </summary>
/// <remarks>
/// Recurrent tensors follow PyTorch's names: recurrent layer k (counting recurrent and bidirectional layers from 0) owns
/// <c>weight_ih_lk</c>, <c>weight_hh_lk</c>, <c>bias_ih_lk</c>, <c>bias_hh_lk</c> (<c>_reverse</c> for the backward
/// direction; <c>peephole_i/f/o_lk</c> for Graves); dense layer j owns <c>dense{j}.weight</c>, <c>dense{j}.bias</c>;
/// the output layer <c>output.weight</c>, <c>output.bias</c>.
/// </remarks>
public sealed class RecurrentNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;

    /// <summary>Builds the network and initialises its weights from <paramref name="seed"/>.</summary>
    public RecurrentNetwork(NetworkSpec spec, int seed = 0) : this(spec, initialize: true, seed) { }

    private RecurrentNetwork(NetworkSpec spec, bool initialize, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        Layout = new ParameterLayout();
        _layers = new Layer<T>[spec.Layers.Count];
        int input = spec.InputSize, recurrent = 0, dense = 0;
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i] = spec.Layers[i] switch
            {
                RecurrentSpec r => CreateRecurrent(r, input, $"_l{recurrent++}", reverse: false),
                BidirectionalSpec b => new BidirectionalLayer<T>(
                    CreateRecurrent(b.Layer, input, $"_l{recurrent}", reverse: false),
                    CreateRecurrent(b.Layer, input, $"_l{recurrent++}", reverse: true), b.Merge),
                DenseSpec d => new DenseLayer<T>(Layout, $"dense{dense++}", input, d.Units, d.Activation),
                OutputSpec o => new OutputLayer<T>(Layout, input, o.Size, o.Loss),
                var other => throw new ArgumentException($"Unknown layer spec {other}.", nameof(spec)),
            };
            input = _layers[i].OutputSize;
        }
        Parameters = new T[Layout.TotalLength];
        if (initialize) Initialize(seed);
    }

    /// <summary>
    /// A new network with the same <see cref="Spec"/> and a copy of the weights (built without running the
    /// initialisation, which costs O(H³) per recurrent layer). Later changes to either network do not reach the other.
    /// </summary>
    public RecurrentNetwork<T> Clone()
    {
        var copy = new RecurrentNetwork<T>(Spec, initialize: false, seed: 0);
        Parameters.AsSpan().CopyTo(copy.Parameters);
        return copy;
    }

    private RecurrentLayer<T> CreateRecurrent(RecurrentSpec spec, int input, string suffix, bool reverse) => spec switch
    {
        LstmSpec l => new LstmLayer<T>(Layout, suffix, input, l.Hidden, l.Peepholes, reverse, l.GateActivation, l.CellActivation, l.ForgetBias)
            { RecurrentDropout = l.RecurrentDropout },
        SimpleRnnSpec s => new SimpleRnnLayer<T>(Layout, suffix, input, s.Hidden, s.Activation, reverse) { RecurrentDropout = s.RecurrentDropout },
        _ => throw new ArgumentException($"Unknown recurrent spec {spec}.", nameof(spec)),
    };

    /// <summary>The configuration this network was built from.</summary>
    public NetworkSpec Spec { get; }
    /// <summary>Names, shapes and offsets of every tensor in <see cref="Parameters"/>.</summary>
    public ParameterLayout Layout { get; }
    /// <summary>All weights, one flat buffer (see <see cref="Layout"/>).</summary>
    public T[] Parameters { get; }
    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;
    /// <summary>Features per step going in.</summary>
    public int InputSize => Spec.InputSize;
    /// <summary>Features per step coming out of the last layer.</summary>
    public int OutputSize => _layers[^1].OutputSize;
    /// <summary>The output layer, when the network ends in one.</summary>
    public OutputLayer<T>? OutputLayer => _layers[^1] as OutputLayer<T>;

    /// <summary>Re-initialises every weight from <paramref name="seed"/> (each layer from its own stream).</summary>
    public void Initialize(int seed)
    {
        var rng = new Rng(seed);
        foreach (var layer in _layers) layer.Initialize(Parameters, rng.Fork());
    }

    /// <summary>Buffers for calls of up to <paramref name="maxSteps"/> × <paramref name="maxBatch"/>.</summary>
    public NetworkWorkspace<T> CreateWorkspace(int maxSteps, int maxBatch, WorkerPool? pool = null) =>
        new(this, maxSteps, maxBatch, pool ?? WorkerPool.Single);

    /// <summary>Zero recurrent state for <paramref name="batch"/> sequences.</summary>
    public RecurrentState<T> CreateState(int batch) => new(this, batch);

    /// <summary>
    /// Runs the network over <paramref name="steps"/> × <paramref name="batch"/> and returns the output <c>[T, B, O]</c>
    /// (valid until the next call on the workspace). With <paramref name="state"/>, recurrent layers start from it and
    /// leave their final state in it; without, they start from zeros.
    /// </summary>
    /// <param name="workspace">Buffers from <see cref="CreateWorkspace"/>.</param>
    /// <param name="input">Input <c>[T, B, I]</c>, time-major.</param>
    /// <param name="steps">T, in [1, MaxSteps].</param>
    /// <param name="batch">B, in [1, MaxBatch].</param>
    /// <param name="featureMask"><c>[T, B]</c>, 1 = present, 0 = padding (the step is skipped: state carried, output 0); empty = all present.</param>
    /// <param name="state">Initial and final recurrent state, or null for zeros.</param>
    /// <param name="training">Training mode (dropout active).</param>
    public ReadOnlySpan<T> Forward(NetworkWorkspace<T> workspace, ReadOnlySpan<T> input, int steps, int batch,
        ReadOnlySpan<float> featureMask = default, RecurrentState<T>? state = null, bool training = false)
    {
        if (state is not null && (state.Batch != batch || state.LayerCount != _layers.Length))
            throw new ArgumentException($"State is for batch {state.Batch} of a {state.LayerCount}-layer network; this call has batch {batch}.", nameof(state));
        return ForwardRows(workspace, input, steps, batch, featureMask, state, training);
    }

    /// <summary>
    /// As <see cref="Forward"/>, with the recurrent layers' state rows wherever <paramref name="state"/> says (the
    /// streaming engine's per-stream blocks, read and written in place).
    /// </summary>
    internal ReadOnlySpan<T> ForwardRows(NetworkWorkspace<T> workspace, ReadOnlySpan<T> input, int steps, int batch,
        ReadOnlySpan<float> featureMask, IStateSource<T>? state, bool training)
    {
        var ws = Check(workspace);
        if (steps < 1 || steps > ws.MaxSteps) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Must be in [1, {ws.MaxSteps}].");
        if (batch < 1 || batch > ws.MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Must be in [1, {ws.MaxBatch}].");
        int n = steps * batch;
        if (input.Length != n * InputSize)
            throw new ArgumentException($"Input holds {input.Length} values; [T={steps}, B={batch}, I={InputSize}] needs {n * InputSize}.", nameof(input));
        if (!featureMask.IsEmpty && featureMask.Length != n)
            throw new ArgumentException($"Feature mask holds {featureMask.Length} values; [T={steps}, B={batch}] needs {n}.", nameof(featureMask));
        if (Kernels.Elementwise.IndexOfNonFinite(input) is int bad and >= 0)
            throw new ArgumentOutOfRangeException(nameof(input), input[bad], $"Input value at step {bad / InputSize / batch}, sequence {bad / InputSize % batch}, feature {bad % InputSize} is not finite.");
        ws.HasMask = !featureMask.IsEmpty;
        if (ws.HasMask)
            for (int i = 0; i < n; i++)
            {
                float m = featureMask[i];
                if (m != 0f && m != 1f) throw new ArgumentOutOfRangeException(nameof(featureMask), m, $"Mask values must be 0 or 1 (index {i}).");
                ws.Mask[i] = m;
            }
        input.CopyTo(ws.Input);
        ws.Steps = steps;
        ws.Batch = batch;
        ws.LossReady = false;
        ws.Training = training;

        Memory<T> x = ws.Input.AsMemory(0, n * InputSize);
        for (int l = 0; l < _layers.Length; l++)
        {
            var pass = ws.Passes[l];
            pass.Params = Parameters;
            double dropout = Spec.Layers[l].Dropout;
            if (training && dropout > 0)
            {
                int len = n * _layers[l].InputSize;
                var mask = ws.DropMasks[l].AsSpan(0, len);
                Dropout.FillMask(mask, dropout, ws.DropoutRng);
                Dropout.Apply<T>(x.Span, mask, ws.DroppedInputs[l]);
                x = ws.DroppedInputs[l].AsMemory(0, len);
            }
            pass.Input = x;
            pass.DropoutRng = ws.DropoutRng;
            pass.Output = ws.Outputs[l].AsMemory(0, n * _layers[l].OutputSize);
            pass.Mask = ws.HasMask ? ws.Mask.AsMemory(0, n) : default;
            pass.State = state?.For(l) ?? default;
            pass.Steps = steps;
            pass.Batch = batch;
            pass.Training = training;
            _layers[l].Forward(pass, ws.Pool);
            x = pass.Output;
        }
        return ws.Output;
    }

    /// <summary>
    /// Cross-entropy of the last forward's softmax outputs against a class per step; prepares <see cref="Backward(NetworkWorkspace{T}, int)"/>.
    /// Returns the mean over present label steps.
    /// </summary>
    /// <param name="workspace">The workspace of the last forward.</param>
    /// <param name="classes">Class index per step <c>[T, B]</c>; ignored where the label mask is 0.</param>
    /// <param name="labelMask"><c>[T, B]</c> steps that count; empty = the feature mask (or all steps).</param>
    public T Loss(NetworkWorkspace<T> workspace, ReadOnlySpan<int> classes, ReadOnlySpan<float> labelMask = default)
    {
        var ws = Check(workspace);
        var output = RequireOutput(LossKind.CrossEntropy);
        int n = ws.Steps * ws.Batch, c = output.OutputSize;
        if (classes.Length != n) throw new ArgumentException($"Targets hold {classes.Length} values; [T={ws.Steps}, B={ws.Batch}] needs {n}.", nameof(classes));
        var mask = EffectiveLabelMask(ws, labelMask);
        var pass = ws.Passes[^1];
        T loss = Losses.CrossEntropy<T>(OutputLayer<T>.Logits(pass)[..(n * c)], ws.Output, c, classes, mask, ws.GradA.AsSpan(0, n * c), out int count);
        ws.LossCount = count;
        ws.LossReady = true;
        return loss;
    }

    /// <summary>Regression loss (the output layer's MSE or MAE) against values <c>[T, B, O]</c>; prepares backward.</summary>
    /// <param name="workspace">The workspace of the last forward.</param>
    /// <param name="targets">Target values <c>[T, B, O]</c>; ignored where the label mask is 0.</param>
    /// <param name="labelMask"><c>[T, B]</c> steps that count; empty = the feature mask (or all steps).</param>
    public T Loss(NetworkWorkspace<T> workspace, ReadOnlySpan<T> targets, ReadOnlySpan<float> labelMask = default)
    {
        var ws = Check(workspace);
        var output = OutputLayer ?? throw new InvalidOperationException("The network has no output layer.");
        if (output.Loss == LossKind.CrossEntropy) throw new InvalidOperationException("A classification network takes class indices as targets.");
        int n = ws.Steps * ws.Batch, o = output.OutputSize;
        if (targets.Length != n * o) throw new ArgumentException($"Targets hold {targets.Length} values; [T={ws.Steps}, B={ws.Batch}, O={o}] needs {n * o}.", nameof(targets));
        var mask = EffectiveLabelMask(ws, labelMask);
        var grad = ws.GradA.AsSpan(0, n * o);
        T loss = output.Loss == LossKind.MeanSquaredError
            ? Losses.MeanSquaredError<T>(ws.Output, targets, o, mask, grad, out int count)
            : Losses.MeanAbsoluteError<T>(ws.Output, targets, o, mask, grad, out count);
        ws.LossCount = count;
        ws.LossReady = true;
        return loss;
    }

    /// <summary>
    /// Backward from the gradient the last <c>Loss</c> call prepared: fills <see cref="NetworkWorkspace{T}.Gradients"/>
    /// (overwritten). Under truncated BPTT, recurrent layers backpropagate only through the last
    /// <paramref name="backwardSteps"/> steps; the other layers use every step.
    /// </summary>
    public void Backward(NetworkWorkspace<T> workspace, int backwardSteps = int.MaxValue)
    {
        var ws = Check(workspace);
        if (!ws.LossReady) throw new InvalidOperationException("Call Loss after Forward and before Backward.");
        if (OutputLayer is { Loss: LossKind.CrossEntropy }) OutputLayer<T>.SetGradientIsForLogits(ws.Passes[^1], true);
        RunBackward(ws, backwardSteps);
    }

    /// <summary>Backward from a given dL/d(output) <c>[T, B, O]</c> of the last forward (any loss); fills the gradients.</summary>
    public void Backward(NetworkWorkspace<T> workspace, ReadOnlySpan<T> outputGradient, int backwardSteps = int.MaxValue)
    {
        var ws = Check(workspace);
        int n = ws.Steps * ws.Batch * OutputSize;
        if (outputGradient.Length != n) throw new ArgumentException($"Output gradient holds {outputGradient.Length} values; needs {n}.", nameof(outputGradient));
        outputGradient.CopyTo(ws.GradA);
        if (OutputLayer is { Loss: LossKind.CrossEntropy }) OutputLayer<T>.SetGradientIsForLogits(ws.Passes[^1], false);
        RunBackward(ws, backwardSteps);
    }

    private void RunBackward(NetworkWorkspace<T> ws, int backwardSteps)
    {
        if (ws.WeightsFrozen) throw new InvalidOperationException("This workspace has frozen weights (inference only); train with another workspace.");
        if (backwardSteps < 1) throw new ArgumentOutOfRangeException(nameof(backwardSteps), backwardSteps, "Must be at least 1.");
        if (backwardSteps < ws.Steps && !Spec.IsCausal)
            throw new InvalidOperationException("Truncated backpropagation is not possible through a bidirectional layer.");
        Array.Clear(ws.Gradients);
        int n = ws.Steps * ws.Batch;
        T[] dy = ws.GradA, dx = ws.GradB;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var pass = ws.Passes[l];
            pass.Grads = ws.Gradients;
            pass.OutputGrad = dy.AsMemory(0, n * _layers[l].OutputSize);
            pass.InputGrad = l > 0 ? dx.AsMemory(0, n * _layers[l].InputSize) : default;
            pass.BackwardSteps = backwardSteps;
            _layers[l].Backward(pass, ws.Pool);
            if (l > 0 && ws.Training && Spec.Layers[l].Dropout > 0)
            {
                var g = pass.InputGrad.Span;
                Dropout.Apply<T>(g, ws.DropMasks[l].AsSpan(0, g.Length), g);
            }
            (dy, dx) = (dx, dy);
        }
        ws.LossReady = false;
    }

    private ReadOnlySpan<float> EffectiveLabelMask(NetworkWorkspace<T> ws, ReadOnlySpan<float> labelMask)
    {
        int n = ws.Steps * ws.Batch;
        if (labelMask.IsEmpty) return ws.HasMask ? ws.Mask.AsSpan(0, n) : default;
        if (labelMask.Length != n) throw new ArgumentException($"Label mask holds {labelMask.Length} values; [T={ws.Steps}, B={ws.Batch}] needs {n}.", nameof(labelMask));
        for (int i = 0; i < n; i++)
        {
            float m = labelMask[i];
            if (m != 0f && m != 1f) throw new ArgumentOutOfRangeException(nameof(labelMask), m, $"Mask values must be 0 or 1 (index {i}).");
            if (m == 1f && ws.HasMask && ws.Mask[i] == 0f)
                throw new ArgumentException($"Label at step {i / ws.Batch}, sequence {i % ws.Batch} falls on a padded (masked) input step.", nameof(labelMask));
            ws.LabelMask[i] = m;
        }
        return ws.LabelMask.AsSpan(0, n);
    }

    private OutputLayer<T> RequireOutput(LossKind kind)
    {
        var output = OutputLayer ?? throw new InvalidOperationException("The network has no output layer.");
        if (output.Loss != kind) throw new InvalidOperationException($"The output layer is trained with {output.Loss}, not {kind}.");
        return output;
    }

    private NetworkWorkspace<T> Check(NetworkWorkspace<T> ws)
    {
        ArgumentNullException.ThrowIfNull(ws);
        if (ws.Network != this) throw new ArgumentException("The workspace belongs to another network.", nameof(ws));
        return ws;
    }
}
