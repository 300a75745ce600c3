namespace Recurrent.Native.Tests.TestSupport;

/// <summary>Element-wise comparisons of tensors that name the first offending index.</summary>
internal static class Expect
{
    /// <summary>Every element identical (bit for bit, up to the sign of zero).</summary>
    public static void Same<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : IFloatingPointIeee754<T>
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i])
                Assert.Fail($"{what}[{i}]: expected {expected[i]:G17}, got {actual[i]:G17}.");
    }

    /// <summary>|actual − expected| ≤ <paramref name="tolerance"/> · max(1, |expected|) everywhere.</summary>
    public static void Close<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance, string what) where T : IFloatingPointIeee754<T>
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), a = double.CreateTruncating(actual[i]);
            if (!(Math.Abs(a - e) <= tolerance * Math.Max(1, Math.Abs(e))))
                Assert.Fail($"{what}[{i}]: expected {e:G17}, got {a:G17} (tolerance {tolerance:G3}).");
        }
    }

    /// <summary>Every element exactly 0.</summary>
    public static void Zero<T>(ReadOnlySpan<T> actual, string what) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
            if (actual[i] != T.Zero) Assert.Fail($"{what}[{i}]: expected 0, got {actual[i]:G17}.");
    }

    /// <summary>At least one element is not 0.</summary>
    public static void NotAllZero<T>(ReadOnlySpan<T> actual, string what) where T : IFloatingPointIeee754<T>
    {
        foreach (T v in actual) if (v != T.Zero) return;
        Assert.Fail($"{what}: every element is 0.");
    }

    /// <summary>At least one element differs by more than <paramref name="minimum"/> (a comparison that could fail did).</summary>
    public static void Differ<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, string what, double minimum = 1e-6) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (Math.Abs(double.CreateTruncating(a[i] - b[i])) > minimum) return;
        Assert.Fail($"{what}: expected the two to differ, but they agree within {minimum:G3}.");
    }
}
