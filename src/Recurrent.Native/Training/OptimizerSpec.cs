namespace Recurrent.Native.Training;

/// <summary>An optimizer's configuration. The update rules follow PyTorch's <c>torch.optim</c> exactly.</summary>
public abstract record OptimizerSpec
{
    /// <summary>
    /// Weight decay λ ≥ 0. For SGD, RMSProp and Adam it is an L2 penalty (λθ is added to the gradient); for AdamW it is
    /// decoupled (θ ← θ − lr·λ·θ before the Adam step). Default 0.
    /// </summary>
    public double WeightDecay { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public virtual void Validate()
    {
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Must be finite and ≥ 0.");
    }

    internal abstract IOptimizer<T> Create<T>(int parameterCount) where T : unmanaged, IFloatingPointIeee754<T>;

    private protected static void CheckUnit(double value, string name, bool allowZero = true)
    {
        if (!(value >= 0 && value < 1) || (!allowZero && value == 0))
            throw new ArgumentOutOfRangeException(name, value, allowZero ? "Must be in [0, 1)." : "Must be in (0, 1).");
    }

    private protected static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, "Must be finite and > 0.");
    }
}

/// <summary>SGD with optional momentum μ (PyTorch: buf ← μ·buf + g; θ ← θ − lr·buf, or Nesterov θ ← θ − lr·(g + μ·buf)).</summary>
/// <param name="Momentum">μ in [0, 1). Default 0.9.</param>
/// <param name="Nesterov">Nesterov momentum. Default false.</param>
public sealed record SgdSpec(double Momentum = 0.9, bool Nesterov = false) : OptimizerSpec
{
    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        CheckUnit(Momentum, nameof(Momentum));
        if (Nesterov && Momentum == 0) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Nesterov needs a momentum > 0.");
    }
    internal override IOptimizer<T> Create<T>(int n) => new Sgd<T>(this, n);
}

/// <summary>Adam, or AdamW with <paramref name="Decoupled"/> (then <see cref="OptimizerSpec.WeightDecay"/> is decoupled).</summary>
/// <param name="Beta1">β₁ in [0, 1). Default 0.9.</param>
/// <param name="Beta2">β₂ in [0, 1). Default 0.999.</param>
/// <param name="Epsilon">ε &gt; 0. Default 1e-8.</param>
/// <param name="Decoupled">AdamW. Default false.</param>
public sealed record AdamSpec(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, bool Decoupled = false) : OptimizerSpec
{
    /// <summary>AdamW with weight decay λ (PyTorch's default λ is 0.01).</summary>
    public static AdamSpec AdamW(double weightDecay = 0.01) => new() { Decoupled = true, WeightDecay = weightDecay };

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        CheckUnit(Beta1, nameof(Beta1));
        CheckUnit(Beta2, nameof(Beta2));
        CheckPositive(Epsilon, nameof(Epsilon));
    }
    internal override IOptimizer<T> Create<T>(int n) => new Adam<T>(this, n);
}

/// <summary>RMSProp (PyTorch: v ← α·v + (1−α)·g²; θ ← θ − lr·g / (√v + ε), with optional momentum on that step).</summary>
/// <param name="Alpha">Smoothing α in [0, 1). Default 0.99 (PyTorch).</param>
/// <param name="Epsilon">ε &gt; 0. Default 1e-8.</param>
/// <param name="Momentum">μ in [0, 1). Default 0.</param>
public sealed record RmsPropSpec(double Alpha = 0.99, double Epsilon = 1e-8, double Momentum = 0) : OptimizerSpec
{
    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        CheckUnit(Alpha, nameof(Alpha));
        CheckPositive(Epsilon, nameof(Epsilon));
        CheckUnit(Momentum, nameof(Momentum));
    }
    internal override IOptimizer<T> Create<T>(int n) => new RmsProp<T>(this, n);
}
