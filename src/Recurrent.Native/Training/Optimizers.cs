namespace Recurrent.Native.Training;

/// <summary>An optimizer with its state (same layout as the flat parameter buffer).</summary>
internal interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates <paramref name="parameters"/> from <paramref name="gradients"/> with learning rate <paramref name="rate"/>.</summary>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double rate) { BeginStep(); Step(parameters, gradients, rate, 0, parameters.Length); }

    /// <summary>Starts one update (once, before the ranges of <see cref="Step(Span{T}, ReadOnlySpan{T}, double, int, int)"/>).</summary>
    void BeginStep() { }

    /// <summary>Updates elements [<paramref name="start"/>, <paramref name="end"/>): every element depends only on its own state.</summary>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double rate, int start, int end);

    /// <summary>Forgets all state (moments, step count).</summary>
    void Reset();
}

internal sealed class Sgd<T>(SgdSpec spec, int n) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _buffer = new T[spec.Momentum > 0 ? n : 0];
    private bool _started, _startedBefore;

    public void BeginStep() { _startedBefore = _started; _started = true; }

    public void Step(Span<T> p, ReadOnlySpan<T> grad, double rate, int start, int end)
    {
        T lr = T.CreateTruncating(rate), mu = T.CreateTruncating(spec.Momentum), wd = T.CreateTruncating(spec.WeightDecay);
        bool momentumStarted = _startedBefore;
        for (int i = start; i < end; i++)
        {
            T g = grad[i] + wd * p[i];
            if (_buffer.Length > 0)
            {
                T b = momentumStarted ? mu * _buffer[i] + g : g;
                _buffer[i] = b;
                g = spec.Nesterov ? g + mu * b : b;
            }
            p[i] -= lr * g;
        }
    }

    public void Reset() { Array.Clear(_buffer); _started = _startedBefore = false; }
}

internal sealed class Adam<T>(AdamSpec spec, int n) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m = new T[n], _v = new T[n];
    private int _t;

    public void BeginStep() => _t++;

    public void Step(Span<T> p, ReadOnlySpan<T> grad, double rate, int start, int end)
    {
        double c1 = 1 - Math.Pow(spec.Beta1, _t), c2 = 1 - Math.Pow(spec.Beta2, _t);
        var k = new AdamKernel<T>
        {
            P = p[start..end], G = grad[start..end], M = _m.AsSpan(start, end - start), V = _v.AsSpan(start, end - start),
            B1 = T.CreateTruncating(spec.Beta1), B2 = T.CreateTruncating(spec.Beta2), Eps = T.CreateTruncating(spec.Epsilon),
            Step = T.CreateTruncating(rate / c1), SqrtC2 = T.CreateTruncating(Math.Sqrt(c2)),
            L2 = spec.Decoupled ? T.Zero : T.CreateTruncating(spec.WeightDecay),
            Shrink = T.CreateTruncating(1 - (spec.Decoupled ? rate * spec.WeightDecay : 0)),
        };
        Simd.Dispatch.Width<T, AdamKernel<T>>(ref k);
    }

    public void Reset() { Array.Clear(_m); Array.Clear(_v); _t = 0; }
}

/// <summary>
/// Adam's update over one range. Vector lanes and the scalar tail use the same unfused operations, so an element's
/// result does not depend on where a range starts (ranges split between workers).
/// </summary>
internal ref struct AdamKernel<T> : Simd.IWidthKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Span<T> P, M, V;
    public ReadOnlySpan<T> G;
    public T B1, B2, Eps, Step, SqrtC2, L2, Shrink;

    public void Run<TV, TOps>() where TV : struct where TOps : Simd.IVec<T, TV>
    {
        int i = 0, w = TOps.Count, n = P.Length;
        for (; i + w <= n; i += w) Update<TV, TOps>(i);
        for (; i < n; i++) Update<T, Simd.VScalar<T>>(i);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Update<TV, TOps>(int i) where TV : struct where TOps : Simd.IVec<T, TV>
    {
        TV p = TOps.Load(in P[i]);
        TV g = TOps.Add(TOps.Load(in G[i]), TOps.Mul(TOps.Splat(L2), p));
        TV m = TOps.Add(TOps.Mul(TOps.Splat(B1), TOps.Load(in M[i])), TOps.Mul(TOps.Splat(T.One - B1), g));
        TV v = TOps.Add(TOps.Mul(TOps.Splat(B2), TOps.Load(in V[i])), TOps.Mul(TOps.Mul(TOps.Splat(T.One - B2), g), g));
        TV denom = TOps.Add(TOps.Div(TOps.Sqrt(v), TOps.Splat(SqrtC2)), TOps.Splat(Eps));
        TOps.Store(m, ref M[i]);
        TOps.Store(v, ref V[i]);
        TOps.Store(TOps.Sub(TOps.Mul(p, TOps.Splat(Shrink)), TOps.Div(TOps.Mul(TOps.Splat(Step), m), denom)), ref P[i]);
    }
}

internal sealed class RmsProp<T>(RmsPropSpec spec, int n) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _v = new T[n];
    private readonly T[] _buffer = new T[spec.Momentum > 0 ? n : 0];

    public void Step(Span<T> p, ReadOnlySpan<T> grad, double rate, int start, int end)
    {
        T lr = T.CreateTruncating(rate), a = T.CreateTruncating(spec.Alpha), eps = T.CreateTruncating(spec.Epsilon);
        T mu = T.CreateTruncating(spec.Momentum), wd = T.CreateTruncating(spec.WeightDecay);
        for (int i = start; i < end; i++)
        {
            T g = grad[i] + wd * p[i];
            T v = _v[i] = a * _v[i] + (T.One - a) * g * g;
            T s = g / (T.Sqrt(v) + eps);
            if (_buffer.Length > 0) s = _buffer[i] = mu * _buffer[i] + s;
            p[i] -= lr * s;
        }
    }

    public void Reset() { Array.Clear(_v); Array.Clear(_buffer); }
}
