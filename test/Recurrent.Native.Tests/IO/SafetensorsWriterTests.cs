using System.Text;
using Recurrent.Native.IO;

namespace Recurrent.Native.Tests.IO;

/// <summary>The writer's byte layout, its argument checks, and the atomic save.</summary>
[TestClass]
public sealed class SafetensorsWriterTests
{
    private readonly SafetensorsTestFiles _files = new();

    [TestCleanup]
    public void Cleanup() => _files.Dispose();

    [TestMethod]
    public void WritesTheSafetensorsLayoutWithAnAlignedHeader()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Add<float>("a", [1f, 2f], [2], SafetensorsDType.F32);
        writer.Add<float>("b", [0.5f], [], SafetensorsDType.F64);
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        var bytes = stream.ToArray();

        const string json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
            "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        int headerLength = (json.Length + 7) / 8 * 8;
        var expected = SafetensorsTestFiles.Bytes(json.PadRight(headerLength), [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f), .. BitConverter.GetBytes(0.5)]);
        Assert.AreEqual(Encoding.UTF8.GetString(expected, 8, headerLength), Encoding.UTF8.GetString(bytes, 8, headerLength));
        CollectionAssert.AreEqual(expected, bytes);
    }

    [TestMethod]
    public void RoundTripsThroughTheReader()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata["note"] = "ü ✓";
        writer.Add<double>("x", [0.1, -2.5, 1e300, double.NaN], [2, 2], SafetensorsDType.F64);
        writer.Add<double>("y", [0.1], [1], SafetensorsDType.F32);
        writer.Add<float>("empty", [], [3, 0], SafetensorsDType.F32);
        string path = _files.PathOf("t.safetensors");
        writer.Save(path);
        var file = SafetensorsFile.Read(path);

        Assert.AreEqual("ü ✓", file.Metadata["note"]);
        CollectionAssert.AreEqual(new[] { 0.1, -2.5, 1e300, double.NaN }, file["x"].ToArray<double>());
        Assert.AreEqual((double)0.1f, file["y"].ToArray<double>()[0]);
        Assert.AreEqual(SafetensorsDType.F32, file["y"].DType);
        CollectionAssert.AreEqual(new[] { 3, 0 }, file["empty"].Shape.ToArray());
    }

    [TestMethod]
    public void RejectsBadArguments()
    {
        var writer = new SafetensorsWriter();
        writer.Add<float>("w", [1f, 2f], [2], SafetensorsDType.F32);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => writer.Add<float>("w", [1f], [1], SafetensorsDType.F32)).Message, "'w' was already added");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => writer.Add<float>("v", [1f, 2f], [3], SafetensorsDType.F32)).Message, "shape [3] (3 elements) but 2 values");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.Add<float>("v", [], [-1], SafetensorsDType.F32)).Message, "negative dimension");
        Assert.ThrowsExactly<ArgumentException>(() => writer.Add<float>("__metadata__", [1f], [1], SafetensorsDType.F32));
        Assert.ThrowsExactly<ArgumentException>(() => writer.Add<float>("", [1f], [1], SafetensorsDType.F32));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.Add<float>("v", [1f], [1], (SafetensorsDType)7));
        Assert.AreEqual(1, writer.Count);
    }

    [TestMethod]
    public void AFailedSaveLeavesTheExistingFileAndNoTemporaryFile()
    {
        string path = _files.Write("model.safetensors", [1, 2, 3]);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new InvalidOperationException("disk full");
        }));
        Assert.AreEqual("disk full", e.Message);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_files.Folder));
    }

    [TestMethod]
    public void ASaveReplacesTheExistingFileAndLeavesNoTemporaryFile()
    {
        string path = _files.Write("model.safetensors", [1, 2, 3]);
        var writer = new SafetensorsWriter();
        writer.Add<float>("w", [4f], [1], SafetensorsDType.F32);
        writer.Save(path);
        Assert.AreEqual(4f, SafetensorsFile.Read(path)["w"].ToArray<float>()[0]);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_files.Folder));
    }

    [TestMethod]
    public void ASaveIntoAMissingFolderFailsWithoutCreatingIt()
    {
        string path = Path.Combine(_files.Folder, "missing", "model.safetensors");
        var writer = new SafetensorsWriter();
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => writer.Save(path));
        Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(path)));
    }
}
