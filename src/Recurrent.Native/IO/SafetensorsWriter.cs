using System.Buffers.Binary;
using System.Text.Json;

namespace Recurrent.Native.IO;

/// <summary>
/// Collects named tensors and writes them as one safetensors file: the header lists them in the order they were added,
/// data offsets follow that order, and the header is padded with spaces to a multiple of 8 bytes so that the data
/// section starts aligned. Values are copied (and converted to the chosen element type) when added.
/// </summary>
public sealed class SafetensorsWriter
{
    private readonly List<(string Name, SafetensorsDType DType, int[] Shape, byte[] Data)> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The <c>__metadata__</c> strings written in the header (none by default).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Number of tensors added.</summary>
    public int Count => _tensors.Count;

    /// <summary>Adds a tensor; its values are converted to <paramref name="dtype"/>.</summary>
    /// <param name="name">A non-empty name not used before, other than <c>__metadata__</c>.</param>
    /// <param name="values">The values, row-major; their count must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">The shape (empty for a scalar), non-negative dimensions.</param>
    /// <param name="dtype">The element type stored in the file.</param>
    public void Add<T>(string name, ReadOnlySpan<T> values, ReadOnlySpan<int> shape, SafetensorsDType dtype) where T : unmanaged, INumberBase<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == SafetensorsHeader.MetadataKey) throw new ArgumentException($"'{name}' is reserved for the metadata.", nameof(name));
        if (!Enum.IsDefined(dtype)) throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown element type.");
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim < 0) throw new ArgumentOutOfRangeException(nameof(shape), $"Tensor '{name}' has a negative dimension in [{string.Join(", ", shape.ToArray())}].");
            count *= dim;
        }
        if (count != values.Length)
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", shape.ToArray())}] ({count} elements) but {values.Length} values.", nameof(values));
        if (!_names.Add(name)) throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));
        var data = new byte[checked(values.Length * dtype.Size())];
        SafetensorsDTypes.Encode(dtype, values, data);
        _tensors.Add((name, dtype, shape.ToArray(), data));
    }

    /// <summary>Writes the file to <paramref name="stream"/> at its current position.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = Header();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var t in _tensors) stream.Write(t.Data);
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> through a temporary file in the same folder that replaces the target
    /// only once it is complete, so a failed save leaves an existing file untouched.
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    private byte[] Header()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in Metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, data) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype.HeaderName());
                json.WriteStartArray("shape");
                foreach (int dim in shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
