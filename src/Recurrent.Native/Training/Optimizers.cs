namespace Recurrent.Native.Training;

/// <summary>An optimizer with its state (same layout as the flat parameter buffer).</summary>
internal interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates <paramref name="parameters"/> from <paramref name="gradients"/> with learning rate <paramref name="rate"/>.</summary>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double rate);

    /// <summary>Forgets all state (moments, step count).</summary>
    void Reset();
}

internal sealed class Sgd<T>(SgdSpec spec, int n) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _buffer = new T[spec.Momentum > 0 ? n : 0];
    private bool _started;

    public void Step(Span<T> p, ReadOnlySpan<T> grad, double rate)
    {
        T lr = T.CreateTruncating(rate), mu = T.CreateTruncating(spec.Momentum), wd = T.CreateTruncating(spec.WeightDecay);
        for (int i = 0; i < p.Length; i++)
        {
            T g = grad[i] + wd * p[i];
            if (_buffer.Length > 0)
            {
                T b = _started ? mu * _buffer[i] + g : g;
                _buffer[i] = b;
                g = spec.Nesterov ? g + mu * b : b;
            }
            p[i] -= lr * g;
        }
        _started = true;
    }

    public void Reset() { Array.Clear(_buffer); _started = false; }
}

internal sealed class Adam<T>(AdamSpec spec, int n) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m = new T[n], _v = new T[n];
    private int _t;

    public void Step(Span<T> p, ReadOnlySpan<T> grad, double rate)
    {
        _t++;
        double c1 = 1 - Math.Pow(spec.Beta1, _t), c2 = 1 - Math.Pow(spec.Beta2, _t);
        T b1 = T.CreateTruncating(spec.Beta1), b2 = T.CreateTruncating(spec.Beta2);
        T one = T.One, eps = T.CreateTruncating(spec.Epsilon);
        T step = T.CreateTruncating(rate / c1), sqrtC2 = T.CreateTruncating(Math.Sqrt(c2));
        T l2 = spec.Decoupled ? T.Zero : T.CreateTruncating(spec.WeightDecay);
        T shrink = T.CreateTruncating(1 - (spec.Decoupled ? rate * spec.WeightDecay : 0));
        for (int i = 0; i < p.Length; i++)
        {
            T g = grad[i] + l2 * p[i];
            T m = _m[i] = b1 * _m[i] + (one - b1) * g;
            T v = _v[i] = b2 * _v[i] + (one - b2) * g * g;
            p[i] = p[i] * shrink - step * m / (T.Sqrt(v) / sqrtC2 + eps);
        }
    }

    public void Reset() { Array.Clear(_m); Array.Clear(_v); _t = 0; }
}

internal sealed class RmsProp<T>(RmsPropSpec spec, int n) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _v = new T[n];
    private readonly T[] _buffer = new T[spec.Momentum > 0 ? n : 0];

    public void Step(Span<T> p, ReadOnlySpan<T> grad, double rate)
    {
        T lr = T.CreateTruncating(rate), a = T.CreateTruncating(spec.Alpha), eps = T.CreateTruncating(spec.Epsilon);
        T mu = T.CreateTruncating(spec.Momentum), wd = T.CreateTruncating(spec.WeightDecay);
        for (int i = 0; i < p.Length; i++)
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
