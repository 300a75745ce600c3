using Recurrent.Native.Layers;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Network;

/// <summary>
/// Every buffer a network needs for calls of up to <see cref="MaxSteps"/> × <see cref="MaxBatch"/>: layer outputs,
/// caches kept for backward, gradient buffers and the parameter gradients. Allocated once; forward, loss and backward
/// then allocate nothing. One workspace serves one caller at a time.
/// </summary>
public sealed class NetworkWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal NetworkWorkspace(RecurrentNetwork<T> network, int maxSteps, int maxBatch, WorkerPool pool)
    {
        if (maxSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "Must be positive.");
        if (maxBatch <= 0) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "Must be positive.");
        Network = network;
        MaxSteps = maxSteps;
        MaxBatch = maxBatch;
        Pool = pool;
        int n = checked(maxSteps * maxBatch);
        var layers = network.Layers;
        Input = new T[checked(n * network.InputSize)];
        Mask = new float[n];
        LabelMask = new float[n];
        Gradients = new T[network.Parameters.Length];
        var scratch = new SharedScratch<T>();
        Outputs = new T[layers.Count][];
        Passes = new LayerPass<T>[layers.Count];
        int widest = network.InputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            Outputs[l] = new T[checked(n * layers[l].OutputSize)];
            Passes[l] = new LayerPass<T> { Cache = layers[l].CreateCache(maxSteps, maxBatch), Shared = scratch };
            widest = Math.Max(widest, layers[l].OutputSize);
        }
        DropMasks = new T[layers.Count][];
        DroppedInputs = new T[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            if (network.Spec.Layers[l].Dropout == 0) { DropMasks[l] = DroppedInputs[l] = []; continue; }
            DropMasks[l] = new T[checked(n * layers[l].InputSize)];
            DroppedInputs[l] = new T[DropMasks[l].Length];
        }
        GradA = new T[checked(n * widest)];
        GradB = new T[checked(n * widest)];
    }

    /// <summary>The network this workspace belongs to.</summary>
    public RecurrentNetwork<T> Network { get; }
    /// <summary>Longest call (T).</summary>
    public int MaxSteps { get; }
    /// <summary>Largest batch (B).</summary>
    public int MaxBatch { get; }
    /// <summary>The workers that run this workspace's calls.</summary>
    public WorkerPool Pool { get; }
    /// <summary>Steps of the last forward call.</summary>
    public int Steps { get; internal set; }
    /// <summary>Batch of the last forward call.</summary>
    public int Batch { get; internal set; }
    /// <summary>Parameter gradients of the last backward, same layout as <see cref="RecurrentNetwork{T}.Parameters"/>.</summary>
    public T[] Gradients { get; }
    /// <summary>
    /// Declares that the network's weights will not change while this workspace is used (inference, streaming): layers
    /// then prepare (pack) their weights on the first call only, and recurrent layers keep no per-step history for a
    /// backward (which a frozen workspace refuses) outside training mode. Changing the weights afterwards is not seen by
    /// this workspace; create a new one. Cannot be undone.
    /// </summary>
    public void FreezeWeights()
    {
        foreach (var pass in Passes) pass.FrozenWeights = true;
        WeightsFrozen = true;
    }

    /// <summary>True after <see cref="FreezeWeights"/>.</summary>
    public bool WeightsFrozen { get; private set; }

    /// <summary>Restarts the random stream of dropout masks (the trainer seeds it from its own seed).</summary>
    public void SeedDropout(int seed) => DropoutRng = new Tensors.Rng(seed);

    /// <summary>Present label steps counted by the last loss.</summary>
    public int LossCount { get; internal set; }

    /// <summary>The network output of the last forward call, <c>[T, B, O]</c>.</summary>
    public ReadOnlySpan<T> Output => LayerOutput(Outputs.Length - 1);

    /// <summary>The output of layer <paramref name="layer"/> in the last forward call, <c>[T, B, O_layer]</c>.</summary>
    public ReadOnlySpan<T> LayerOutput(int layer) =>
        Outputs[layer].AsSpan(0, Steps * Batch * Network.Layers[layer].OutputSize);

    internal readonly T[] Input;            // [T, B, I]
    internal readonly float[] Mask;         // [T, B]
    internal readonly float[] LabelMask;    // [T, B] effective label mask of the last loss
    internal bool HasMask;
    internal readonly T[][] Outputs;        // per layer [T, B, O_l]
    internal readonly LayerPass<T>[] Passes;
    internal readonly T[] GradA, GradB;     // ping-pong dL/d(activations)
    internal bool LossReady;
    internal bool Training;
    internal Tensors.Rng DropoutRng = new(0);
    internal readonly T[][] DropMasks;      // per layer [T, B, I_l] (empty when the layer has no dropout)
    internal readonly T[][] DroppedInputs;  // per layer [T, B, I_l]
}
