using System.Buffers.Binary;
using System.Security.Cryptography;
using Recurrent.Native.IO;

namespace Recurrent.Native.Inference;

/// <summary>
/// The byte form of one stream's state (<c>docs/state-format.md</c>), little-endian:
/// <code>
///  0   4  magic "RNNS"
///  4   2  format version (1)
///  6   1  element type: 1 = float32, 2 = float64
///  7   1  reserved, 0
///  8  32  model fingerprint (<see cref="ModelFingerprint"/>)
/// 40   4  L, number of recurrent layers
/// 44 12·L per layer: int32 layer index, int32 hidden units H, int32 vectors (1 = h, 2 = h then c)
///  …      per layer: h [H], then c [H] when it has a cell, as elements of the element type
/// end 32  SHA-256 of every byte before it
/// </code>
/// </summary>
internal static class StateFormat
{
    public const ushort Version = 1;
    private const int HeaderSize = 44, RecordSize = 12, ChecksumSize = 32;
    private static ReadOnlySpan<byte> Magic => "RNNS"u8;

    /// <summary>Bytes of a state with <paramref name="layout"/>.</summary>
    public static int Length<T>(StateLayout layout) =>
        checked(HeaderSize + RecordSize * layout.Entries.Length + layout.Size * SafetensorsDTypes.Default<T>().Size() + ChecksumSize);

    /// <summary>Encodes <paramref name="block"/> (one stream's state in <paramref name="layout"/>).</summary>
    public static byte[] Write<T>(StateLayout layout, ReadOnlySpan<byte> fingerprint, ReadOnlySpan<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dtype = SafetensorsDTypes.Default<T>();
        var bytes = new byte[Length<T>(layout)];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), Version);
        bytes[6] = ElementCode(dtype);
        fingerprint.CopyTo(bytes.AsSpan(8, ModelFingerprint.Size));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), layout.Entries.Length);
        int at = HeaderSize;
        foreach (var e in layout.Entries)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), e.Layer);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 4), e.Hidden);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 8), e.HasCell ? 2 : 1);
            at += RecordSize;
        }
        SafetensorsDTypes.Encode(dtype, block, bytes.AsSpan(at, block.Length * dtype.Size()));
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumSize), bytes.AsSpan(bytes.Length - ChecksumSize));
        return bytes;
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> into <paramref name="block"/> after checking, in this order: length, magic,
    /// version, length again (from the layer table), checksum, element type, model fingerprint, layer table, finite values.
    /// Nothing is written on failure.
    /// </summary>
    /// <exception cref="InvalidDataException">Naming the first problem found.</exception>
    public static void Read<T>(StateLayout layout, ReadOnlySpan<byte> fingerprint, ReadOnlySpan<byte> bytes, Span<T> block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dtype = SafetensorsDTypes.Default<T>();
        if (bytes.Length < HeaderSize + ChecksumSize)
            throw Invalid($"it holds {bytes.Length} bytes, fewer than the {HeaderSize + ChecksumSize} of an empty state (truncated?)");
        if (!bytes[..4].SequenceEqual(Magic)) throw Invalid("it does not start with the magic \"RNNS\" (not a stream state)");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != Version) throw Invalid($"it has format version {version}; this library reads version {Version}");
        long expected = ExpectedLength(bytes);
        if (bytes.Length != expected)
            throw Invalid(bytes.Length < expected
                ? $"it holds {bytes.Length} bytes but its header describes {expected} (truncated, or a corrupted header)"
                : $"it holds {bytes.Length} bytes but its header describes {expected} (trailing bytes, or a corrupted header)");
        Span<byte> checksum = stackalloc byte[ChecksumSize];
        SHA256.HashData(bytes[..^ChecksumSize], checksum);
        if (!checksum.SequenceEqual(bytes[^ChecksumSize..])) throw Invalid("its checksum does not match its contents (corrupted)");
        if (bytes[6] != ElementCode(dtype))
            throw Invalid($"it holds {ElementName(bytes[6])} values; this engine computes in {ElementName(ElementCode(dtype))}");
        if (!bytes.Slice(8, ModelFingerprint.Size).SequenceEqual(fingerprint))
            throw Invalid($"it comes from a different model (fingerprint {Convert.ToHexStringLower(bytes.Slice(8, 8))}…, this model's is " +
                $"{Convert.ToHexStringLower(fingerprint[..8])}…): a state only fits the architecture and weights it was computed with");
        CheckLayers(layout, bytes);
        var values = bytes.Slice(HeaderSize + RecordSize * layout.Entries.Length, layout.Size * dtype.Size());
        var decoded = new T[layout.Size];
        SafetensorsDTypes.Decode(dtype, values, decoded);
        for (int i = 0; i < decoded.Length; i++)
            if (!T.IsFinite(decoded[i])) throw Invalid($"value {i} is not finite");
        decoded.CopyTo(block);
    }

    /// <summary>The total length the layer table implies (long: a corrupted table may describe absurd sizes).</summary>
    private static long ExpectedLength(ReadOnlySpan<byte> bytes)
    {
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[40..]);
        if (count < 0 || (long)HeaderSize + (long)RecordSize * count + ChecksumSize > bytes.Length)
            throw Invalid($"its layer count {count} does not fit in {bytes.Length} bytes (truncated or corrupted)");
        int size = bytes[6] == 2 ? 8 : 4;
        long length = HeaderSize + (long)RecordSize * count + ChecksumSize;
        for (int i = 0; i < count; i++)
        {
            var record = bytes.Slice(HeaderSize + RecordSize * i, RecordSize);
            long hidden = BinaryPrimitives.ReadInt32LittleEndian(record[4..]), vectors = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
            if (hidden <= 0 || vectors is not (1 or 2)) throw Invalid($"layer record {i} is malformed (H = {hidden}, vectors = {vectors})");
            length += hidden * vectors * size;
        }
        return length;
    }

    /// <summary>The layer table must match the model's recurrent layers exactly.</summary>
    private static void CheckLayers(StateLayout layout, ReadOnlySpan<byte> bytes)
    {
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[40..]);
        if (count != layout.Entries.Length)
            throw Invalid($"it has {count} recurrent layer(s); the model has {layout.Entries.Length}");
        for (int i = 0; i < count; i++)
        {
            var record = bytes.Slice(HeaderSize + RecordSize * i, RecordSize);
            int layer = BinaryPrimitives.ReadInt32LittleEndian(record), hidden = BinaryPrimitives.ReadInt32LittleEndian(record[4..]);
            bool cell = BinaryPrimitives.ReadInt32LittleEndian(record[8..]) == 2;
            var e = layout.Entries[i];
            if (layer != e.Layer || hidden != e.Hidden || cell != e.HasCell)
                throw Invalid($"its recurrent layer {i} is layer {layer} with H = {hidden}{(cell ? " and a cell" : "")}; " +
                    $"the model's is layer {e.Layer} with H = {e.Hidden}{(e.HasCell ? " and a cell" : "")}");
        }
    }

    private static byte ElementCode(SafetensorsDType dtype) => dtype == SafetensorsDType.F64 ? (byte)2 : (byte)1;

    private static string ElementName(byte code) => code switch { 1 => "float32", 2 => "float64", _ => $"unknown (code {code})" };

    private static InvalidDataException Invalid(string why) => new($"Cannot import the stream state: {why}.");
}
