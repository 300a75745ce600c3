using System.Buffers.Binary;

namespace Recurrent.Native.IO;

/// <summary>The element types this library reads and writes in safetensors files (little-endian IEEE 754).</summary>
public enum SafetensorsDType
{
    /// <summary>32-bit float, <c>"F32"</c> in the header.</summary>
    F32,
    /// <summary>64-bit float, <c>"F64"</c> in the header.</summary>
    F64,
}

/// <summary>Sizes, header names and conversions of <see cref="SafetensorsDType"/>.</summary>
internal static class SafetensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafetensorsDType dtype) => dtype == SafetensorsDType.F64 ? 8 : 4;

    /// <summary>The name in the header (<c>F32</c>, <c>F64</c>).</summary>
    public static string HeaderName(this SafetensorsDType dtype) => dtype == SafetensorsDType.F64 ? "F64" : "F32";

    /// <summary>Parses a header dtype; false for any other safetensors type (F16, BF16, I64, ...).</summary>
    public static bool TryParse(string text, out SafetensorsDType dtype)
    {
        dtype = text == "F64" ? SafetensorsDType.F64 : SafetensorsDType.F32;
        return text is "F32" or "F64";
    }

    /// <summary>The type a network of element type <typeparamref name="T"/> saves by default: F64 for double, F32 otherwise.</summary>
    public static SafetensorsDType Default<T>() => typeof(T) == typeof(double) ? SafetensorsDType.F64 : SafetensorsDType.F32;

    /// <summary>Decodes little-endian elements of <paramref name="dtype"/> into <paramref name="destination"/>, converting.</summary>
    public static void Decode<T>(SafetensorsDType dtype, ReadOnlySpan<byte> data, Span<T> destination) where T : INumberBase<T>
    {
        if (dtype == SafetensorsDType.F64)
            for (int i = 0; i < destination.Length; i++)
                destination[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]));
        else
            for (int i = 0; i < destination.Length; i++)
                destination[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]));
    }

    /// <summary>Encodes <paramref name="values"/> as little-endian elements of <paramref name="dtype"/>, converting.</summary>
    public static void Encode<T>(SafetensorsDType dtype, ReadOnlySpan<T> values, Span<byte> data) where T : INumberBase<T>
    {
        if (dtype == SafetensorsDType.F64)
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteDoubleLittleEndian(data[(8 * i)..], double.CreateTruncating(values[i]));
        else
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(data[(4 * i)..], float.CreateTruncating(values[i]));
    }
}
