namespace Recurrent.Benchmarks.Measurement;

/// <summary>Median and range of a set of samples.</summary>
/// <param name="Median">The median (mean of the two middle values for an even count).</param>
/// <param name="Min">The smallest sample.</param>
/// <param name="Max">The largest sample.</param>
/// <param name="Count">How many samples.</param>
internal sealed record Summary(double Median, double Min, double Max, int Count)
{
    /// <summary>Summarises <paramref name="values"/> (at least one).</summary>
    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No samples.", nameof(values));
        var v = values.Order().ToArray();
        int n = v.Length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Summary(median, v[0], v[^1], n);
    }

    /// <summary>Every value mapped through <paramref name="f"/>, which must be increasing or decreasing (e.g. time → rate).</summary>
    public Summary Map(Func<double, double> f)
    {
        double a = f(Min), b = f(Max);
        return new Summary(f(Median), Math.Min(a, b), Math.Max(a, b), Count);
    }

    /// <summary>"median [min–max]", each value through <paramref name="format"/>.</summary>
    public string Format(Func<double, string> format) => $"{format(Median)} [{format(Min)}–{format(Max)}]";

    /// <summary>Three significant digits without exponent for values ≥ 0.01: 1234, 123, 12.3, 1.23, 0.123.</summary>
    public static string ThreeDigits(double x) =>
        x >= 100 ? x.ToString("F0") : x >= 10 ? x.ToString("F1") : x >= 1 ? x.ToString("F2") : x.ToString("G3");
}
