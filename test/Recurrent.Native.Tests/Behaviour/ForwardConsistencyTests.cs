using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Tests.Behaviour;

/// <summary>
/// One forward, whatever surrounds it: training and inference agree, outputs depend only on past steps, a sequence's
/// predictions do not depend on the other sequences of its batch, and the thread count changes nothing. All in float,
/// the production type, and all exact: every output element is computed by the same chain of operations in each case
/// (the GEMM computes each element as one ordered multiply-add chain, whatever the tile, row or thread).
/// </summary>
[TestClass]
public sealed class ForwardConsistencyTests
{
    private static NetworkSpec Unidirectional => new(3, [new DenseSpec(4, Activation.Tanh), new LstmSpec(5) { Peepholes = true },
        new LstmSpec(4), new SimpleRnnSpec(3), new OutputSpec(3, LossKind.CrossEntropy)]);

    private static NetworkSpec Bidirectional => new(3, [new BidirectionalSpec(new LstmSpec(4), MergeMode.Concat),
        new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Sum), new OutputSpec(3, LossKind.CrossEntropy)]);

    // DL4J #5 (GravesLSTMTest.testGravesLSTMForwardPassHelper): the forward kept for backprop equals the inference one.
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TrainingForward_EqualsInferenceForward(bool bidirectional)
    {
        var p = new Problem<float>(bidirectional ? Bidirectional : Unidirectional, steps: 6, batch: 3)
        {
            Mask = Data.MaskRows("111100", "011111", "110111"),
        };
        var inference = p.Forward().ToArray();
        p.Training = true;
        var training = p.Run();
        for (int l = 0; l < training.LayerOutputs.Length; l++)
        {
            var again = p.Workspace.LayerOutput(l);   // after backward, the kept outputs are still the forward's
            Expect.Same<float>(training.LayerOutputs[l], again, $"layer {l} after backward");
        }
        Expect.Same<float>(inference, training.Output, "output");
        // A workspace sized for longer calls and larger batches, after a call of another shape, gives the same numbers.
        var wide = p.Net.CreateWorkspace(maxSteps: 9, maxBatch: 5);
        var rng = new Rng(8);
        p.Net.Forward(wide, Data.Uniform<float>(rng, 9 * 5 * 3), 9, 5);
        p.Net.Loss(wide, Data.Classes(rng, 9 * 5, 3));
        p.Net.Backward(wide);
        p.Training = false;
        float loss = p.Loss(wide);
        p.Net.Backward(wide);
        Assert.AreEqual(training.Loss, loss);
        Expect.Same<float>(inference, wide.Output, "output from a larger workspace");
        Expect.Same<float>(training.Gradients, wide.Gradients, "gradients from a larger workspace");
    }

    // A frozen workspace keeps no per-step history (one step of gates, two state slots): the same outputs and final state.
    [TestMethod]
    [DataRow(false, 1, false)]
    [DataRow(true, 1, false)]
    [DataRow(false, 2, false)]
    [DataRow(true, 2, false)]
    [DataRow(false, 2, true)]
    [DataRow(true, 2, true)]
    public void FrozenWorkspace_GivesTheOutputsAndFinalStateOfATrainingOne(bool bidirectional, int workers, bool splitRows)
    {
        var p = new Problem<float>(bidirectional ? Bidirectional : Unidirectional, steps: 7, batch: 3)
        {
            Mask = Data.MaskRows("1111000", "0111111", "1101111"),
        };
        p.RandomizeInitialState(seed: 5);
        var expected = p.Forward().ToArray();
        var expectedState = States(p);
        using var forced = new SplitEveryCall(splitRows ? TimeLoopSplit.Rows : TimeLoopSplit.Units);
        using var pool = new WorkerPool(workers);
        var frozen = p.Net.CreateWorkspace(7, 3, pool);
        frozen.FreezeWeights();
        for (int call = 0; call < 2; call++)   // the second call starts from the slots the first left behind
        {
            Expect.Same<float>(expected, p.Forward(frozen), $"output, call {call}");
            var state = States(p);
            for (int l = 0; l < state.Length; l++) Expect.Same<float>(expectedState[l], state[l], $"final state of layer {l}, call {call}");
        }

        static float[][] States(Problem<float> p)
        {
            var s = p.FinalState!;
            return [.. Enumerable.Range(0, s.LayerCount).Where(s.HasState)
                .Select(l => s.Hidden(l).ToArray().Concat(s.HasCell(l) ? s.Cell(l).ToArray() : []).ToArray())];
        }
    }

    // DL4J #6 (GravesLSTMTest.testSingleExample): a length-5 input whose first 4 steps equal a length-4 input.
    [TestMethod]
    public void Outputs_DependOnlyOnPastAndPresentSteps()
    {
        var five = new Problem<float>(Unidirectional, steps: 5, batch: 2);
        var four = new Problem<float>(Unidirectional, steps: 4, batch: 2) { Input = five.Input[..(4 * 2 * 3)] };
        five.Net.Parameters.CopyTo(four.Net.Parameters, 0);
        var y5 = five.Forward().ToArray();
        var y4 = four.Forward().ToArray();
        Expect.Same<float>(y4, y5.AsSpan(0, y4.Length), "outputs of steps 0..3");
        // And the last step's input does change the last step's output (the comparison could fail).
        for (int i = 4 * 2 * 3; i < five.Input.Length; i++) five.Input[i] += 0.5f;
        var changed = five.Forward().ToArray();
        Expect.Same<float>(y5.AsSpan(0, y4.Length), changed.AsSpan(0, y4.Length), "steps 0..3 after changing step 4");
        Expect.Differ<float>(y5.AsSpan(y4.Length), changed.AsSpan(y4.Length), "step 4 after changing step 4");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Predictions_DoNotDependOnOtherSequencesInTheBatch(bool bidirectional)
    {
        var spec = bidirectional ? Bidirectional : Unidirectional;
        const int T = 5, B = 4, I = 3, O = 3;
        var batch = new Problem<float>(spec, T, B) { Mask = Data.MaskRows("11111", "11100", "00111", "01110") };
        var y = batch.Forward().ToArray();
        for (int b = 0; b < B; b++)
        {
            var alone = new Problem<float>(spec, T, 1)
            {
                Input = Data.Extract<float>(batch.Input, B, I, b, 0, T),
                Mask = Data.Extract<float>(batch.Mask, B, 1, b, 0, T),
            };
            batch.Net.Parameters.CopyTo(alone.Net.Parameters, 0);
            Expect.Same<float>(Data.Extract<float>(y, B, O, b, 0, T), alone.Forward(), $"sequence {b} alone vs in the batch");
        }
        // Changing every other sequence leaves sequence 0 alone.
        for (int i = 0; i < batch.Input.Length; i++) if (i / I % B != 0) batch.Input[i] = -batch.Input[i];
        var changed = batch.Forward().ToArray();
        Expect.Same<float>(Data.Extract<float>(y, B, O, 0, 0, T), Data.Extract<float>(changed, B, O, 0, 0, T), "sequence 0");
        Expect.Differ<float>(Data.Extract<float>(y, B, O, 1, 0, T), Data.Extract<float>(changed, B, O, 1, 0, T), "sequence 1");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TwoWorkers_GiveTheSameOutputsLossAndGradientsAsOne(bool splitRows)
    {
        // Hidden sizes above one GEMM panel (16 floats at 256 bits), so that each worker owns units of every step when the
        // units are split; split by rows, the peephole LSTM's backward still splits units (its peephole gradients sum rows).
        var spec = new NetworkSpec(3, [new DenseSpec(8, Activation.Tanh), new LstmSpec(20) { Peepholes = true }, new LstmSpec(36),
            new BidirectionalSpec(new SimpleRnnSpec(18), MergeMode.Multiply), new OutputSpec(3, LossKind.CrossEntropy)]);
        var p = new Problem<float>(spec, steps: 5, batch: 3) { Mask = Data.MaskRows("11110", "01111", "11111") };
        var one = p.Run();
        using var pool = new WorkerPool(2);
        using var forced = new SplitEveryCall(splitRows ? TimeLoopSplit.Rows : TimeLoopSplit.Units);
        // Fresh workspaces: the first backward of each reserves the shared scratch while both workers wait to start.
        for (int run = 0; run < 20; run++)
        {
            var ws = p.Net.CreateWorkspace(5, 3, pool);
            float loss = p.Loss(ws);
            p.Net.Backward(ws);
            Assert.AreEqual(one.Loss, loss);
            Expect.Same<float>(one.Output, ws.Output, $"output, run {run}");
            Expect.Same<float>(one.Gradients, ws.Gradients, $"gradients, run {run}");
        }
    }
}
