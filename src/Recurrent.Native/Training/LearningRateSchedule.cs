namespace Recurrent.Native.Training;

/// <summary>How the learning rate decays after the warm-up.</summary>
public enum ScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,
    /// <summary>base · γ^⌊epoch / StepEpochs⌋.</summary>
    Step,
    /// <summary>Cosine from the base rate down to <see cref="LearningRateSchedule.MinimumRate"/> over the run.</summary>
    Cosine,
}

/// <summary>A learning-rate schedule: an optional linear warm-up over the first updates, then a decay.</summary>
public sealed record LearningRateSchedule
{
    /// <summary>The decay. Default constant.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;
    /// <summary>Updates of linear warm-up (rate · (u + 1) / W for update u &lt; W). Default 0.</summary>
    public int WarmupUpdates { get; init; }
    /// <summary>Epochs between decays of a step schedule. Default 10.</summary>
    public int StepEpochs { get; init; } = 10;
    /// <summary>Decay factor γ of a step schedule, in (0, 1]. Default 0.1.</summary>
    public double Gamma { get; init; } = 0.1;
    /// <summary>The floor of a cosine schedule, ≥ 0. Default 0.</summary>
    public double MinimumRate { get; init; }

    /// <summary>A constant rate.</summary>
    public static LearningRateSchedule Constant { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (WarmupUpdates < 0) throw new ArgumentOutOfRangeException(nameof(WarmupUpdates), WarmupUpdates, "Must be ≥ 0.");
        if (StepEpochs < 1) throw new ArgumentOutOfRangeException(nameof(StepEpochs), StepEpochs, "Must be ≥ 1.");
        if (!(Gamma > 0 && Gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "Must be in (0, 1].");
        if (!(MinimumRate >= 0) || double.IsInfinity(MinimumRate)) throw new ArgumentOutOfRangeException(nameof(MinimumRate), MinimumRate, "Must be finite and ≥ 0.");
    }

    /// <summary>The rate for update <paramref name="update"/> (0-based) in epoch <paramref name="epoch"/> (0-based) of a run of <paramref name="totalUpdates"/>.</summary>
    public double Rate(double baseRate, int update, int epoch, int totalUpdates)
    {
        double rate = Kind switch
        {
            ScheduleKind.Step => baseRate * Math.Pow(Gamma, epoch / StepEpochs),
            ScheduleKind.Cosine => Cosine(baseRate, update, totalUpdates),
            _ => baseRate,
        };
        if (update < WarmupUpdates) rate *= (update + 1.0) / WarmupUpdates;
        return rate;
    }

    private double Cosine(double baseRate, int update, int totalUpdates)
    {
        int span = Math.Max(1, totalUpdates - WarmupUpdates);
        double progress = Math.Clamp((update - WarmupUpdates) / (double)span, 0, 1);
        return MinimumRate + (baseRate - MinimumRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
