using System.Buffers.Binary;
using System.Text;

namespace Recurrent.Native.Tests.IO;

/// <summary>Hand-built (and deliberately broken) safetensors files in a temporary folder removed on dispose.</summary>
internal sealed class SafetensorsTestFiles : IDisposable
{
    public SafetensorsTestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "safetensors-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>The bytes of a file: the length prefix (the header's own length unless <paramref name="declaredLength"/>), the header, the data.</summary>
    public static byte[] Bytes(string header, byte[] data, ulong? declaredLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    /// <summary><paramref name="count"/> little-endian F32 values 1, 2, 3, ...</summary>
    public static byte[] Floats(int count)
    {
        var data = new byte[4 * count];
        for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), i + 1);
        return data;
    }

    /// <summary>Writes <paramref name="bytes"/> to a file named <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A path in the folder (the file is not created).</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
