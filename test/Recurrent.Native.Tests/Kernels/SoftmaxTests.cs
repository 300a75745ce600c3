using Recurrent.Native.Kernels;
using Recurrent.Native.Kernels.Reference;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="Softmax"/> rows against <see cref="SoftmaxReference"/> at every width, every row length 0..3W+1, rows
/// starting at every offset 0..W-1, out of place (with guards) and in place, special values mixed in.
/// </summary>
[TestClass]
public sealed class SoftmaxTests
{
    private const int Tail = 3;

    [TestMethod] public void Forward_MatchesReferenceAtEveryWidth_Float() => Forward<float>();
    [TestMethod] public void Forward_MatchesReferenceAtEveryWidth_Double() => Forward<double>();
    [TestMethod] public void LogProbability_MatchesReference_Float() => LogProbability<float>();
    [TestMethod] public void LogProbability_MatchesReference_Double() => LogProbability<double>();
    [TestMethod] public void Backward_MatchesReference_Float() => Backward<float>();
    [TestMethod] public void Backward_MatchesReference_Double() => Backward<double>();

    private static void Forward<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(11);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (int n in TestValues.Lengths<T>())
            foreach (int off in TestValues.Offsets<T>())
            {
                var z = Guarded(TestValues.Mixed<T>(rng, n, 5, salt: n + off), off);
                var expected = Guarded(new T[n], off);
                SoftmaxReference.Forward<T>(z.AsSpan(off, n), expected.AsSpan(off, n));
                double max = z.AsSpan(off, n).ToArray().Select(v => double.CreateTruncating(v)).DefaultIfEmpty().Max();
                var p = Guarded(new T[n], off);
                Softmax.Forward<T>(z.AsSpan(off, n), p.AsSpan(off, n));
                // The sum of n positive terms is off by ≤ (n − 1) u relative, exp by ~1 u, the normalisation by ~2 u;
                // z − max is rounded in T and exp turns that absolute error u |z − max| into a relative one.
                string what = $"softmax {typeof(T).Name} n={n} offset={off}";
                double u = KernelAssert.Unit<T>();
                KernelAssert.Near(expected, p, i =>
                {
                    double e = double.CreateTruncating(expected[i]);
                    if (i < off || i >= off + n || e == 0) return KernelAssert.MinNormal<T>();
                    return u * (n + 6 + Math.Abs(double.CreateTruncating(z[i]) - max)) * e + KernelAssert.MinNormal<T>();
                }, what);

                // z and p may be the same span: the same arithmetic, so the same bits.
                Softmax.Forward<T>(z.AsSpan(off, n), z.AsSpan(off, n));
                KernelAssert.Identical<T>(p, z, what + " in place");
            }
        });
    }

    private static void LogProbability<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(12);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (int n in TestValues.Lengths<T>().Where(n => n > 0))
            {
                var z = TestValues.Mixed<T>(rng, n, 5, salt: n);
                double max = z.Max(v => double.CreateTruncating(v));
                foreach (int index in new[] { 0, n / 2, n - 1 })
                {
                    // Rounded to T: z = −max T next to max T gives −∞ in float, as it should.
                    double expected = double.CreateTruncating(T.CreateTruncating(SoftmaxReference.LogProbability<T>(z, index)));
                    double actual = double.CreateTruncating(Softmax.LogProbability<T>(z, index));
                    if (actual == expected) continue;
                    // The sum of exp(z − max) ≥ 1 is off by ≲ 2n u relative (each term's rounded z − max adds at
                    // most u |d| e^d ≤ u / e), so its log by ≲ 2n u absolute; the two subtractions round once each.
                    double zi = double.CreateTruncating(z[index]);
                    double tol = KernelAssert.Unit<T>() * (2 * n + 4 + Math.Abs(zi - max) + Math.Abs(expected));
                    if (!(Math.Abs(actual - expected) <= tol))
                        Assert.Fail($"log softmax {typeof(T).Name} n={n} index={index}: expected {expected:R}, got {actual:R}.");
                }
            }
        });
    }

    private static void Backward<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(13);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (int n in TestValues.Lengths<T>())
            {
                var p = new T[n];
                SoftmaxReference.Forward<T>(TestValues.Mixed<T>(rng, n, 5, salt: n), p);
                var dp = TestSupport.Data.Uniform<T>(rng, n, -2, 2);
                var expected = new T[n];
                SoftmaxReference.Backward<T>(p, dp, expected);
                double dot = 0;
                for (int i = 0; i < n; i++) dot += Math.Abs(double.CreateTruncating(p[i]) * double.CreateTruncating(dp[i]));
                var dz = new T[n];
                Softmax.Backward<T>(p, dp, dz);
                // Σ p dp summed in T is off by ≤ n u Σ |p dp|; the subtraction and the product round once each.
                double u = KernelAssert.Unit<T>();
                Func<int, double> tol = i => (n + 4) * u * double.CreateTruncating(p[i]) * (Math.Abs(double.CreateTruncating(dp[i])) + dot);
                string what = $"softmax backward {typeof(T).Name} n={n}";
                KernelAssert.Near(expected, dz, tol, what);

                // dp and dz may be the same span.
                Softmax.Backward<T>(p, dp, dp);
                KernelAssert.Identical<T>(dz, dp, what + " in place");
            }
        });
    }

    /// <summary><paramref name="data"/> at <paramref name="offset"/>, with sentinels before it and <see cref="Tail"/> after.</summary>
    private static T[] Guarded<T>(T[] data, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[offset + data.Length + Tail];
        a.AsSpan().Fill(TestValues.Sentinel<T>());
        data.CopyTo(a, offset);
        return a;
    }
}
