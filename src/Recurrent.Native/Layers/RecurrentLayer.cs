using System.Runtime.CompilerServices;
using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Layers;

/// <summary>
/// What every recurrent layer shares: PyTorch's parameters (<c>weight_ih [G·H, I]</c>, <c>weight_hh [G·H, H]</c>,
/// <c>bias_ih</c>, <c>bias_hh [G·H]</c>, G gate blocks) and the time loop — per step one GEMM (input and recurrent
/// parts together) and one cell kernel, split between workers either in chunks of hidden units that they claim
/// (<see cref="StepChunks"/>), with one barrier per step forward and backward, or by batch rows for the whole loop
/// (<see cref="SplitsRows"/>). Subclasses supply the cell
/// (<see cref="LstmLayer{T}"/>, <see cref="SimpleRnnLayer{T}"/>).
/// A <see cref="Reverse"/> layer walks time backwards (the second direction of a bidirectional layer).
/// </summary>
public abstract class RecurrentLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _inputSize;
    private readonly ParameterTensor[] _parameters;

    private protected RecurrentLayer(ParameterLayout layout, string suffix, int inputSize, int hidden, int gates, bool reverse,
        IEnumerable<(string Name, int[] Shape)> extra)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Must be positive.");
        if (hidden <= 0) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Must be positive.");
        _inputSize = inputSize;
        Hidden = hidden;
        GateCount = gates;
        Reverse = reverse;
        string dir = reverse ? "_reverse" : "";
        WeightIH = layout.Add($"weight_ih{suffix}{dir}", gates * hidden, inputSize);
        WeightHH = layout.Add($"weight_hh{suffix}{dir}", gates * hidden, hidden);
        BiasIH = layout.Add($"bias_ih{suffix}{dir}", gates * hidden);
        BiasHH = layout.Add($"bias_hh{suffix}{dir}", gates * hidden);
        var all = new List<ParameterTensor> { WeightIH, WeightHH, BiasIH, BiasHH };
        foreach (var (name, shape) in extra) all.Add(layout.Add($"{name}{suffix}{dir}", shape));
        _parameters = all.ToArray();
    }

    /// <summary>Hidden units (H).</summary>
    public int Hidden { get; }
    /// <summary>Gate blocks in the weights (4 for an LSTM, 1 for a simple RNN).</summary>
    public int GateCount { get; }
    /// <summary>True when the layer runs from the last step to the first.</summary>
    public bool Reverse { get; }
    /// <summary>Variational dropout probability on h(t−1) in the recurrent product, training only. Default 0.</summary>
    public double RecurrentDropout { get; init; }
    /// <summary><c>weight_ih [G·H, I]</c>.</summary>
    public ParameterTensor WeightIH { get; }
    /// <summary><c>weight_hh [G·H, H]</c>.</summary>
    public ParameterTensor WeightHH { get; }
    /// <summary><c>bias_ih [G·H]</c>.</summary>
    public ParameterTensor BiasIH { get; }
    /// <summary><c>bias_hh [G·H]</c>.</summary>
    public ParameterTensor BiasHH { get; }
    /// <inheritdoc/>
    public override int InputSize => _inputSize;
    /// <inheritdoc/>
    public override int OutputSize => Hidden;
    /// <inheritdoc/>
    public override IReadOnlyList<ParameterTensor> Parameters => _parameters;
    /// <summary>True when the cell keeps a memory c beside h (LSTM).</summary>
    public abstract bool HasCell { get; }
    /// <inheritdoc/>
    public override int StateSize => HasCell ? 2 * Hidden : Hidden;

    /// <summary>Xavier-uniform input weights, orthogonal recurrent blocks, zero biases (subclasses adjust).</summary>
    internal override void Initialize(Span<T> p, Rng rng)
    {
        int gh = GateCount * Hidden;
        double bound = Math.Sqrt(6.0 / (InputSize + gh));
        foreach (ref T v in WeightIH.Of(p)) v = T.CreateTruncating(rng.Uniform(-bound, bound));
        var whh = WeightHH.Of(p);
        for (int g = 0; g < GateCount; g++) Orthogonal.Fill(whh.Slice(g * Hidden * Hidden, Hidden * Hidden), Hidden, rng);
        BiasIH.Of(p).Clear();
        BiasHH.Of(p).Clear();
    }

    internal override LayerCache CreateCache(int maxSteps, int maxBatch) => new RecurrentCache(this, maxSteps, maxBatch);

    internal override void Forward(LayerPass<T> pass, WorkerPool pool)
    {
        var c = (RecurrentCache)pass.Cache;
        c.PackThisCall = c.NeedsForwardPack(pass);
        c.SplitRows = SplitsRows(pass, pool.Workers);
        PrepareForward(pass, c, pool.Workers);
        c.Forward.Set(pass, pool);
        Parallelism.Run(pool, c.Forward, FlopsPerBarrier(pass, c.SplitRows));
        // Split by units, the workers' last step ends at the join of the job rather than at a barrier of its own.
        if (!c.SplitRows) StoreFinalState(pass, c, Kept(LastSlot(pass.Steps), c.HistoryKept), 0, pass.Batch);
    }

    internal override void Backward(LayerPass<T> pass, WorkerPool pool)
    {
        var c = (RecurrentCache)pass.Cache;
        c.SplitRows = SplitsRows(pass, pool.Workers) && CellBackwardSplitsRows;
        PrepareBackward(pass, c, pool.Workers);
        c.Backward.Set(pass, pool);
        Parallelism.Run(pool, c.Backward, FlopsPerBarrier(pass, c.SplitRows));
    }

    /// <summary>The work between two barriers: the recurrent product of one step, or of every step when rows are split.</summary>
    private long FlopsPerBarrier(LayerPass<T> pass, bool rows) => 2L * pass.Batch * GateCount * Hidden * Hidden * (rows ? pass.Steps : 1);

    /// <summary>Rows each worker gets at least before the batch is split by rows.</summary>
    private const int MinimumRowsPerWorker = 8;

    /// <summary>Largest packed step weights [I + H + 1, G·H] for which the batch is split by rows.</summary>
    private const long MaximumRowSplitWeightBytes = 2L << 20;

    /// <summary>
    /// True when the workers share the batch rows, each running the whole time loop for its own rows with no barrier,
    /// rather than the hidden units of every step with a barrier per step. Rows cost every worker a read of all the step
    /// weights per step instead of its share; units cost a barrier per step and wait for the slower core at each. The bench
    /// shapes measured, the two alternating call by call in one process (2 workers): rows faster for 8,64,16,200 and
    /// 32,128,64,50 in inference and training, about even for 64,256,32,100 and 65,512,32,100 (weights of 1.3 and 4.7 MB).
    /// A single step (streaming) needs no barrier either way, but split by units the caller loads every row's state and
    /// the whole first operand before the workers start and stores the final state after, while both workers read all
    /// of it; split by rows each worker loads and stores its own rows. On the Zen 5 machine (1 MiB L2 per core), one step
    /// of 32 streams (I = 64, H = 256) ran faster by rows in an in-process A/B (ratios in the message of commit fa6591a),
    /// although each worker then reads all the weights; one stream keeps the units split.
    /// </summary>
    private bool SplitsRows(LayerPass<T> pass, int workers) => workers > 1 && Parallelism.RecurrentSplit switch
    {
        TimeLoopSplit.Rows => true,
        TimeLoopSplit.Units => false,
        _ => pass.Batch >= MinimumRowsPerWorker * workers
            && (long)(InputSize + Hidden + 1) * GateCount * Hidden * Unsafe.SizeOf<T>() <= MaximumRowSplitWeightBytes,
    };

    /// <summary>State slot (in <c>[T + 1, B, H]</c> buffers) written at step t; the initial state has its own slot.</summary>
    private int Slot(int t) => Reverse ? t : t + 1;
    private int PrevSlot(int t) => Reverse ? t + 1 : t;
    private int InitialSlot(int steps) => Reverse ? steps : 0;
    private int LastSlot(int steps) => Reverse ? 0 : steps;
    /// <summary>Where a state slot lives: itself when the forward keeps every step for the backward, else one of two.</summary>
    private static int Kept(int slot, bool history) => history ? slot : slot & 1;

    /// <summary>
    /// The serial part of a forward, on the calling thread before the workers start (so that they need no barrier to wait
    /// for it): the summed bias, the recurrent dropout mask, the claim counters and, when the workers share every step's
    /// units, the initial state and the whole operand of the first step (split by rows, each worker loads its own rows).
    /// </summary>
    private void PrepareForward(LayerPass<T> pass, RecurrentCache c, int workers)
    {
        int hid = Hidden, gh = GateCount * hid, k = InputSize + hid + 1;
        if (c.PackThisCall)
        {
            var p = pass.Params.AsSpan();
            var bias = c.Bias.AsSpan();
            BiasIH.Of(p).CopyTo(bias);
            Elementwise.AddScaled(T.One, BiasHH.Of(p), bias);
            c.Wxh.Resize(k, gh, GateCount);
        }
        c.HistoryKept = pass.Training || !pass.FrozenWeights;   // a frozen workspace never runs a backward
        if (Dropped(pass)) DrawRecurrentDropout(pass, c);
        if (c.Claims.Length < StepChunks.Length(workers)) c.Claims = new int[StepChunks.Length(workers)];
        new StepChunks(c.Claims, c.Wxh.BlocksPerGroup, workers).Reset(0);
        if (!c.SplitRows) LoadFirstStep(pass, c, 0, pass.Batch);
    }

    /// <summary>
    /// Rows [r0, r1) of the first step: the initial state into its slot (masked by recurrent dropout when training with
    /// it), and x and h(t − 1) into the first operand.
    /// </summary>
    private void LoadFirstStep(LayerPass<T> pass, RecurrentCache c, int r0, int r1)
    {
        int steps = pass.Steps, batch = pass.Batch, hid = Hidden, inp = InputSize, bh = batch * hid;
        int slot = Kept(InitialSlot(steps), c.HistoryKept), first = Reverse ? steps - 1 : 0;
        LoadInitialState(pass, c, slot, r0, r1);
        bool dropped = Dropped(pass);
        if (dropped) MaskUnits(c.Hs.Slice(slot * bh, bh), c.RecurrentMask, c.HsDropped.AsSpan(slot * bh, bh), r0, r1, 0, hid);
        var operand = c.StepInput(0, batch, inp + hid + 1);
        FillStepInput(operand, pass.Input.Span.Slice(first * batch * inp, batch * inp), r0, r1);
        CopyUnits((dropped ? c.HsDropped : c.Hs).Slice(slot * bh, bh), operand, r0, r1, 0, hid);
    }

    /// <remarks>
    /// Each step is one product [x(t), h(t−1), 1] · [W_ihᵀ; W_hhᵀ; b_ih + b_hh] into that step's gate rows (the step
    /// operand lives in two alternating buffers [B, I + H + 1]), then the cell. Computing the input part per step, rather
    /// than for the whole window up front, keeps the gate rows in cache between the product and the cell (a whole-window
    /// input product measured slower for every bench shape). A workspace with frozen weights (inference, streaming: no
    /// backward) writes its gates to one step's rows and its states to two alternating slots, which stay in cache;
    /// otherwise every step keeps its own for the backward. The workers share either every step's units, meeting at a
    /// barrier per step, or the batch rows for the whole loop, never meeting (<see cref="SplitsRows"/>).
    /// </remarks>
    private void ForwardWorker(LayerPass<T> pass, WorkerPool pool, int w, int n)
    {
        var c = (RecurrentCache)pass.Cache;
        int steps = pass.Steps, batch = pass.Batch, hid = Hidden, gh = GateCount * hid, inp = InputSize, k = inp + hid + 1;
        var p = pass.Params.AsSpan();
        bool history = c.HistoryKept, rows = c.SplitRows;
        if (c.PackThisCall)
        {
            var (q0, q1) = Split.Range(c.Wxh.PanelCount, w, n);
            c.Wxh.PackTransposedStackedPanels(WeightIH.Of(p), inp, WeightHH.Of(p), hid, c.Bias, q0, q1);
            Parallelism.Barrier(pool, w, n);
        }

        var gates = c.Gates.Slice(0, steps * batch * gh);
        var x = pass.Input.Span;
        var (f0, f1) = Split.Range(batch, w, n);            // rows of the next operand this worker fills with x(t + 1)
        var (r0, r1) = rows ? (f0, f1) : (0, batch);        // rows whose cells it computes
        if (rows) LoadFirstStep(pass, c, r0, r1);
        var chunks = new StepChunks(c.Claims, c.Wxh.BlocksPerGroup, n);
        for (int s = 0; s < steps; s++)
        {
            int t = Reverse ? steps - 1 - s : s;
            var operand = c.StepInput(s & 1, batch, k);
            var next = c.StepInput((s + 1) & 1, batch, k);
            int gateStep = history ? t : 0, prev = Kept(PrevSlot(t), history), slot = Kept(Slot(t), history);
            var stepGates = gates.Slice(gateStep * batch * gh, batch * gh);
            var step = new StepRange(s + 1 < steps, t, gateStep, prev, slot, r0, r1);
            if (rows) ForwardBlocks(pass, c, step, 0, c.Wxh.BlocksPerGroup, operand, next, stepGates);
            else
            {
                if (w == 0) chunks.Reset(s + 1);
                // Blocks of units, this worker's own first, then whatever another worker has not claimed yet: a core that
                // runs slower (this machine's two cores often do not run at the same speed) does less of the step.
                for (int v = 0; v < n; v++)
                    while (chunks.TryClaim(s, (w + v) % n, out int c0, out int c1)) ForwardBlocks(pass, c, step, c0, c1, operand, next, stepGates);
            }
            if (s + 1 < steps)
            {
                int tn = Reverse ? t - 1 : t + 1;
                FillStepInput(next, x.Slice(tn * batch * inp, batch * inp), f0, f1);
            }
            if (!rows && s + 1 < steps) Parallelism.Barrier(pool, w, n);
        }
        if (rows) StoreFinalState(pass, c, Kept(LastSlot(steps), history), r0, r1);
    }

    /// <summary>A forward step as one worker sees it: its rows [R0, R1), the step and its state slots.</summary>
    private readonly record struct StepRange(bool HasNext, int T, int GateStep, int Prev, int Slot, int R0, int R1);

    /// <summary>Unit blocks [c0, c1) of a step for the worker's rows: product, cell, h(t) into the next step's operand.</summary>
    private void ForwardBlocks(LayerPass<T> pass, RecurrentCache c, StepRange step, int c0, int c1, ReadOnlySpan<T> operand, Span<T> next, Span<T> stepGates)
    {
        int hid = Hidden, gh = GateCount * hid, k = InputSize + hid + 1, bh = pass.Batch * hid, slot = step.Slot;
        int u0 = Math.Min(c0 * c.Wxh.PanelWidth, hid), u1 = Math.Min(c1 * c.Wxh.PanelWidth, hid);
        Gemm.Multiply<T>(operand, k, c.Wxh, stepGates, gh, step.R0, step.R1, c0 * GateCount, c1 * GateCount, accumulate: false);
        if (u0 >= u1) return;
        CellForward(c, pass, step.T, step.GateStep, step.Prev, slot, u0, u1, step.R0, step.R1);
        bool dropped = Dropped(pass);
        if (dropped) MaskUnits(c.Hs.Slice(slot * bh, bh), c.RecurrentMask, c.HsDropped.AsSpan(slot * bh, bh), step.R0, step.R1, u0, u1);
        if (step.HasNext) CopyUnits((dropped ? c.HsDropped : c.Hs).Slice(slot * bh, bh), next, step.R0, step.R1, u0, u1);
    }

    /// <summary>Rows [b0, b1) of a step operand [B, I + H + 1]: x(t) in the first I columns, 1 in the last.</summary>
    private void FillStepInput(Span<T> operand, ReadOnlySpan<T> xt, int b0, int b1)
    {
        int inp = InputSize, k = inp + Hidden + 1;
        for (int b = b0; b < b1; b++)
        {
            xt.Slice(b * inp, inp).CopyTo(operand.Slice(b * k, inp));
            operand[b * k + k - 1] = T.One;
        }
    }

    /// <summary>Rows [r0, r1) × units [u0, u1) of h [B, H] into the h columns of a step operand [B, I + H + 1].</summary>
    private void CopyUnits(ReadOnlySpan<T> h, Span<T> operand, int r0, int r1, int u0, int u1)
    {
        int k = InputSize + Hidden + 1;
        for (int b = r0; b < r1; b++)
            h.Slice(b * Hidden + u0, u1 - u0).CopyTo(operand.Slice(b * k + InputSize + u0, u1 - u0));
    }

    /// <summary>The serial part of a backward, on the calling thread before the workers start: buffer shapes, counters, clears.</summary>
    private void PrepareBackward(LayerPass<T> pass, RecurrentCache c, int workers)
    {
        if (!c.HistoryKept) throw new InvalidOperationException("The backward needs a training forward first: an inference forward keeps no per-step history.");
        int steps = pass.Steps, batch = pass.Batch, hid = Hidden, gh = GateCount * hid, inp = InputSize;
        int k = Math.Min(pass.BackwardSteps, steps);
        int r0All = (Reverse ? 0 : steps - k) * batch, nR = k * batch;
        pass.Shared.Reserve(gh * nR);
        pass.Shared.XPack.Resize(nR, inp);
        pass.Shared.HPack.Resize(nR, hid);
        c.WhhNN.Resize(gh, hid);
        c.WihNN.Resize(gh, inp);
        if (c.Claims.Length < StepChunks.Length(workers)) c.Claims = new int[StepChunks.Length(workers)];
        new StepChunks(c.Claims, c.WhhNN.PanelCount, workers).Reset(0);
        c.DH.AsSpan(0, batch * hid).Clear();
        if (HasCell) c.DC.AsSpan(0, batch * hid).Clear();   // a simple RNN has no cell (DC is empty)
        if (!pass.InputGrad.IsEmpty)
        {
            var dx = pass.InputGrad.Span;
            dx[..(r0All * inp)].Clear();
            dx.Slice((r0All + nR) * inp, (steps * batch - r0All - nR) * inp).Clear();
        }
    }

    private void BackwardWorker(LayerPass<T> pass, WorkerPool pool, int w, int n)
    {
        var c = (RecurrentCache)pass.Cache;
        int steps = pass.Steps, batch = pass.Batch, hid = Hidden, gh = GateCount * hid, inp = InputSize;
        int k = Math.Min(pass.BackwardSteps, steps);
        int tLo = Reverse ? 0 : steps - k;                       // steps [tLo, tLo + k) get gradients
        int r0All = tLo * batch, nR = k * batch;
        var p = pass.Params.AsSpan();
        var gates = c.Gates.Slice(0, steps * batch * gh);       // activations; overwritten in place by dz
        bool dropped = Dropped(pass);
        var (h0, h1) = Split.Range(c.WhhNN.PanelCount, w, n);
        c.WhhNN.PackRowMajorPanels(WeightHH.Of(p), hid, h0, h1);
        var (i0, i1) = Split.Range(c.WihNN.PanelCount, w, n);
        c.WihNN.PackRowMajorPanels(WeightIH.Of(p), inp, i0, i1);
        Parallelism.Barrier(pool, w, n);

        // One phase per step. Phase 0 is the cell of the first step to run backward; phase s takes, for a block of units,
        // dh(t−1) = dz(t) · W_hh of step s − 1 and then the cell of step s, which reads only those units of dh. Split by
        // units, in claimed chunks (see StepChunks), a phase needs all of the last one's dz: one barrier per step. Split by
        // rows, a worker needs only its own rows: no barrier until the weight gradients.
        var chunks = new StepChunks(c.Claims, c.WhhNN.PanelCount, n);
        bool rows = c.SplitRows;
        var (r0, r1) = rows ? Split.Range(batch, w, n) : (0, batch);
        for (int s = 0; s < k; s++)
        {
            int t = Reverse ? s : steps - 1 - s, tDone = Reverse ? t - 1 : t + 1;   // tDone: the step of phase s − 1
            var dzDone = s > 0 ? gates.Slice(tDone * batch * gh, batch * gh) : default;
            if (rows) BackwardBlocks(pass, c, dzDone, t, r0, r1, 0, c.WhhNN.PanelCount);
            else
            {
                if (w == 0) chunks.Reset(s + 1);
                for (int v = 0; v < n; v++)
                    while (chunks.TryClaim(s, (w + v) % n, out int c0, out int c1)) BackwardBlocks(pass, c, dzDone, t, r0, r1, c0, c1);
                Parallelism.Barrier(pool, w, n);
            }
        }
        if (rows) Parallelism.Barrier(pool, w, n);

        // Weight gradients over the k steps: dW_ih += dzᵀ·X, dW_hh += dzᵀ·H_prev, db += Σ dz, dX = dz·W_ih.
        var dz = gates.Slice(r0All * gh, nR * gh);
        var dzT = pass.Shared.DzT(gh * nR);
        var (g0, g1) = Split.Range(gh, w, n);
        var grads = pass.Grads.AsSpan();
        var dbi = BiasIH.Of(grads);
        Gemm.Transpose<T>(dz, nR, gh, dzT, g0, g1, columnSums: dbi);
        var (x0, x1) = Split.Range(pass.Shared.XPack.PanelCount, w, n);
        pass.Shared.XPack.PackRowMajorPanels(pass.Input.Span.Slice(r0All * inp, nR * inp), inp, x0, x1);
        var (y0, y1) = Split.Range(pass.Shared.HPack.PanelCount, w, n);
        pass.Shared.HPack.PackRowMajorPanels((dropped ? c.HsDropped : c.Hs).Slice(PrevSlot(tLo) * batch * hid, nR * hid), hid, y0, y1);
        Parallelism.Barrier(pool, w, n);
        Gemm.Multiply<T>(dzT, nR, pass.Shared.XPack, WeightIH.Of(grads), inp, g0, g1, 0, pass.Shared.XPack.PanelCount, accumulate: true);
        Gemm.Multiply<T>(dzT, nR, pass.Shared.HPack, WeightHH.Of(grads), hid, g0, g1, 0, pass.Shared.HPack.PanelCount, accumulate: true);
        Elementwise.AddScaled<T>(T.One, dbi[g0..g1], BiasHH.Of(grads)[g0..g1]);   // both biases get Σ dz (db_hh starts at 0)
        if (!pass.InputGrad.IsEmpty)
        {
            var (q0, q1) = Split.Range(nR, w, n);
            Gemm.Multiply(dz, gh, c.WihNN, pass.InputGrad.Span.Slice(r0All * inp, nR * inp), inp, q0, q1, 0, c.WihNN.PanelCount, accumulate: false);
        }
        Parallelism.Barrier(pool, w, n); // the shared scratch is reused by the next layer
    }

    /// <summary>
    /// Unit panels [c0, c1) of W_hh for rows [r0, r1) of a backward phase: dh(t−1) += dz(t) · W_hh for the step that the
    /// last phase finished (<paramref name="dzDone"/>, empty in phase 0), then the cell backward of step t.
    /// </summary>
    private void BackwardBlocks(LayerPass<T> pass, RecurrentCache c, ReadOnlySpan<T> dzDone, int t, int r0, int r1, int c0, int c1)
    {
        int hid = Hidden, pw = c.WhhNN.PanelWidth, u0 = Math.Min(c0 * pw, hid), u1 = Math.Min(c1 * pw, hid);
        if (!dzDone.IsEmpty) AddRecurrentGradient(c, dzDone, pass.Batch, r0, r1, c0, c1, u0, u1, Dropped(pass));
        if (u0 < u1) CellBackward(c, pass, t, PrevSlot(t), Slot(t), u0, u1, r0, r1);
    }

    /// <summary>
    /// DH rows [r0, r1) × units [u0, u1) (panels [c0, c1) of W_hh) += dz · W_hh, masked by the recurrent dropout of this
    /// call if any.
    /// </summary>
    private void AddRecurrentGradient(RecurrentCache c, ReadOnlySpan<T> dz, int batch, int r0, int r1, int c0, int c1, int u0, int u1, bool dropped)
    {
        int hid = Hidden, gh = GateCount * hid;
        if (!dropped)
        {
            Gemm.Multiply(dz, gh, c.WhhNN, c.DH.AsSpan(0, batch * hid), hid, r0, r1, c0, c1, accumulate: true);
            return;
        }
        // dh(t−1) += mask ⊙ (dz · W_hh): the mask multiplied h(t−1) on its way into the product.
        Gemm.Multiply(dz, gh, c.WhhNN, c.DHTemp.AsSpan(0, batch * hid), hid, r0, r1, c0, c1, accumulate: false);
        MaskUnits(c.DHTemp, c.RecurrentMask, c.DHTemp, r0, r1, u0, u1);
        for (int b = r0; b < r1; b++)
            Elementwise.AddScaled<T>(T.One, c.DHTemp.AsSpan(b * hid + u0, u1 - u0), c.DH.AsSpan(b * hid + u0, u1 - u0));
    }

    private bool Dropped(LayerPass<T> pass) => pass.Training && RecurrentDropout > 0;

    /// <summary>Draws the mask [B, H] of this call (applied to the initial state by <see cref="LoadFirstStep"/>).</summary>
    private void DrawRecurrentDropout(LayerPass<T> pass, RecurrentCache c)
    {
        var rng = pass.DropoutRng ?? throw new InvalidOperationException("Recurrent dropout needs a random stream.");
        Training.Dropout.FillMask(c.RecurrentMask.AsSpan(0, pass.Batch * Hidden), RecurrentDropout, rng);
    }

    /// <summary>dst = src ⊙ mask on rows [r0, r1) × units [u0, u1) of [B, H] buffers.</summary>
    private void MaskUnits(ReadOnlySpan<T> src, ReadOnlySpan<T> mask, Span<T> dst, int r0, int r1, int u0, int u1)
    {
        for (int b = r0; b < r1; b++)
            for (int u = b * Hidden + u0, end = b * Hidden + u1; u < end; u++) dst[u] = src[u] * mask[u];
    }

    /// <summary>Rows [r0, r1) of the pass's initial state (zeros without one) into state slot <paramref name="slot"/>.</summary>
    private void LoadInitialState(LayerPass<T> pass, RecurrentCache c, int slot, int r0, int r1)
    {
        int h = Hidden, bh = pass.Batch * h;
        var hs = c.Hs.Slice(slot * bh, bh);
        var cs = HasCell ? c.Cs.Slice(slot * bh, bh) : default;
        if (pass.State.IsEmpty)
        {
            hs[(r0 * h)..(r1 * h)].Clear();
            if (HasCell) cs[(r0 * h)..(r1 * h)].Clear();
            return;
        }
        var state = pass.State.Values.Span;
        int co = pass.State.CellOffset;
        for (int b = r0; b < r1; b++)
        {
            int s = pass.State.Start(b);
            state.Slice(s, h).CopyTo(hs.Slice(b * h, h));
            if (HasCell) state.Slice(s + co, h).CopyTo(cs.Slice(b * h, h));
        }
    }

    /// <summary>Rows [r0, r1) of the final state, in state slot <paramref name="slot"/>, into the pass's state.</summary>
    private void StoreFinalState(LayerPass<T> pass, RecurrentCache c, int slot, int r0, int r1)
    {
        if (pass.State.IsEmpty) return;
        int h = Hidden, bh = pass.Batch * h, co = pass.State.CellOffset;
        var state = pass.State.Values.Span;
        for (int b = r0; b < r1; b++)
        {
            int s = pass.State.Start(b);
            c.Hs.Slice(slot * bh + b * h, h).CopyTo(state.Slice(s, h));
            if (HasCell) c.Cs.Slice(slot * bh + b * h, h).CopyTo(state.Slice(s + co, h));
        }
    }

    /// <summary>
    /// The cell of step t for units [u0, u1): reads the pre-activations in the gate rows of <paramref name="gateStep"/>,
    /// writes state and output.
    /// </summary>
    private protected abstract void CellForward(RecurrentCache c, LayerPass<T> pass, int t, int gateStep, int prevSlot, int slot, int u0, int u1, int r0, int r1);

    /// <summary>The cell backward of step t for units [u0, u1): turns the gate buffer into dz in place, updates DH and DC.</summary>
    private protected abstract void CellBackward(RecurrentCache c, LayerPass<T> pass, int t, int prevSlot, int slot, int u0, int u1, int r0, int r1);

    /// <summary>False when the cell backward sums over rows (peephole gradients), so rows cannot be split between workers.</summary>
    private protected virtual bool CellBackwardSplitsRows => true;

    /// <summary>Buffers of one recurrent layer for calls up to [maxSteps, maxBatch].</summary>
    private protected sealed class RecurrentCache : LayerCache
    {
        public RecurrentCache(RecurrentLayer<T> layer, int maxSteps, int maxBatch) : base(maxSteps, maxBatch)
        {
            int hid = layer.Hidden, gh = layer.GateCount * hid;
            _gates = new AlignedArray<T>(checked(maxSteps * maxBatch * gh));
            _hs = new AlignedArray<T>(checked((maxSteps + 1) * maxBatch * hid));
            _cs = new AlignedArray<T>(layer.HasCell ? _hs.Length : 0);
            DH = new T[maxBatch * hid];
            DC = layer.HasCell ? new T[maxBatch * hid] : [];
            Bias = new T[gh];
            _stepInputs = new T[2 * maxBatch * (layer.InputSize + hid + 1)];
            bool dropout = layer.RecurrentDropout > 0;
            HsDropped = dropout ? new T[_hs.Length] : [];
            RecurrentMask = dropout ? new T[maxBatch * hid] : [];
            DHTemp = dropout ? new T[maxBatch * hid] : [];
            Forward = new LayerJob<T>(layer.ForwardWorker);
            Backward = new LayerJob<T>(layer.BackwardWorker);
        }

        // 64-byte aligned (see AlignedArray): the cells and the per-step products stream these with vector loads.
        private readonly AlignedArray<T> _gates, _hs, _cs;
        public Span<T> Gates => _gates.Span;   // [T, B, G·H] pre-activations → activations → dz
        public Span<T> Hs => _hs.Span;         // [T + 1, B, H] hidden states, initial state in its own slot
        public Span<T> Cs => _cs.Span;         // [T + 1, B, H] cell states (LSTM)
        public readonly T[] DH;      // [B, H]
        public readonly T[] DC;      // [B, H]
        public readonly T[] Bias;    // [G·H] bias_ih + bias_hh
        public readonly T[] HsDropped;     // [T + 1, B, H] h ⊙ recurrent dropout mask (training with recurrent dropout)
        public readonly T[] RecurrentMask; // [B, H]
        public readonly T[] DHTemp;        // [B, H]
        public readonly PackedMatrix<T> Wxh = new(), WihNN = new(), WhhNN = new();
        public bool PackThisCall;          // set before the workers start: this forward packs Wxh
        public bool HistoryKept;           // the last forward kept every step's gates and states (training)
        public bool SplitRows;             // set before the workers start: this call splits the batch rows, not the units
        public int[] Claims = [];          // StepChunks counters, grown by worker 0 before the first barrier
        private readonly T[] _stepInputs;  // [2, B, I + H + 1] the operands of two consecutive steps

        /// <summary>Step operand buffer <paramref name="which"/> (0 or 1) for batch B and row length k = I + H + 1.</summary>
        public Span<T> StepInput(int which, int batch, int k) => _stepInputs.AsSpan(which * MaxBatch * k, batch * k);
        public readonly LayerJob<T> Forward, Backward;
    }
}
