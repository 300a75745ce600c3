using Recurrent.Native.IO;

namespace Recurrent.Native.Tests.IO;

/// <summary>Reading hand-built files: valid corner cases, and every malformed file with where the error points.</summary>
[TestClass]
public sealed class SafetensorsFileTests
{
    private const string FileName = "bad.safetensors";
    private readonly SafetensorsTestFiles _files = new();

    [TestCleanup]
    public void Cleanup() => _files.Dispose();

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private SafetensorsException Fails(byte[] bytes)
    {
        string path = _files.Write(FileName, bytes);
        var e = Assert.ThrowsExactly<SafetensorsException>(() => SafetensorsFile.Read(path));
        Assert.AreEqual(FileName, e.SourceName);
        StringAssert.StartsWith(e.Message, $"Safetensors '{FileName}'");
        return e;
    }

    private SafetensorsException Fails(string header, byte[] data) => Fails(SafetensorsTestFiles.Bytes(header, data));

    [TestMethod]
    public void ReadsTensorsScalarsEmptyTensorsMetadataAndPadding()
    {
        var f64 = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.1);
        var data = SafetensorsTestFiles.Floats(6).Concat(f64).ToArray();
        string header = "{\"__metadata__\":{\"format\":\"pt\"}," + Entry("w", "F32", "[2,3]", 0, 24) + "," + Entry("empty", "F32", "[0,4]", 24, 24) + ","
            + Entry("s", "F64", "[]", 24, 32) + "}    ";
        var file = SafetensorsFile.Read(_files.Write("ok.safetensors", SafetensorsTestFiles.Bytes(header, data)));

        Assert.AreEqual("pt", file.Metadata["format"]);
        CollectionAssert.AreEqual(new[] { "w", "empty", "s" }, file.Tensors.Select(t => t.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, file["w"].ToArray<float>());
        CollectionAssert.AreEqual(new[] { 2, 3 }, file["w"].Shape.ToArray());
        Assert.AreEqual(8L + header.Length, file["w"].FileOffset);
        Assert.IsTrue(file.TryGet("empty", out var empty));
        Assert.AreEqual(0, empty.ElementCount);
        Assert.IsFalse(file.TryGet("W", out _));
        Assert.AreEqual(1, file["s"].ElementCount);
        Assert.AreEqual(0.1, file["s"].ToArray<double>()[0]);
        Assert.AreEqual(0.1f, file["s"].ToArray<float>()[0]);
        Assert.AreEqual(8L + header.Length + 24, file["s"].FileOffset);
    }

    [TestMethod]
    public void ReadsFromANonSeekableStream()
    {
        var bytes = SafetensorsTestFiles.Bytes("{" + Entry("w", "F32", "[2]", 0, 8) + "}", SafetensorsTestFiles.Floats(2));
        var file = SafetensorsFile.Read(new ForwardOnlyStream(bytes), "entry");
        CollectionAssert.AreEqual(new[] { 1f, 2f }, file["w"].ToArray<float>());

        var cut = bytes[..^1];
        var e = Assert.ThrowsExactly<SafetensorsException>(() => SafetensorsFile.Read(new ForwardOnlyStream(cut), "entry"));
        Assert.AreEqual("w", e.TensorName);
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void MissingTensorIsNamed()
    {
        var file = SafetensorsFile.Read(_files.Write("ok.safetensors", SafetensorsTestFiles.Bytes("{}", [])));
        var e = Assert.ThrowsExactly<SafetensorsException>(() => file["weight_ih_l0"]);
        Assert.AreEqual("weight_ih_l0", e.TensorName);
        StringAssert.Contains(e.Message, "no tensor 'weight_ih_l0'");
    }

    [TestMethod]
    public void FileShorterThanTheLengthPrefix()
    {
        var e = Fails([1, 0, 0]);
        Assert.AreEqual(0L, e.ByteOffset);
        StringAssert.Contains(e.Message, "holds 3 bytes");
    }

    [TestMethod]
    public void HeaderLengthBeyondTheFile()
    {
        var e = Fails(SafetensorsTestFiles.Bytes("{}", [], declaredLength: 1000));
        Assert.AreEqual(0L, e.ByteOffset);
        StringAssert.Contains(e.Message, "header length 1000 runs past the end of the file");
    }

    [TestMethod]
    public void HeaderLengthOverTheLimit()
    {
        var e = Fails(SafetensorsTestFiles.Bytes("{}", [], declaredLength: ulong.MaxValue));
        StringAssert.Contains(e.Message, "exceeds the limit");
    }

    [TestMethod]
    public void HeaderThatIsNotJson()
    {
        var e = Fails("{\"w\": nope}", []);
        StringAssert.Contains(e.Message, "not valid JSON");
        Assert.IsGreaterThanOrEqualTo(8L, e.ByteOffset!.Value);
    }

    [TestMethod]
    public void HeaderThatIsNotAnObject() => StringAssert.Contains(Fails("[1, 2]", []).Message, "must be a JSON object, not Array");

    [TestMethod]
    public void DuplicateTensorName()
    {
        var e = Fails("{" + Entry("w", "F32", "[1]", 0, 4) + "," + Entry("w", "F32", "[1]", 4, 8) + "}", SafetensorsTestFiles.Floats(2));
        Assert.AreEqual("w", e.TensorName);
        StringAssert.Contains(e.Message, "appears more than once");
    }

    [TestMethod]
    public void UnsupportedDType()
    {
        var e = Fails("{" + Entry("w", "F16", "[2]", 0, 4) + "}", new byte[4]);
        Assert.AreEqual("w", e.TensorName);
        StringAssert.Contains(e.Message, "dtype 'F16' is not supported (supported: F32, F64)");
    }

    [TestMethod]
    public void MissingField()
    {
        var e = Fails("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]);
        Assert.AreEqual("w", e.TensorName);
        StringAssert.Contains(e.Message, "Header key 'w': 'shape' is missing");
    }

    [TestMethod]
    public void UnexpectedField() =>
        StringAssert.Contains(Fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1]}}", new byte[4]).Message,
            "unexpected field 'stride'");

    [TestMethod]
    public void EntryThatIsNotAnObject() => StringAssert.Contains(Fails("{\"w\":[0,4]}", new byte[4]).Message, "Header key 'w': a tensor entry must be an object");

    [TestMethod]
    public void NegativeDimension() => StringAssert.Contains(Fails("{" + Entry("w", "F32", "[-1]", 0, 4) + "}", new byte[4]).Message, "'shape'[0] must be a non-negative integer, not -1");

    [TestMethod]
    public void FractionalOffset() => StringAssert.Contains(Fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.5]}}", new byte[4]).Message, "'data_offsets'[1] must be a non-negative integer, not 4.5");

    [TestMethod]
    public void OffsetsOfTheWrongLength() => StringAssert.Contains(Fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", new byte[4]).Message, "must hold 2 numbers");

    [TestMethod]
    public void OffsetsThatEndBeforeTheyBegin() => StringAssert.Contains(Fails("{" + Entry("w", "F32", "[1]", 4, 0) + "}", new byte[4]).Message, "[4, 0) end before they begin");

    [TestMethod]
    public void SizeThatDoesNotMatchShapeAndDType()
    {
        var e = Fails("{" + Entry("w", "F32", "[2,3]", 0, 20) + "}", new byte[20]);
        Assert.AreEqual("w", e.TensorName);
        StringAssert.Contains(e.Message, "span 20 bytes but shape [2, 3] of F32 needs 6 × 4 = 24");
    }

    [TestMethod]
    public void TruncatedData()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[3]", 8, 20) + "}";
        var e = Fails(header, SafetensorsTestFiles.Floats(3));
        Assert.AreEqual("b", e.TensorName);
        Assert.AreEqual(8L + header.Length + 8, e.ByteOffset);
        StringAssert.Contains(e.Message, "data section holds only 12 bytes");
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void OverlappingTensors()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}";
        var e = Fails(header, SafetensorsTestFiles.Floats(3));
        Assert.AreEqual("b", e.TensorName);
        Assert.AreEqual(8L + header.Length + 4, e.ByteOffset);
        StringAssert.Contains(e.Message, "overlap those of tensor 'a'");
    }

    [TestMethod]
    public void GapBetweenTensors()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 12, 20) + "}";
        var e = Fails(header, SafetensorsTestFiles.Floats(5));
        Assert.AreEqual(8L + header.Length + 8, e.ByteOffset);
        StringAssert.Contains(e.Message, "Bytes [8, 12) of the data section belong to no tensor");
    }

    [TestMethod]
    public void TrailingBytesAfterTheLastTensor()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "}";
        var e = Fails(header, SafetensorsTestFiles.Floats(3));
        Assert.AreEqual(8L + header.Length + 8, e.ByteOffset);
        StringAssert.Contains(e.Message, "last 4 bytes of the data section");
    }

    [TestMethod]
    public void MetadataThatIsNotAStringMap()
    {
        StringAssert.Contains(Fails("{\"__metadata__\":{\"epochs\":3}}", []).Message, "Metadata entry 'epochs' must be a string");
        StringAssert.Contains(Fails("{\"__metadata__\":[\"x\"]}", []).Message, "'__metadata__' must be an object of strings");
    }

    /// <summary>A stream that can only be read forwards (like a zip entry), handing out at most 5 bytes per read.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 5), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
