using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recurrent.Native.Simd;

/// <summary>
/// The vector operations the kernels use, for one element type <typeparamref name="T"/> and one vector type
/// <typeparamref name="TV"/>. Kernels are written once against this interface and instantiated per width
/// (<see cref="V512{T}"/>, <see cref="V256{T}"/>, <see cref="V128{T}"/>, <see cref="VScalar{T}"/>); the JIT
/// specialises and inlines every call because the implementations are structs.
/// </summary>
internal interface IVec<T, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }
    static abstract TV Load(ref readonly T source);
    static abstract void Store(TV value, ref T destination);
    static abstract TV Splat(T value);
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Div(TV a, TV b);
    /// <summary>
    /// The smaller of a value <paramref name="a"/> and a bound <paramref name="b"/>; NaN when <paramref name="a"/> is NaN.
    /// One instruction: the runtime's <c>Vector256.Min</c> adds IEEE 754:2019 fix-ups for −0 and NaN in either
    /// argument, several compares and blends around every clamp of the exponential, which the LSTM cell pays five times
    /// per unit. x86 MINPS/MAXPS return their second operand when either is NaN, so the value goes second.
    /// </summary>
    static abstract TV Min(TV a, TV b);
    /// <summary>The larger of a value <paramref name="a"/> and a bound <paramref name="b"/>; NaN when <paramref name="a"/> is NaN (see <see cref="Min"/>).</summary>
    static abstract TV Max(TV a, TV b);
    static abstract TV Abs(TV a);
    static abstract TV Sqrt(TV a);
    /// <summary>a * b + c, fused where the hardware has FMA.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);
    static abstract TV Exp(TV a);
    /// <summary>e^a − 1, accurate relative to the result near 0 (float vectors: <see cref="FastExp.Expm1"/>).</summary>
    static abstract TV Expm1(TV a);
    /// <summary>Largest integer ≤ a, elementwise.</summary>
    static abstract TV Floor(TV a);
    /// <summary>
    /// 2^n for integral n in the normal exponent range (built from the exponent bits; float only). n outside that range
    /// gives an unspecified value: the callers clamp first (the conversion has no saturation fix-ups).
    /// </summary>
    static abstract TV Pow2(TV n);
    /// <summary>Elementwise a &gt; b ? ifTrue : ifFalse.</summary>
    static abstract TV SelectGreater(TV a, TV b, TV ifTrue, TV ifFalse);
}

/// <summary>512-bit vectors.</summary>
internal readonly struct V512<T> : IVec<T, Vector512<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref readonly T s) => Vector512.LoadUnsafe(in s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> v, ref T d) => v.StoreUnsafe(ref d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T v) => Vector512.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sub(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Mul(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Div(Vector512<T> a, Vector512<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Min(Vector512<T> a, Vector512<T> b)
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported) return Avx512F.Min(b.AsSingle(), a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double) && Avx512F.IsSupported) return Avx512F.Min(b.AsDouble(), a.AsDouble()).As<double, T>();
        return Vector512.Min(a, b);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> a, Vector512<T> b)
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported) return Avx512F.Max(b.AsSingle(), a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double) && Avx512F.IsSupported) return Avx512F.Max(b.AsDouble(), a.AsDouble()).As<double, T>();
        return Vector512.Max(a, b);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Abs(Vector512<T> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MulAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> a)
    {
        if (typeof(T) == typeof(float)) return FastExp.Exp<Vector512<float>, V512<float>>(a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Exp(a.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Expm1(Vector512<T> a)
    {
        if (typeof(T) == typeof(float)) return FastExp.Expm1<Vector512<float>, V512<float>>(a.AsSingle()).As<float, T>();
        throw new NotSupportedException("Vector expm1 is implemented for float.");
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Floor(Vector512<T> a)
    {
        if (typeof(T) == typeof(float)) return Vector512.Floor(a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Floor(a.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Pow2(Vector512<T> n)
    {
        if (typeof(T) != typeof(float)) throw new NotSupportedException();
        return Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n.AsSingle()) + Vector512.Create(127), 23).As<int, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectGreater(Vector512<T> a, Vector512<T> b, Vector512<T> t, Vector512<T> f) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), t, f);
}

/// <summary>256-bit vectors.</summary>
internal readonly struct V256<T> : IVec<T, Vector256<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref readonly T s) => Vector256.LoadUnsafe(in s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> v, ref T d) => v.StoreUnsafe(ref d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T v) => Vector256.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sub(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Mul(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Div(Vector256<T> a, Vector256<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Min(Vector256<T> a, Vector256<T> b)
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported) return Avx.Min(b.AsSingle(), a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double) && Avx.IsSupported) return Avx.Min(b.AsDouble(), a.AsDouble()).As<double, T>();
        return Vector256.Min(a, b);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> a, Vector256<T> b)
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported) return Avx.Max(b.AsSingle(), a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double) && Avx.IsSupported) return Avx.Max(b.AsDouble(), a.AsDouble()).As<double, T>();
        return Vector256.Max(a, b);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Abs(Vector256<T> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> a)
    {
        if (typeof(T) == typeof(float)) return FastExp.Exp<Vector256<float>, V256<float>>(a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(a.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Expm1(Vector256<T> a)
    {
        if (typeof(T) == typeof(float)) return FastExp.Expm1<Vector256<float>, V256<float>>(a.AsSingle()).As<float, T>();
        throw new NotSupportedException("Vector expm1 is implemented for float.");
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Floor(Vector256<T> a)
    {
        if (typeof(T) == typeof(float)) return Vector256.Floor(a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Floor(a.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow2(Vector256<T> n)
    {
        if (typeof(T) != typeof(float)) throw new NotSupportedException();
        return Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n.AsSingle()) + Vector256.Create(127), 23).As<int, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectGreater(Vector256<T> a, Vector256<T> b, Vector256<T> t, Vector256<T> f) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), t, f);
}

/// <summary>128-bit vectors.</summary>
internal readonly struct V128<T> : IVec<T, Vector128<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(ref readonly T s) => Vector128.LoadUnsafe(in s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> v, ref T d) => v.StoreUnsafe(ref d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Splat(T v) => Vector128.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Sub(Vector128<T> a, Vector128<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Mul(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Div(Vector128<T> a, Vector128<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Min(Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(float) && Sse.IsSupported) return Sse.Min(b.AsSingle(), a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double) && Sse2.IsSupported) return Sse2.Min(b.AsDouble(), a.AsDouble()).As<double, T>();
        return Vector128.Min(a, b);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(float) && Sse.IsSupported) return Sse.Max(b.AsSingle(), a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double) && Sse2.IsSupported) return Sse2.Max(b.AsDouble(), a.AsDouble()).As<double, T>();
        return Vector128.Max(a, b);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Abs(Vector128<T> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Sqrt(Vector128<T> a) => Vector128.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> MulAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> a)
    {
        if (typeof(T) == typeof(float)) return FastExp.Exp<Vector128<float>, V128<float>>(a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.Exp(a.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Expm1(Vector128<T> a)
    {
        if (typeof(T) == typeof(float)) return FastExp.Expm1<Vector128<float>, V128<float>>(a.AsSingle()).As<float, T>();
        throw new NotSupportedException("Vector expm1 is implemented for float.");
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Floor(Vector128<T> a)
    {
        if (typeof(T) == typeof(float)) return Vector128.Floor(a.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.Floor(a.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Pow2(Vector128<T> n)
    {
        if (typeof(T) != typeof(float)) throw new NotSupportedException();
        return Vector128.ShiftLeft(Vector128.ConvertToInt32Native(n.AsSingle()) + Vector128.Create(127), 23).As<int, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectGreater(Vector128<T> a, Vector128<T> b, Vector128<T> t, Vector128<T> f) => Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), t, f);
}

/// <summary>One element as a "vector": the production path when no SIMD is available.</summary>
internal readonly struct VScalar<T> : IVec<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(ref readonly T s) => s;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T v, ref T d) => d = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Splat(T v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sub(T a, T b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Mul(T a, T b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Div(T a, T b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Min(T a, T b) => T.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Max(T a, T b) => T.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Abs(T a) => T.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sqrt(T a) => T.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MulAdd(T a, T b, T c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Exp(T a) => T.Exp(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Expm1(T a)
    {
        // The runtime's float ExpM1 is exp(a) − 1, which cancels near 0; the float polynomial keeps the lanes and the tail alike.
        if (typeof(T) == typeof(float)) return Unsafe.BitCast<float, T>(FastExp.Expm1<float, VScalar<float>>(Unsafe.BitCast<T, float>(a)));
        throw new NotSupportedException("Expm1 is used for float only.");
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Floor(T a) => T.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Pow2(T n) => T.ScaleB(T.One, int.CreateTruncating(n));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T SelectGreater(T a, T b, T t, T f) => a > b ? t : f;
}
