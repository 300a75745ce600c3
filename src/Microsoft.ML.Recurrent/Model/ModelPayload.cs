using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Recurrent.Native.IO;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Model;

/// <summary>
/// The bytes a model is saved as inside the ML.NET .zip (documented in docs/model-format.md):
/// <code>
/// *** Binary format, version 1 ***
/// 8 bytes   magic "MLRNNMDL"
/// uint32    format version (little-endian) = 1
/// uint32    length N of the configuration (little-endian)
/// N bytes   configuration, UTF-8 JSON (ModelConfig; the network spec in SpecJson's form)
/// rest      the weights as a safetensors file (F32, PyTorch names)
/// </code>
/// Readers accept every version up to <see cref="CurrentVersion"/>; a newer library must keep reading older versions.
/// </summary>
internal static class ModelPayload
{
    public const int CurrentVersion = 1;
    private static readonly byte[] Magic = "MLRNNMDL"u8.ToArray();

    /// <summary>The reader's options (the writer is <see cref="WriteConfig"/>).</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public static byte[] Write(ModelConfig config, RecurrentNetwork<float> network)
    {
        byte[] json = WriteConfig(config);
        using var weights = new MemoryStream();
        network.SaveSafetensors(weights, SafetensorsDType.F32);
        var bytes = new byte[Magic.Length + 8 + json.Length + weights.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), CurrentVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)json.Length);
        json.CopyTo(bytes, 16);
        weights.ToArray().CopyTo(bytes, 16 + json.Length);
        return bytes;
    }

    /// <summary>
    /// The configuration as the reflection serializer that <see cref="Read"/> uses would write it (same names, order and
    /// values: tested), by hand: on its first call in a process the reflection serializer builds its metadata, which made
    /// a large part of the time a first <c>Fit</c> spent outside the engine.
    /// </summary>
    internal static byte[] WriteConfig(ModelConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName(nameof(config.Network));
            SpecJson.Write(w, config.Network);
            w.WriteString(nameof(config.Task), config.Task.ToString());
            w.WriteString(nameof(config.Mode), config.Mode.ToString());
            w.WriteString(nameof(config.Encoding), config.Encoding.ToString());
            w.WriteNumber(nameof(config.FeatureSize), config.FeatureSize);
            w.WriteNumber(nameof(config.Outputs), config.Outputs);
            w.WriteNumber(nameof(config.OutputSteps), config.OutputSteps);
            w.WriteNumber(nameof(config.LongestSequence), config.LongestSequence);
            if (config.ClassNames is null) w.WriteNull(nameof(config.ClassNames));
            else
            {
                w.WriteStartArray(nameof(config.ClassNames));
                foreach (string name in config.ClassNames) w.WriteStringValue(name);
                w.WriteEndArray();
            }
            w.WriteString(nameof(config.FeatureColumnName), config.FeatureColumnName);
            w.WriteString(nameof(config.LabelColumnName), config.LabelColumnName);
            w.WriteString(nameof(config.ScoreColumnName), config.ScoreColumnName);
            w.WriteString(nameof(config.PredictedLabelColumnName), config.PredictedLabelColumnName);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static (ModelConfig Config, RecurrentNetwork<float> Network) Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16 || !bytes[..8].SequenceEqual(Magic))
            throw new InvalidDataException("Not a Microsoft.ML.Recurrent model payload (bad magic).");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (version is 0 or > CurrentVersion)
            throw new InvalidDataException($"Model payload version {version} is not supported by this library (it reads 1..{CurrentVersion}); update Microsoft.ML.Recurrent.");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
        if (length > bytes.Length - 16) throw new InvalidDataException("Model payload is truncated (configuration).");
        ModelConfig config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(bytes.Slice(16, (int)length), Json)
                ?? throw new InvalidDataException("Model configuration is empty.");
        }
        catch (JsonException e) { throw new InvalidDataException($"Model configuration is not valid: {e.Message}", e); }
        config.Network.Validate();
        var network = new RecurrentNetwork<float>(config.Network);
        using var weights = new MemoryStream(bytes[(16 + (int)length)..].ToArray(), writable: false);
        network.LoadSafetensors(weights);
        return (config, network);
    }
}
