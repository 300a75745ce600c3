using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>The index of the first value of <paramref name="x"/> that is NaN or infinite; −1 when all are finite.</summary>
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var k = new FiniteKernel<T> { X = x };
        Dispatch.Width<T, FiniteKernel<T>>(ref k);
        if (k.AllFinite) return -1;
        for (int i = 0; i < x.Length; i++)
            if (!T.IsFinite(x[i])) return i;
        return -1;
    }

    /// <summary>Whether every value is finite: x − x is 0 for a finite x and NaN otherwise, summed over whole vectors.</summary>
    private ref struct FiniteKernel<T> : IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> X;
        public bool AllFinite;

        public void Run<TV, TOps>() where TV : struct where TOps : IVec<T, TV>
        {
            int n = X.Length, w = TOps.Count, whole = n - n % w;
            ref T x = ref MemoryMarshal.GetReference(X);
            TV acc = TOps.Splat(T.Zero);
            for (int i = 0; i < whole; i += w)
            {
                TV v = TOps.Load(in Unsafe.Add(ref x, i));
                acc = TOps.Add(acc, TOps.Sub(v, v));
            }
            Span<T> lanes = stackalloc T[w];
            TOps.Store(acc, ref lanes[0]);
            T sum = T.Zero;
            foreach (T v in lanes) sum += v;
            for (int i = whole; i < n; i++) sum += X[i] - X[i];
            AllFinite = sum == T.Zero;
        }
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
