using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>Elementwise kernels over spans: activations, their backward, and small vector helpers.</summary>
public static class Elementwise
{
    /// <summary>y = f(x). <paramref name="x"/> and <paramref name="y"/> may be the same span.</summary>
    public static void Activate<T>(Activation f, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = new ActivateKernel<T> { X = x, Y = y };
        Dispatch.Activations<T, ActivateKernel<T>>(ref k, f, Activation.Identity);
    }

    /// <summary>dy *= f'(x) computed from the output y = f(x).</summary>
    public static void BackpropActivation<T>(Activation f, ReadOnlySpan<T> y, Span<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = new BackpropKernel<T> { Y = y, DY = dy };
        Dispatch.Activations<T, BackpropKernel<T>>(ref k, f, Activation.Identity);
    }

    /// <summary>y += alpha * x.</summary>
    public static void AddScaled<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = new AxpyKernel<T> { Alpha = alpha, X = x, Y = y };
        Dispatch.Width<T, AxpyKernel<T>>(ref k);
    }

    private ref struct ActivateKernel<T> : IActivationKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> X;
        public Span<T> Y;
        public void Run<TGate, TAct, TV, TOps>() where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
            where TV : struct where TOps : IVec<T, TV>
        {
            var body = new Body<TGate>();
            VectorLoop.Run<T, TV, TOps, Body<TGate>>(X, Y, ref body);
        }
        private struct Body<TF> : IVectorBody<T> where TF : struct, IActivationOp<T>
        {
            public TV Apply<TV, TOps>(TV x, TV y) where TV : struct where TOps : IVec<T, TV> => TF.Forward<TV, TOps>(x);
        }
    }

    private ref struct BackpropKernel<T> : IActivationKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> Y;
        public Span<T> DY;
        public void Run<TGate, TAct, TV, TOps>() where TGate : struct, IActivationOp<T> where TAct : struct, IActivationOp<T>
            where TV : struct where TOps : IVec<T, TV>
        {
            var body = new Body<TGate>();
            VectorLoop.Run<T, TV, TOps, Body<TGate>>(Y, DY, ref body);
        }
        private struct Body<TF> : IVectorBody<T> where TF : struct, IActivationOp<T>
        {
            public TV Apply<TV, TOps>(TV y, TV dy) where TV : struct where TOps : IVec<T, TV> => TOps.Mul(dy, TF.Derivative<TV, TOps>(y));
        }
    }

    private ref struct AxpyKernel<T> : IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Alpha;
        public ReadOnlySpan<T> X;
        public Span<T> Y;
        public void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>
        {
            var body = new Body { Alpha = Alpha };
            VectorLoop.Run<T, TV, TOps, Body>(X, Y, ref body);
        }
        private struct Body : IVectorBody<T>
        {
            public T Alpha;
            public TV Apply<TV, TOps>(TV x, TV y) where TV : struct where TOps : IVec<T, TV> => TOps.MulAdd(TOps.Splat(Alpha), x, y);
        }
    }
}
