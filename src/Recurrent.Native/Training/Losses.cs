using Recurrent.Native.Kernels;

namespace Recurrent.Native.Training;

/// <summary>
/// Masked losses over rows <c>[T·B]</c>. Every loss is the mean over present label steps (for regression, each step's
/// error is first averaged over its outputs), and each writes its gradient with that normalisation; masked rows get 0.
/// </summary>
public static class Losses
{
    /// <summary>
    /// Cross-entropy of softmax(logits) against class indices; writes dL/dlogits = (p − onehot) / count.
    /// </summary>
    /// <param name="logits">Logits <c>[N, C]</c>.</param>
    /// <param name="probabilities">softmax(logits) <c>[N, C]</c>.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">Class index per row <c>[N]</c> (ignored at masked rows).</param>
    /// <param name="mask">Label mask <c>[N]</c>, empty = all rows count.</param>
    /// <param name="gradient">dL/dlogits <c>[N, C]</c>.</param>
    /// <param name="count">Rows that counted.</param>
    public static T CrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> probabilities, int classes, ReadOnlySpan<int> targets,
        ReadOnlySpan<float> mask, Span<T> gradient, out int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = targets.Length;
        count = CountPresent(mask, n);
        T sum = T.Zero, inv = count > 0 ? T.One / T.CreateTruncating(count) : T.Zero;
        for (int r = 0; r < n; r++)
        {
            var g = gradient.Slice(r * classes, classes);
            if (!mask.IsEmpty && mask[r] == 0f) { g.Clear(); continue; }
            int label = targets[r];
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), label, $"Class index at row {r} must be in [0, {classes}).");
            var p = probabilities.Slice(r * classes, classes);
            // −ln p from the forward's probability; where float underflows, the exact log-softmax from the logits.
            sum -= p[label] > T.CreateTruncating(1e-30) ? T.Log(p[label]) : Softmax.LogProbability(logits.Slice(r * classes, classes), label);
            for (int j = 0; j < classes; j++) g[j] = p[j] * inv;
            g[label] -= inv;
        }
        return sum * inv;
    }

    /// <summary>Mean squared error: per row mean over outputs of (y − t)²; writes dL/dy = 2 (y − t) / (O · count).</summary>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int size, ReadOnlySpan<float> mask,
        Span<T> gradient, out int count) where T : unmanaged, IFloatingPointIeee754<T>
        => Regression(outputs, targets, size, mask, gradient, squared: true, out count);

    /// <summary>Mean absolute error: per row mean over outputs of |y − t|; writes dL/dy = sign(y − t) / (O · count).</summary>
    public static T MeanAbsoluteError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int size, ReadOnlySpan<float> mask,
        Span<T> gradient, out int count) where T : unmanaged, IFloatingPointIeee754<T>
        => Regression(outputs, targets, size, mask, gradient, squared: false, out count);

    private static T Regression<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, int size, ReadOnlySpan<float> mask, Span<T> gradient,
        bool squared, out int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = t.Length / size;
        count = CountPresent(mask, n);
        T sum = T.Zero;
        T inv = count > 0 ? T.One / T.CreateTruncating(count * size) : T.Zero;
        T two = T.CreateTruncating(2);
        for (int r = 0; r < n; r++)
        {
            var g = gradient.Slice(r * size, size);
            if (!mask.IsEmpty && mask[r] == 0f) { g.Clear(); continue; }
            for (int j = 0; j < size; j++)
            {
                T target = t[r * size + j];
                if (!T.IsFinite(target))
                    throw new ArgumentOutOfRangeException(nameof(t), target, $"Target at row {r}, output {j} is not finite.");
                T d = y[r * size + j] - target;
                sum += squared ? d * d : T.Abs(d);
                g[j] = squared ? two * d * inv : T.CreateTruncating(T.Sign(d)) * inv;
            }
        }
        return sum * inv;
    }

    private static int CountPresent(ReadOnlySpan<float> mask, int n)
    {
        if (mask.IsEmpty) return n;
        int c = 0;
        for (int r = 0; r < n; r++) if (mask[r] != 0f) c++;
        return c;
    }
}
