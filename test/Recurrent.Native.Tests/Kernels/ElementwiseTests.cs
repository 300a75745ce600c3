using Recurrent.Native.Kernels;
using Recurrent.Native.Kernels.Reference;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// <see cref="Elementwise"/> against <see cref="ActivationReference"/> at every width, every length 0..3W+1, slices
/// starting at every offset 0..W-1, with guard elements around every destination and the special values mixed in.
/// </summary>
[TestClass]
public sealed class ElementwiseTests
{
    private const int Tail = 3;

    [TestMethod] public void Activate_MatchesReferenceAtEveryWidth_Float() => Activate<float>();
    [TestMethod] public void Activate_MatchesReferenceAtEveryWidth_Double() => Activate<double>();
    [TestMethod] public void BackpropActivation_MatchesReferenceAtEveryWidth_Float() => BackpropActivation<float>();
    [TestMethod] public void BackpropActivation_MatchesReferenceAtEveryWidth_Double() => BackpropActivation<double>();
    [TestMethod] public void Activate_KeepsNaNAndLimitsOfInfinityAtEveryWidth_Float() => NonFinite<float>();
    [TestMethod] public void Activate_KeepsNaNAndLimitsOfInfinityAtEveryWidth_Double() => NonFinite<double>();
    [TestMethod] public void AddScaled_MatchesReferenceAtEveryWidth_Float() => AddScaled<float>();
    [TestMethod] public void AddScaled_MatchesReferenceAtEveryWidth_Double() => AddScaled<double>();
    [TestMethod] public void IndexOfNonFinite_FindsTheFirstAtEveryWidth_Float() => IndexOfNonFinite<float>();
    [TestMethod] public void IndexOfNonFinite_FindsTheFirstAtEveryWidth_Double() => IndexOfNonFinite<double>();

    /// <summary>
    /// Every length and offset: all finite (the largest finite values too, whose difference x − x is still 0) gives −1;
    /// NaN, +∞ or −∞ at each position, alone or with a second one after it, gives that position.
    /// </summary>
    private static void IndexOfNonFinite<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var rng = new Rng(3);
        T[] bad = [T.NaN, T.PositiveInfinity, T.NegativeInfinity];
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (int n in TestValues.Lengths<T>())
            foreach (int off in TestValues.Offsets<T>())
            {
                var x = new T[off + n + Tail];
                for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(rng.Uniform(-1e3, 1e3));
                if (n > 0) x[off + n - 1] = T.MaxValue;
                if (n > 1) x[off] = T.MinValue;
                x[^1] = T.NaN;   // after the slice: never seen
                if (off > 0) x[off - 1] = T.PositiveInfinity;
                Assert.AreEqual(-1, Elementwise.IndexOfNonFinite<T>(x.AsSpan(off, n)), $"all finite, n={n} offset={off}");
                for (int at = 0; at < n; at++)
                {
                    var y = (T[])x.Clone();
                    y[off + at] = bad[at % 3];
                    if (at + 1 < n) y[off + n - 1] = bad[(at + 1) % 3];
                    Assert.AreEqual(at, Elementwise.IndexOfNonFinite<T>(y.AsSpan(off, n)), $"{y[off + at]} at {at}, n={n} offset={off}");
                }
            }
        });
    }

    private static void Activate<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(1);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (var f in Enum.GetValues<Activation>())
            foreach (int n in TestValues.Lengths<T>())
            foreach (int off in TestValues.Offsets<T>())
            {
                var x = Guarded(TestValues.Mixed<T>(rng, n, 4, salt: n + off), off);
                var expected = Guarded(new T[n], off);
                for (int i = off; i < off + n; i++)
                    expected[i] = T.CreateTruncating(ActivationReference.Forward(f, double.CreateTruncating(x[i])));
                var y = Guarded(new T[n], off);
                Elementwise.Activate<T>(f, x.AsSpan(off, n), y.AsSpan(off, n));
                string what = $"{f} {typeof(T).Name} n={n} offset={off}";
                KernelAssert.Near(expected, y, i => ActivateTolerance<T>(f, double.CreateTruncating(expected[i])), what);

                // x and y may be the same span: the same arithmetic, so the same bits.
                Elementwise.Activate<T>(f, x.AsSpan(off, n), x.AsSpan(off, n));
                KernelAssert.Identical<T>(y, x, what + " in place");
            }
        });
    }

    /// <summary>
    /// NaN in, NaN out (a diverged model must not look healthy), and ±∞ give the reference's limits, in every lane: the
    /// vector min/max put the value in the operand that x86 returns for NaN (see <c>IVec.Min</c>).
    /// </summary>
    private static void NonFinite<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (var f in Enum.GetValues<Activation>())
            foreach (int n in TestValues.Lengths<T>())
            {
                var x = new T[n];
                for (int i = 0; i < n; i++) x[i] = ((i + n) % 3) switch { 0 => T.NaN, 1 => T.PositiveInfinity, _ => T.NegativeInfinity };
                var y = new T[n];
                Elementwise.Activate<T>(f, x, y);
                for (int i = 0; i < n; i++)
                {
                    double expected = ActivationReference.Forward(f, double.CreateTruncating(x[i])), actual = double.CreateTruncating(y[i]);
                    string what = $"{f}({x[i]}) {typeof(T).Name} n={n} [{i}] at {SimdWidth.Current}";
                    if (double.IsNaN(expected)) Assert.IsTrue(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}.");
                    else Assert.IsLessThanOrEqualTo(KernelAssert.MinNormal<T>(), Math.Abs(actual - expected), $"{what}: expected {expected:R}, got {actual:R}.");
                }
            }
        });
    }

    /// <summary>
    /// Error bounds of the vector bodies in ActivationOps.cs against the double reference rounded once to T.
    /// Sigmoid: exp (vector ≤ ~1 ulp, scalar ≤ 0.5 ulp), one add, one divide — relative (≈ 4.6 u seen).
    /// Tanh: (1 − e) / (1 + e) with e = exp(−2|x|) from |x| = 0.1, where 1 − e still amplifies exp's error ≈ 4.5×;
    /// the series below 0.1 is within ~1 u — relative (≈ 12.6 u seen in double just above 0.1).
    /// Softsign: one add, one divide — relative. HardSigmoid: 0.2x + 0.5 cancels near x = −2.5 and float's 0.2f is
    /// 0.2 within u/4, so absolute. ReLU and Identity are exact. Below the smallest normal relative precision is lost.
    /// </summary>
    private static double ActivateTolerance<T>(Activation f, double expected) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double u = KernelAssert.Unit<T>(), e = Math.Abs(expected);
        double bound = f switch
        {
            Activation.Sigmoid => 6 * u * e,
            Activation.Tanh => 16 * u * e,
            Activation.Softsign => 3 * u * e,
            Activation.HardSigmoid => 3 * u,
            _ => 0,
        };
        return bound + (f is Activation.ReLU or Activation.Identity ? 0 : KernelAssert.MinNormal<T>());
    }

    private static void BackpropActivation<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(2);
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (var f in Enum.GetValues<Activation>())
            foreach (int n in TestValues.Lengths<T>())
            foreach (int off in TestValues.Offsets<T>())
            {
                // y = f(x) as the forward leaves it, saturated values (exact 0, ±1) included.
                var y = Guarded(TestValues.Mixed<T>(rng, n, 4, salt: n + off), off);
                for (int i = off; i < off + n; i++) y[i] = T.CreateTruncating(ActivationReference.Forward(f, double.CreateTruncating(y[i])));
                var dy = Guarded(Uniform<T>(rng, n, 2), off);
                var expected = (T[])dy.Clone();
                var magnitude = new double[expected.Length];
                for (int i = off; i < off + n; i++)
                {
                    double d = ActivationReference.Derivative(f, double.CreateTruncating(y[i]));
                    magnitude[i] = Math.Abs(double.CreateTruncating(dy[i])) * (Math.Abs(d) + 1);
                    expected[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * d);
                }
                Elementwise.BackpropActivation<T>(f, y.AsSpan(off, n), dy.AsSpan(off, n));
                // f'(y) is formed in T from y: 1 − y² and y (1 − y) lose up to ~2u absolute, then one multiply by dy.
                KernelAssert.Near(expected, dy, i => 4 * KernelAssert.Unit<T>() * magnitude[i], $"{f}' {typeof(T).Name} n={n} offset={off}");
            }
        });
    }

    private static void AddScaled<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(3);
        double[] alphas = [0, 1, -0.5, 3.25];
        KernelAssert.AtEveryWidth(() =>
        {
            foreach (double alpha in alphas)
            foreach (int n in TestValues.Lengths<T>())
            foreach (int off in TestValues.Offsets<T>())
            {
                var x = Guarded(Uniform<T>(rng, n, 10), off);
                var y = Guarded(Uniform<T>(rng, n, 10), off);
                var expected = (T[])y.Clone();
                var magnitude = new double[y.Length];
                for (int i = off; i < off + n; i++)
                {
                    double ax = alpha * double.CreateTruncating(x[i]), yi = double.CreateTruncating(y[i]);
                    magnitude[i] = Math.Abs(ax) + Math.Abs(yi);
                    expected[i] = T.CreateTruncating(ax + yi);
                }
                Elementwise.AddScaled(T.CreateTruncating(alpha), x.AsSpan(off, n), y.AsSpan(off, n));
                // alpha · x + y: fused (one rounding) or not (two), against the reference rounded once.
                KernelAssert.Near(expected, y, i => 2 * KernelAssert.Unit<T>() * magnitude[i], $"AddScaled({alpha}) {typeof(T).Name} n={n} offset={off}");
            }
        });
    }

    private static T[] Uniform<T>(Rng rng, int n, double scale) where T : unmanaged, IFloatingPointIeee754<T> =>
        TestSupport.Data.Uniform<T>(rng, n, -scale, scale);

    /// <summary><paramref name="data"/> at <paramref name="offset"/>, with sentinels before it and <see cref="Tail"/> after.</summary>
    private static T[] Guarded<T>(T[] data, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[offset + data.Length + Tail];
        a.AsSpan().Fill(TestValues.Sentinel<T>());
        data.CopyTo(a, offset);
        return a;
    }
}
