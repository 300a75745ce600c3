namespace Recurrent.Native.IO;

/// <summary>
/// A safetensors file (an <see cref="IOException"/>) that is malformed or does not match what it is loaded into. The message says which file, which
/// tensor or header key, and where (a byte offset in the file) whenever those are known; the same facts are properties.
/// </summary>
public sealed class SafetensorsException : IOException
{
    /// <summary>Creates the exception; the message is prefixed with the source and the byte offset.</summary>
    /// <param name="sourceName">The file name, or the name given for a stream.</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="tensorName">The tensor or header key concerned, if any.</param>
    /// <param name="byteOffset">The byte offset in the file where the problem is, if known.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public SafetensorsException(string sourceName, string detail, string? tensorName = null, long? byteOffset = null, Exception? inner = null)
        : base($"Safetensors '{sourceName}'{(byteOffset is { } at ? $" at byte {at}" : "")}: {detail}", inner)
    {
        SourceName = sourceName;
        TensorName = tensorName;
        ByteOffset = byteOffset;
    }

    /// <summary>The file name, or the name given for a stream.</summary>
    public string SourceName { get; }

    /// <summary>The tensor or header key concerned, when the problem is about one.</summary>
    public string? TensorName { get; }

    /// <summary>The byte offset in the file where the problem is, when known.</summary>
    public long? ByteOffset { get; }
}
