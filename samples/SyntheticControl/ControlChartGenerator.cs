namespace Samples.SyntheticControl;

/// <summary>
/// Control charts made by the recipe of the data set (Alcock and Manolopoulos 1999, as described with the UCI data):
/// n = 60 steps t = 1..n, m = 30, s = 2, and r drawn uniformly from [-3, 3] afresh at every step.
/// </summary>
public static class ControlChartGenerator
{
    /// <summary>Readings per chart (n).</summary>
    public const int Length = 60;

    /// <summary>The six classes, in the data set's order (UCR labels 1 to 6).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["Normal", "Cyclic", "Increasing trend", "Decreasing trend", "Upward shift", "Downward shift"];

    private const double M = 30, S = 2;

    /// <summary><paramref name="perClass"/> charts of every class, classes interleaved.</summary>
    public static ModelInput[] Generate(int perClass, int seed)
    {
        var rng = new Random(seed);
        var charts = new ModelInput[perClass * ClassNames.Count];
        for (int i = 0; i < charts.Length; i++)
        {
            int c = i % ClassNames.Count;
            charts[i] = new ModelInput { Features = Chart(c, rng), Label = ClassNames[c] };
        }
        return charts;
    }

    /// <summary>One chart of class <paramref name="c"/> (an index into <see cref="ClassNames"/>).</summary>
    public static float[] Chart(int c, Random rng)
    {
        double a = Uniform(rng, 10, 15), period = Uniform(rng, 10, 15);    // cyclic
        double g = Uniform(rng, 0.2, 0.5);                                 // trends
        double x = Uniform(rng, 7.5, 20);                                  // shifts
        int t3 = rng.Next(Length / 3, 2 * Length / 3 + 1);                 // the step at which a shift starts
        var y = new float[Length];
        for (int t = 1; t <= Length; t++)
        {
            double k = t >= t3 ? 1 : 0;
            double pattern = c switch
            {
                1 => a * Math.Sin(2 * Math.PI * t / period),
                2 => g * t,
                3 => -g * t,
                4 => k * x,
                5 => -k * x,
                _ => 0,
            };
            y[t - 1] = (float)(M + Uniform(rng, -3, 3) * S + pattern);
        }
        return y;
    }

    private static double Uniform(Random rng, double low, double high) => low + (high - low) * rng.NextDouble();
}
