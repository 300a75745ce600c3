using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;


namespace Recurrent.Native.Network;

/// <summary>JSON form of a <see cref="NetworkSpec"/> (stable names; enums as text), used in saved models.</summary>
public static class SpecJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The spec as JSON.</summary>
    public static string Serialize(NetworkSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, spec);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes the spec as the reflection serializer of <see cref="Deserialize"/> would (same names, order and numbers:
    /// tested), by hand: on its first call in a process the reflection serializer builds its metadata, which made a large
    /// part of the time a first ML.NET <c>Fit</c> spent outside the engine (every <c>Fit</c> writes a spec into its model).
    /// </summary>
    public static void Write(Utf8JsonWriter w, NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        w.WriteStartObject();
        w.WriteNumber("InputSize", spec.InputSize);
        w.WriteStartArray("Layers");
        foreach (var layer in spec.Layers) WriteLayer(w, layer);
        w.WriteEndArray();
        w.WriteBoolean("IsCausal", spec.IsCausal);
        w.WriteEndObject();
    }

    private static void WriteLayer(Utf8JsonWriter w, LayerSpec layer)
    {
        w.WriteStartObject();
        switch (layer)
        {
            case DenseSpec d:
                w.WriteString("layer", "dense");
                w.WriteNumber("Units", d.Units);
                w.WriteString("Activation", d.Activation.ToString());
                break;
            case BidirectionalSpec b:
                w.WriteString("layer", "bidirectional");
                w.WritePropertyName("Layer");
                WriteLayer(w, b.Layer);
                w.WriteString("Merge", b.Merge.ToString());
                break;
            case LstmSpec l:
                w.WriteString("layer", "lstm");
                w.WriteBoolean("Peepholes", l.Peepholes);
                w.WriteString("GateActivation", l.GateActivation.ToString());
                w.WriteString("CellActivation", l.CellActivation.ToString());
                w.WriteNumber("ForgetBias", l.ForgetBias);
                WriteRecurrent(w, l);
                break;
            case SimpleRnnSpec r:
                w.WriteString("layer", "rnn");
                w.WriteString("Activation", r.Activation.ToString());
                WriteRecurrent(w, r);
                break;
            case OutputSpec o:
                w.WriteString("layer", "output");
                w.WriteNumber("Size", o.Size);
                w.WriteString("Loss", o.Loss.ToString());
                break;
            default:
                throw new NotSupportedException($"No JSON form for layer spec {layer?.GetType().Name ?? "null"}.");
        }
        w.WriteNumber("Dropout", layer.Dropout);
        w.WriteEndObject();

        static void WriteRecurrent(Utf8JsonWriter w, RecurrentSpec r)
        {
            w.WriteNumber("Hidden", r.Hidden);
            w.WriteNumber("RecurrentDropout", r.RecurrentDropout);
        }
    }

    /// <summary>A spec from JSON; throws <see cref="InvalidDataException"/> when it is not a valid spec.</summary>
    public static NetworkSpec Deserialize(string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<NetworkSpec>(json, Options) ?? throw new InvalidDataException("The network spec is null.");
            spec.Validate();
            return spec;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"Invalid network spec: {e.Message}", e);
        }
    }
}
