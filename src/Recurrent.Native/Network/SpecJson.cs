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
    public static string Serialize(NetworkSpec spec) => JsonSerializer.Serialize(spec, Options);

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
