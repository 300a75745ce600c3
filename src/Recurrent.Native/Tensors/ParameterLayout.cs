namespace Recurrent.Native.Tensors;

/// <summary>One named tensor inside the flat parameter buffer.</summary>
/// <param name="Name">Its name (PyTorch's for recurrent layers, e.g. <c>weight_ih_l0</c>).</param>
/// <param name="Shape">Its shape, row-major.</param>
/// <param name="Offset">Where it starts in the flat buffer.</param>
public sealed record ParameterTensor(string Name, int[] Shape, int Offset)
{
    /// <summary>Number of elements.</summary>
    public int Length => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The shape as text, e.g. <c>[1024, 64]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// The layout of one flat parameter buffer: every tensor is declared once, in order, and gets a named view.
/// Gradients and optimizer state use the same layout.
/// </summary>
public sealed class ParameterLayout
{
    private readonly List<ParameterTensor> _tensors = [];
    private readonly Dictionary<string, ParameterTensor> _byName = new(StringComparer.Ordinal);

    /// <summary>All tensors in declaration order.</summary>
    public IReadOnlyList<ParameterTensor> Tensors => _tensors;

    /// <summary>Total number of elements.</summary>
    public int TotalLength { get; private set; }

    /// <summary>Declares a tensor and returns its view.</summary>
    public ParameterTensor Add(string name, params int[] shape)
    {
        if (_byName.ContainsKey(name)) throw new ArgumentException($"Parameter '{name}' is declared twice.", nameof(name));
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new ArgumentOutOfRangeException(nameof(shape), $"Parameter '{name}' needs positive dimensions, got [{string.Join(", ", shape)}].");
        var t = new ParameterTensor(name, (int[])shape.Clone(), TotalLength);
        _tensors.Add(t);
        _byName.Add(name, t);
        TotalLength = checked(TotalLength + t.Length);
        return t;
    }

    /// <summary>Finds a tensor by name.</summary>
    public bool TryGet(string name, out ParameterTensor tensor) => _byName.TryGetValue(name, out tensor!);
}

/// <summary>Views of a tensor inside a flat buffer.</summary>
public static class ParameterViews
{
    /// <summary>The tensor's elements inside <paramref name="buffer"/>.</summary>
    public static Span<T> Of<T>(this ParameterTensor tensor, Span<T> buffer) => buffer.Slice(tensor.Offset, tensor.Length);

    /// <summary>The tensor's elements inside <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<T> Of<T>(this ParameterTensor tensor, ReadOnlySpan<T> buffer) => buffer.Slice(tensor.Offset, tensor.Length);

    /// <summary>The tensor's elements inside <paramref name="buffer"/>.</summary>
    public static Memory<T> Of<T>(this ParameterTensor tensor, T[] buffer) => buffer.AsMemory(tensor.Offset, tensor.Length);
}
