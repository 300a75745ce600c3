using System.Runtime.InteropServices;
using Recurrent.Native.Simd;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>Runs a kernel test at every vector width and compares its results with a scalar twin's.</summary>
internal static class KernelAssert
{
    /// <summary>Runs <paramref name="body"/> once per width in <see cref="SimdWidth.Supported"/>, then restores <see cref="SimdWidth.Best"/>.</summary>
    public static void AtEveryWidth(Action body)
    {
        foreach (var width in SimdWidth.Supported)
        {
            SimdWidth.Current = width;
            try { body(); }
            finally { SimdWidth.Current = SimdWidth.Best; }
        }
    }

    /// <summary>The unit roundoff u of <typeparamref name="T"/>: 2^-24 for float, 2^-53 for double.</summary>
    public static double Unit<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.ScaleB(1.0, -(typeof(T) == typeof(float) ? 24 : 53));

    /// <summary>The smallest normal <typeparamref name="T"/>: results below it lose relative precision.</summary>
    public static double MinNormal<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.ScaleB(1.0, typeof(T) == typeof(float) ? -126 : -1022);

    /// <summary>Fails unless |actual[i] − expected[i]| ≤ tolerance(i) for every i; NaN always fails.</summary>
    public static void Near<T>(T[] expected, T[] actual, Func<int, double> tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == actual[i]) continue;
            double diff = Math.Abs(double.CreateTruncating(actual[i]) - double.CreateTruncating(expected[i]));
            double tol = tolerance(i);
            if (!(diff <= tol))
            {
                double ulps = diff / (Unit<T>() * Math.Max(1, Math.Abs(double.CreateTruncating(expected[i]))));
                Assert.Fail($"{what} at {SimdWidth.Current}: [{i}] expected {expected[i]:R}, got {actual[i]:R}; |diff| {diff:E3} > {tol:E3} ({ulps:F1} u of max(1, |expected|)).");
            }
        }
    }

    /// <summary>Fails unless |actual − expected| ≤ <paramref name="ulps"/> · u · (1 + |expected|) everywhere.</summary>
    public static void Near<T>(T[] expected, T[] actual, double ulps, string what) where T : unmanaged, IFloatingPointIeee754<T> =>
        Near(expected, actual, i => ulps * Unit<T>() * (1 + Math.Abs(double.CreateTruncating(expected[i]))), what);

    /// <summary>Fails unless the two buffers hold the same bits.</summary>
    public static void Identical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : unmanaged
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        var e = MemoryMarshal.AsBytes(expected);
        var a = MemoryMarshal.AsBytes(actual);
        if (e.SequenceEqual(a)) return;
        int size = e.Length / Math.Max(1, expected.Length);
        int first = 0;
        while (e[first] == a[first]) first++;
        int i = first / size;
        Assert.Fail($"{what} at {SimdWidth.Current}: [{i}] expected {expected[i]}, got {actual[i]} (bits differ).");
    }
}
