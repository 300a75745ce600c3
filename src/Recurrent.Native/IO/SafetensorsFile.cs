using System.Buffers.Binary;

namespace Recurrent.Native.IO;

/// <summary>
/// A safetensors file read into memory and validated: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (tensor name → dtype, shape, data_offsets relative to the data section; optional <c>__metadata__</c> strings), then
/// the data section, which the tensors must cover exactly. Only F32 and F64 tensors are accepted. Every problem throws
/// a <see cref="SafetensorsException"/> naming the file, the tensor or header key, and the byte offset.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>The largest header accepted (as in the reference implementation), 100 MB.</summary>
    public const int MaxHeaderLength = 100_000_000;

    private const int Prefix = 8;
    private readonly Dictionary<string, SafetensorsTensor> _byName;

    private SafetensorsFile(string sourceName, List<SafetensorsTensor> tensors, Dictionary<string, string> metadata)
    {
        SourceName = sourceName;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file name, or the name given for a stream; used in error messages.</summary>
    public string SourceName { get; }
    /// <summary>The tensors, in header order.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }
    /// <summary>The <c>__metadata__</c> strings (empty when the header has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static SafetensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads and validates a safetensors file from <paramref name="stream"/> (from its position to its end).</summary>
    /// <param name="stream">The data; the file must end where the stream ends.</param>
    /// <param name="sourceName">A name for error messages (e.g. the file or zip entry name).</param>
    public static SafetensorsFile Read(Stream stream, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        Span<byte> prefix = stackalloc byte[Prefix];
        int got = stream.ReadAtLeast(prefix, Prefix, throwOnEndOfStream: false);
        if (got < Prefix)
            throw new SafetensorsException(sourceName, $"The file holds {got} bytes; a safetensors file starts with an 8-byte header length.", byteOffset: 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
            throw new SafetensorsException(sourceName, $"The header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes (corrupt length prefix?).", byteOffset: 0);
        var header = new byte[headerLength];
        got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw new SafetensorsException(sourceName, $"The header length {headerLength} runs past the end of the file, which has only {got} bytes after the length prefix.", byteOffset: 0);
        var (entries, metadata) = SafetensorsHeader.Parse(header, sourceName);
        long dataStart = Prefix + header.Length;
        var data = ReadToEnd(stream, sourceName, dataStart);
        SafetensorsHeader.CheckCoverage(entries, dataStart, data.Length, sourceName);
        var tensors = entries
            .Select(e => new SafetensorsTensor(e, data.AsMemory((int)e.Begin, (int)(e.End - e.Begin)), dataStart + e.Begin))
            .ToList();
        return new SafetensorsFile(sourceName, tensors, metadata);
    }

    /// <summary>True when the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Finds a tensor by name.</summary>
    public bool TryGet(string name, out SafetensorsTensor tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>The tensor named <paramref name="name"/>; throws a <see cref="SafetensorsException"/> naming it when missing.</summary>
    public SafetensorsTensor this[string name] => _byName.TryGetValue(name, out var t) ? t
        : throw new SafetensorsException(SourceName, $"The file has no tensor '{name}'.", name);

    private static byte[] ReadToEnd(Stream stream, string source, long dataStart)
    {
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > Array.MaxLength)
                throw new SafetensorsException(source, $"The data section of {remaining} bytes is larger than this reader supports ({Array.MaxLength}).", byteOffset: dataStart);
            var data = new byte[remaining];
            stream.ReadExactly(data);
            return data;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
