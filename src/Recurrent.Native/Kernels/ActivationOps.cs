using System.Runtime.CompilerServices;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Kernels;

/// <summary>
/// An activation as an operator struct: the scalar body, the vector body (any width, through <see cref="IVec{T,TV}"/>)
/// and the derivative expressed through the output y = f(x), which is all the backward passes keep.
/// </summary>
internal interface IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Forward(T x);
    static abstract T Derivative(T y);
    static abstract TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV>;
    static abstract TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV>;
}

internal readonly struct SigmoidOp<T> : IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T x) => T.One / (T.One + T.Exp(-x));
    public static T Derivative(T y) => y * (T.One - y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV>
    {
        var one = TOps.Splat(T.One);
        return TOps.Div(one, TOps.Add(one, TOps.Exp(TOps.Sub(TOps.Splat(T.Zero), x))));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV> => TOps.Mul(y, TOps.Sub(TOps.Splat(T.One), y));
}

internal readonly struct HardSigmoidOp<T> : IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static T Slope => T.CreateTruncating(0.2);
    static T Half => T.CreateTruncating(0.5);
    public static T Forward(T x) => T.Clamp(Slope * x + Half, T.Zero, T.One);
    public static T Derivative(T y) => y > T.Zero && y < T.One ? Slope : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV> =>
        TOps.Min(TOps.Max(TOps.MulAdd(TOps.Splat(Slope), x, TOps.Splat(Half)), TOps.Splat(T.Zero)), TOps.Splat(T.One));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV>
    {
        var zero = TOps.Splat(T.Zero);
        var inside = TOps.SelectGreater(y, zero, TOps.Splat(Slope), zero);
        return TOps.SelectGreater(TOps.Splat(T.One), y, inside, zero);
    }
}

internal readonly struct TanhOp<T> : IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T x) => T.Tanh(x);
    public static T Derivative(T y) => T.One - y * y;
    /// <summary>
    /// Float: tanh(|x|) = −m / (2 + m) with m = e^(−2|x|) − 1 from <see cref="FastExp.Expm1"/>, which keeps the relative
    /// accuracy near 0 by itself; the sign is restored. Double: sign(x) (1 − e) / (1 + e) with e = exp(−2|x|), and below
    /// |x| = 0.1, where 1 − e cancels, the odd Taylor series to x^13 (truncation error there under 2^-53).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV> =>
        // Two bodies rather than one: the JIT judges a callee by its whole IL before it drops the branch for the other
        // type, and the cell kernels call this twice per vector, so a small method here is one that gets inlined.
        typeof(T) == typeof(float) ? FloatTanh<TV, TOps>(x) : DoubleTanh<TV, TOps>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV DoubleTanh<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV>
    {
        var one = TOps.Splat(T.One);
        var ax = TOps.Abs(x);
        var e = TOps.Exp(TOps.Mul(TOps.Splat(T.CreateTruncating(-2.0)), ax));
        var r = TOps.Div(TOps.Sub(one, e), TOps.Add(one, e));
        var zero = TOps.Splat(T.Zero);
        var large = TOps.SelectGreater(zero, x, TOps.Sub(zero, r), r);
        var x2 = TOps.Mul(x, x);
        var t = TOps.MulAdd(TOps.Splat(T.CreateTruncating(21844.0 / 6081075)), x2, TOps.Splat(T.CreateTruncating(-1382.0 / 155925)));
        t = TOps.MulAdd(t, x2, TOps.Splat(T.CreateTruncating(62.0 / 2835)));
        t = TOps.MulAdd(t, x2, TOps.Splat(T.CreateTruncating(-17.0 / 315)));
        t = TOps.MulAdd(t, x2, TOps.Splat(T.CreateTruncating(2.0 / 15)));
        t = TOps.MulAdd(t, x2, TOps.Splat(T.CreateTruncating(-1.0 / 3)));
        var small = TOps.MulAdd(x, TOps.Mul(t, x2), x);
        return TOps.SelectGreater(TOps.Splat(T.CreateTruncating(0.1)), ax, small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV FloatTanh<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV>
    {
        var zero = TOps.Splat(T.Zero);
        var m = TOps.Expm1(TOps.Mul(TOps.Splat(T.CreateTruncating(-2.0)), TOps.Abs(x)));
        var t = TOps.Div(TOps.Sub(zero, m), TOps.Add(TOps.Splat(T.CreateTruncating(2.0)), m));
        return TOps.SelectGreater(zero, x, TOps.Sub(zero, t), t);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV> =>
        TOps.Sub(TOps.Splat(T.One), TOps.Mul(y, y));
}

internal readonly struct SoftsignOp<T> : IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T x) => x / (T.One + T.Abs(x));
    /// <summary>1 / (1 + |x|)^2 = (1 - |y|)^2.</summary>
    public static T Derivative(T y) { var a = T.One - T.Abs(y); return a * a; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV> =>
        TOps.Div(x, TOps.Add(TOps.Splat(T.One), TOps.Abs(x)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV>
    {
        var a = TOps.Sub(TOps.Splat(T.One), TOps.Abs(y));
        return TOps.Mul(a, a);
    }
}

internal readonly struct ReluOp<T> : IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T x) => x > T.Zero ? x : T.Zero;
    public static T Derivative(T y) => y > T.Zero ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV>
    {
        var zero = TOps.Splat(T.Zero);
        return TOps.SelectGreater(x, zero, x, zero);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV>
    {
        var zero = TOps.Splat(T.Zero);
        return TOps.SelectGreater(y, zero, TOps.Splat(T.One), zero);
    }
}

internal readonly struct IdentityOp<T> : IActivationOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T x) => x;
    public static T Derivative(T y) => T.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Forward<TV, TOps>(TV x) where TV : struct where TOps : IVec<T, TV> => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Derivative<TV, TOps>(TV y) where TV : struct where TOps : IVec<T, TV> => TOps.Splat(T.One);
}
