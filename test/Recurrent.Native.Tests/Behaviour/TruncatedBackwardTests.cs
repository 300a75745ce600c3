using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Tensors;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Behaviour;

/// <summary>
/// Truncated BPTT with a backward length k2 below the window length T (DL4J #22, derived from LSTMHelpers' endIdx):
/// recurrent layers backpropagate through the last k2 steps only, from the forward state before them held constant,
/// while the other layers use every step.
/// </summary>
[TestClass]
public sealed class TruncatedBackwardTests
{
    private const int T = 10, B = 2, I = 3, O = 2;

    // A dense identity layer first receives the recurrent layers' dL/dx unchanged, so it can be inspected.
    private static NetworkSpec Spec => new(I, [new DenseSpec(I), new LstmSpec(4), new LstmSpec(3) { Peepholes = true },
        new OutputSpec(O, LossKind.MeanSquaredError)]);

    private static bool IsOutput(ParameterTensor t) => t.Name.StartsWith("output", StringComparison.Ordinal);

    [TestMethod]
    [DataRow(4)]    // DL4J's derived case: T = 10, k2 = 4
    [DataRow(1)]
    [DataRow(9)]
    public void BackwardLengthBelowT_EqualsFullBpttOnTheLastStepsFromAConstantState(int K2)
    {
        var p = new Problem<double>(Spec, T, B);
        // A given dL/d(output), so that the window below sees exactly the same upstream gradients.
        var dy = Data.Uniform<double>(new Rng(4), T * B * O);
        var truncated = p.Run(dy, backwardSteps: K2);

        // (a) dL/dx of the recurrent stack is exactly 0 before step T - k2, and not after.
        var dx = p.Workspace.Passes[0].OutputGrad.Span;
        Expect.Zero<double>(dx[..((T - K2) * B * I)], "dL/dx before the window");
        Expect.NotAllZero<double>(dx[((T - K2) * B * I)..], "dL/dx inside the window");

        // (b) every gradient but the output layer's equals full BPTT on steps [T - k2, T) alone, started from the
        // state the forward reached at step T - k2 - 1. Exact: the same terms are summed in the same order (the
        // truncated sums only add exact zeros for the earlier steps).
        var prefix = new Problem<double>(Spec, T - K2, B) { Input = p.Input[..((T - K2) * B * I)], InitialState = p.Net.CreateState(B) };
        prefix.CopyParameters(p);
        prefix.Forward();
        var window = new Problem<double>(Spec, K2, B) { Input = p.Input[((T - K2) * B * I)..], InitialState = prefix.FinalState };
        window.CopyParameters(p);
        var last = window.Run(dy[((T - K2) * B * O)..]);
        Expect.Same<double>(truncated.Output.AsSpan((T - K2) * B * O), last.Output, "outputs of the window");
        foreach (var t in p.Net.Layout.Tensors.Where(t => !IsOutput(t)))
            Expect.Same<double>(last.Gradient(t), truncated.Gradient(t), t.Name);

        // (c) the output layer still uses all T steps: its gradients equal full BPTT's, not the window's.
        var full = p.Run(dy);
        foreach (var t in p.Net.Layout.Tensors.Where(IsOutput))
        {
            Expect.Same<double>(full.Gradient(t), truncated.Gradient(t), t.Name);
            Expect.Differ<double>(last.Gradient(t), truncated.Gradient(t), t.Name + " (window only)");
        }
        // And truncation did change the recurrent gradients.
        Expect.Differ<double>(full.Gradient(p.Tensor("weight_ih_l0")), truncated.Gradient(p.Tensor("weight_ih_l0")), "weight_ih_l0");
    }

    // DL4J #17 and #21: a backward length of T or more is plain BPTT.
    [TestMethod]
    [DataRow(T)]
    [DataRow(1000)]
    public void BackwardLengthOfAtLeastT_IsFullBptt(int backwardSteps)
    {
        var p = new Problem<double>(Spec, T, B);
        var full = p.Run();
        var truncated = p.Run(backwardSteps);
        Assert.AreEqual(full.Loss, truncated.Loss);
        Expect.Same<double>(full.Gradients, truncated.Gradients, "gradients");
    }

    [TestMethod]
    public void BackwardLengthBelowT_ThroughABidirectionalLayer_Throws()
    {
        var p = new Problem<double>(new NetworkSpec(I, [new BidirectionalSpec(new LstmSpec(3)), new OutputSpec(O, LossKind.MeanSquaredError)]), T, B);
        p.Loss();
        Assert.ThrowsExactly<InvalidOperationException>(() => p.Net.Backward(p.Workspace, T - 1));
    }
}
