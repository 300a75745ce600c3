using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>Random test data, masks and time-major [T, B, F] packing.</summary>
internal static class Data
{
    public static T[] Uniform<T>(Rng rng, int n, double lo = -1, double hi = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[n];
        for (int i = 0; i < n; i++) a[i] = T.CreateTruncating(rng.Uniform(lo, hi));
        return a;
    }

    public static int[] Classes(Rng rng, int n, int classes)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = rng.NextInt(classes);
        return a;
    }

    /// <summary>A [T, B] mask where sequence b is present on steps [start[b], end[b]).</summary>
    public static float[] Mask(int steps, int batch, int[] start, int[] end)
    {
        var m = new float[steps * batch];
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                m[t * batch + b] = t >= start[b] && t < end[b] ? 1f : 0f;
        return m;
    }

    /// <summary>A [T, B] mask from one string of '0'/'1' per sequence, written in time order (DL4J's <c>[11100]</c>).</summary>
    public static float[] MaskRows(params string[] rows)
    {
        int batch = rows.Length, steps = rows[0].Length;
        var m = new float[steps * batch];
        for (int b = 0; b < batch; b++)
        {
            if (rows[b].Length != steps) throw new ArgumentException("All mask rows need the same length.", nameof(rows));
            for (int t = 0; t < steps; t++) m[t * batch + b] = rows[b][t] == '1' ? 1f : 0f;
        }
        return m;
    }

    /// <summary>
    /// Packs per-sequence values <c>[len_b, width]</c> into a time-major <c>[T, B, width]</c> tensor, sequence b on steps
    /// [starts[b], starts[b] + len_b); every padded element i gets <paramref name="pad"/>(i).
    /// </summary>
    public static T[] Place<T>(int steps, int width, IReadOnlyList<T[]> sequences, int[] starts, Func<int, T> pad)
    {
        int batch = sequences.Count;
        var a = new T[steps * batch * width];
        for (int i = 0; i < a.Length; i++) a[i] = pad(i);
        for (int b = 0; b < batch; b++)
        {
            int len = sequences[b].Length / width;
            if (starts[b] < 0 || starts[b] + len > steps) throw new ArgumentOutOfRangeException(nameof(starts));
            for (int s = 0; s < len; s++)
                sequences[b].AsSpan(s * width, width).CopyTo(a.AsSpan(((starts[b] + s) * batch + b) * width, width));
        }
        return a;
    }

    /// <summary>The inverse of <see cref="Place"/> for one sequence: its steps [start, start + length) as <c>[length, width]</c>.</summary>
    public static T[] Extract<T>(ReadOnlySpan<T> tensor, int batch, int width, int b, int start, int length)
    {
        var a = new T[length * width];
        for (int s = 0; s < length; s++)
            tensor.Slice(((start + s) * batch + b) * width, width).CopyTo(a.AsSpan(s * width, width));
        return a;
    }

    /// <summary>Reverses a time-major <c>[T, B, width]</c> tensor in time.</summary>
    public static T[] ReverseTime<T>(ReadOnlySpan<T> tensor, int steps, int batch, int width)
    {
        var a = new T[steps * batch * width];
        int row = batch * width;
        for (int t = 0; t < steps; t++) tensor.Slice(t * row, row).CopyTo(a.AsSpan((steps - 1 - t) * row, row));
        return a;
    }
}
