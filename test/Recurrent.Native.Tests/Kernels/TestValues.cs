using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>Inputs for the elementwise kernel tests: lengths, slice offsets and values with the special cases mixed in.</summary>
internal static class TestValues
{
    /// <summary>Every length from 0 to three 512-bit vectors + 1, which covers 3W + 1 for every narrower width too.</summary>
    public static IEnumerable<int> Lengths<T>() where T : unmanaged => Enumerable.Range(0, 3 * System.Runtime.Intrinsics.Vector512<T>.Count + 2);

    /// <summary>Slice offsets 0..W-1 at the current width (0 and 1 in scalar mode), so the vectors start unaligned.</summary>
    public static IEnumerable<int> Offsets<T>() where T : unmanaged => Enumerable.Range(0, Math.Max(2, SimdWidth.Lanes<T>()));

    /// <summary>
    /// Zero, signed zero, tiny, the values where tanh and the sigmoid saturate, where exp overflows in float (±88.7,
    /// ±89) and double (±709, ±710), and the largest finite values.
    /// </summary>
    public static T[] Special<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] magnitudes = [0, 1e-30, 1e-6, 0.5, 2.5, 9, 10, 20, 40, 88.7, 89, 709, 710, 1e30, typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue];
        return magnitudes.SelectMany(m => new[] { T.CreateTruncating(m), -T.CreateTruncating(m) }).ToArray();
    }

    /// <summary>
    /// <paramref name="n"/> values uniform in [-<paramref name="scale"/>, <paramref name="scale"/>), every third one
    /// replaced by a special value (rotating with <paramref name="salt"/>, so each special lands in every lane).
    /// </summary>
    public static T[] Mixed<T>(Rng rng, int n, double scale, int salt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var special = Special<T>();
        var x = new T[n];
        for (int i = 0; i < n; i++)
            x[i] = i % 3 == 0 ? special[(i / 3 + salt) % special.Length] : T.CreateTruncating(rng.Uniform(-scale, scale));
        return x;
    }

    /// <summary>A value no kernel writes: guards before and after a slice must keep it.</summary>
    public static T Sentinel<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(-777.25);
}
