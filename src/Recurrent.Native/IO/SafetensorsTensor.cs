namespace Recurrent.Native.IO;

/// <summary>One tensor of a <see cref="SafetensorsFile"/>: its name, element type, shape and data.</summary>
public sealed class SafetensorsTensor
{
    private readonly int[] _shape;
    private readonly ReadOnlyMemory<byte> _data;

    internal SafetensorsTensor(SafetensorsEntry entry, ReadOnlyMemory<byte> data, long fileOffset)
    {
        Name = entry.Name;
        DType = entry.DType;
        _shape = entry.Shape;
        ElementCount = entry.Count;
        FileOffset = fileOffset;
        _data = data;
    }

    /// <summary>The tensor's name (its header key).</summary>
    public string Name { get; }
    /// <summary>The element type stored in the file.</summary>
    public SafetensorsDType DType { get; }
    /// <summary>The shape, row-major; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape => _shape;
    /// <summary>Number of elements (the product of <see cref="Shape"/>, 1 for a scalar).</summary>
    public int ElementCount { get; }
    /// <summary>Where the tensor's data start in the file (bytes from its beginning).</summary>
    public long FileOffset { get; }
    /// <summary>The shape as text, e.g. <c>[20, 3]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", _shape) + "]";

    /// <summary>True when the shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>The values converted to <typeparamref name="T"/> (e.g. F32 data read as double).</summary>
    public T[] ToArray<T>() where T : unmanaged, INumberBase<T>
    {
        var values = new T[ElementCount];
        CopyTo<T>(values);
        return values;
    }

    /// <summary>Converts the values to <typeparamref name="T"/> into <paramref name="destination"/>, which must hold exactly <see cref="ElementCount"/>.</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged, INumberBase<T>
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"Tensor '{Name}' {ShapeText} has {ElementCount} elements; the destination holds {destination.Length}.", nameof(destination));
        SafetensorsDTypes.Decode(DType, _data.Span, destination);
    }
}
