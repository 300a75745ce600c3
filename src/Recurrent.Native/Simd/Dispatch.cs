using System.Runtime.Intrinsics;
using Recurrent.Native.Kernels;

namespace Recurrent.Native.Simd;

/// <summary>A kernel body generic over the vector width: a ref struct that holds the call's arguments.</summary>
internal interface IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>;
}

/// <summary>A kernel body generic over two activations (e.g. gate and cell) and the vector width.</summary>
internal interface IActivationKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Run<TGate, TAct, TV, TOps>()
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
        where TV : struct where TOps : IVec<T, TV>;
}

/// <summary>
/// Turns run-time choices (vector width, activations) into one generic instantiation per combination, so that the
/// inner loops see only constants. Only the combinations that are used get compiled.
/// </summary>
/// <remarks>
/// The cell kernels mark their <c>Run</c> <c>NoInlining</c>. Inlined here, the four widths' bodies share one method's
/// inlining budget, and the JIT then left calls to the activations (tanh, the exponential's reduction) in the cell's
/// inner loop; compiled on its own, each width gets the whole cell inlined.
/// </remarks>
internal static class Dispatch
{
    public static void Width<T, TK>(ref TK kernel) where T : unmanaged, IFloatingPointIeee754<T>
        where TK : struct, IWidthKernel<T>, allows ref struct
    {
        switch (SimdWidth.Current)
        {
            case VectorWidth.W512: kernel.Run<Vector512<T>, V512<T>>(); break;
            case VectorWidth.W256: kernel.Run<Vector256<T>, V256<T>>(); break;
            case VectorWidth.W128: kernel.Run<Vector128<T>, V128<T>>(); break;
            default: kernel.Run<T, VScalar<T>>(); break;
        }
    }

    public static void Activations<T, TK>(ref TK kernel, Activation gate, Activation act)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IActivationKernel<T>, allows ref struct
    {
        switch (gate)
        {
            case Activation.Sigmoid: WithAct<T, TK, SigmoidOp<T>>(ref kernel, act); break;
            case Activation.HardSigmoid: WithAct<T, TK, HardSigmoidOp<T>>(ref kernel, act); break;
            case Activation.Tanh: WithAct<T, TK, TanhOp<T>>(ref kernel, act); break;
            case Activation.Softsign: WithAct<T, TK, SoftsignOp<T>>(ref kernel, act); break;
            case Activation.ReLU: WithAct<T, TK, ReluOp<T>>(ref kernel, act); break;
            case Activation.Identity: WithAct<T, TK, IdentityOp<T>>(ref kernel, act); break;
            default: throw new ArgumentOutOfRangeException(nameof(gate), gate, "Unknown activation.");
        }
    }

    private static void WithAct<T, TK, TGate>(ref TK kernel, Activation act)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IActivationKernel<T>, allows ref struct
        where TGate : struct, IActivationOp<T>
    {
        switch (act)
        {
            case Activation.Sigmoid: WithWidth<T, TK, TGate, SigmoidOp<T>>(ref kernel); break;
            case Activation.HardSigmoid: WithWidth<T, TK, TGate, HardSigmoidOp<T>>(ref kernel); break;
            case Activation.Tanh: WithWidth<T, TK, TGate, TanhOp<T>>(ref kernel); break;
            case Activation.Softsign: WithWidth<T, TK, TGate, SoftsignOp<T>>(ref kernel); break;
            case Activation.ReLU: WithWidth<T, TK, TGate, ReluOp<T>>(ref kernel); break;
            case Activation.Identity: WithWidth<T, TK, TGate, IdentityOp<T>>(ref kernel); break;
            default: throw new ArgumentOutOfRangeException(nameof(act), act, "Unknown activation.");
        }
    }

    private static void WithWidth<T, TK, TGate, TAct>(ref TK kernel)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IActivationKernel<T>, allows ref struct
        where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
    {
        switch (SimdWidth.Current)
        {
            case VectorWidth.W512: kernel.Run<TGate, TAct, Vector512<T>, V512<T>>(); break;
            case VectorWidth.W256: kernel.Run<TGate, TAct, Vector256<T>, V256<T>>(); break;
            case VectorWidth.W128: kernel.Run<TGate, TAct, Vector128<T>, V128<T>>(); break;
            default: kernel.Run<TGate, TAct, T, VScalar<T>>(); break;
        }
    }
}
