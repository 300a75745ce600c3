using System.Text.Json;

namespace Recurrent.Native.IO;

/// <summary>One tensor entry of a header: offsets are relative to the data section, [Begin, End).</summary>
internal sealed record SafetensorsEntry(string Name, SafetensorsDType DType, int[] Shape, int Count, long Begin, long End);

/// <summary>
/// Parses and validates a safetensors header: the JSON object of tensor entries and the optional <c>__metadata__</c>
/// string map, then the data offsets against the data section (every byte belongs to exactly one tensor).
/// </summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>Parses the header bytes (which start at byte 8 of the file) into entries, in header order, and metadata.</summary>
    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlyMemory<byte> header, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(header); }
        catch (JsonException e)
        {
            long? at = e.LineNumber == 0 && e.BytePositionInLine is { } p ? 8 + p : null;
            throw new SafetensorsException(source, $"The header is not valid JSON ({e.Message}).", byteOffset: at ?? 8, inner: e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsException(source, $"The header must be a JSON object, not {root.ValueKind}.", byteOffset: 8);
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafetensorsException(source, $"Header key '{property.Name}' appears more than once.", property.Name);
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, source);
                else entries.Add(ReadEntry(property.Name, property.Value, source));
            }
            return (entries, metadata);
        }
    }

    /// <summary>
    /// Checks that the entries tile the data section of <paramref name="dataLength"/> bytes exactly: no tensor runs past
    /// its end (a truncated file), none overlap, and no byte is left between or after them.
    /// </summary>
    public static void CheckCoverage(IReadOnlyList<SafetensorsEntry> entries, long dataStart, long dataLength, string source)
    {
        foreach (var e in entries)
            if (e.End > dataLength)
                throw new SafetensorsException(source,
                    $"Tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}) but the data section holds only {dataLength} bytes " +
                    $"(file bytes [{dataStart}, {dataStart + dataLength})): the file is truncated or the offsets are wrong.",
                    e.Name, dataStart + Math.Min(e.Begin, dataLength));
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long end = 0;
        string? previous = null;
        foreach (var e in sorted)
        {
            if (e.Begin < end)
                throw new SafetensorsException(source,
                    $"Tensor '{e.Name}' data_offsets [{e.Begin}, {e.End}) overlap those of tensor '{previous}', which end at {end}.",
                    e.Name, dataStart + e.Begin);
            if (e.Begin > end)
                throw new SafetensorsException(source,
                    $"Bytes [{end}, {e.Begin}) of the data section belong to no tensor (the next tensor is '{e.Name}').",
                    e.Name, dataStart + end);
            end = e.End;
            previous = e.Name;
        }
        if (end != dataLength)
            throw new SafetensorsException(source,
                $"The last {dataLength - end} bytes of the data section (offsets [{end}, {dataLength})) belong to no tensor.",
                previous, dataStart + end);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException(source, $"Header key '{MetadataKey}' must be an object of strings, not {value.ValueKind}.", MetadataKey);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsException(source, $"Metadata entry '{item.Name}' must be a string, not {item.Value.ValueKind}.", MetadataKey);
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new SafetensorsException(source, $"Metadata entry '{item.Name}' appears more than once.", MetadataKey);
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, string source)
    {
        SafetensorsException Bad(string detail) => new(source, $"Header key '{name}': {detail}", name);
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad($"a tensor entry must be an object with dtype, shape and data_offsets, not {value.ValueKind}.");
        JsonElement? dtypeField = null, shapeField = null, offsetsField = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeField is null: dtypeField = field.Value; break;
                case "shape" when shapeField is null: shapeField = field.Value; break;
                case "data_offsets" when offsetsField is null: offsetsField = field.Value; break;
                case "dtype" or "shape" or "data_offsets": throw Bad($"field '{field.Name}' appears more than once.");
                default: throw Bad($"unexpected field '{field.Name}' (a tensor entry has dtype, shape and data_offsets).");
            }
        }
        var dtypeText = dtypeField is { ValueKind: JsonValueKind.String } d ? d.GetString()! : throw Bad("'dtype' is missing or not a string.");
        if (!SafetensorsDTypes.TryParse(dtypeText, out var dtype))
            throw Bad($"dtype '{dtypeText}' is not supported (supported: F32, F64).");
        var shape = ReadIntegers(shapeField, "shape", Bad);
        var offsets = ReadIntegers(offsetsField, "data_offsets", Bad);
        if (offsets.Length != 2) throw Bad($"'data_offsets' must hold 2 numbers [begin, end), not {offsets.Length}.");
        if (offsets[0] > offsets[1]) throw Bad($"'data_offsets' [{offsets[0]}, {offsets[1]}) end before they begin.");
        long count = 1;
        foreach (long dim in shape)
        {
            if (dim > int.MaxValue) throw Bad($"shape dimension {dim} is too large.");
            count *= dim;
            if (count > int.MaxValue) throw Bad($"shape [{string.Join(", ", shape)}] holds more than {int.MaxValue} elements.");
        }
        long bytes = count * dtype.Size(), actual = offsets[1] - offsets[0];
        if (actual != bytes)
            throw Bad($"data_offsets [{offsets[0]}, {offsets[1]}) span {actual} bytes but shape [{string.Join(", ", shape)}] " +
                $"of {dtypeText} needs {count} × {dtype.Size()} = {bytes}.");
        return new SafetensorsEntry(name, dtype, shape.Select(s => (int)s).ToArray(), (int)count, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement? field, string what, Func<string, SafetensorsException> bad)
    {
        if (field is not { ValueKind: JsonValueKind.Array } array) throw bad($"'{what}' is missing or not an array.");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw bad($"'{what}'[{i}] must be a non-negative integer, not {item.GetRawText()}.");
            values[i++] = v;
        }
        return values;
    }
}
