using System.Buffers.Binary;
using System.Security.Cryptography;
using Recurrent.Native.Inference;
using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.Inference;

/// <summary>The state bytes are laid out as <c>docs/state-format.md</c> says, and every bad input fails with its reason.</summary>
[TestClass]
public sealed class StateFormatTests
{
    private const string MixedDescription = "f32;input=5;lstm(hidden=7,peepholes=false,gate=Sigmoid,cell=Tanh);" +
        "lstm(hidden=6,peepholes=true,gate=Sigmoid,cell=Tanh);rnn(hidden=5,activation=Tanh);dense(units=5,activation=Tanh);" +
        "output(size=4,loss=MeanSquaredError)";

    private static StreamingPredictor<int, float> FedEngine(int seed = 1)
    {
        var engine = new StreamingPredictor<int, float>(new RecurrentNetwork<float>(Streams.Stack("mixed"), seed));
        engine.Add(0);
        engine.Predict(0, Streams.Series<float>(3, 5, seed: 2));
        return engine;
    }

    [TestMethod]
    public void BytesFollowTheDocumentedLayout()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 1);
        Assert.AreEqual(MixedDescription, ModelFingerprint.Describe(net));
        var engine = FedEngine();
        var bytes = engine.ExportState(0);
        Assert.HasCount(236, bytes);
        CollectionAssert.AreEqual("RNNS"u8.ToArray(), bytes[..4]);
        Assert.AreEqual(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.AreEqual(1, bytes[6], "float32");
        Assert.AreEqual(0, bytes[7]);
        var weights = new byte[net.Parameters.Length * 4];
        for (int i = 0; i < net.Parameters.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(weights.AsSpan(4 * i), net.Parameters[i]);
        var fingerprint = SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(MixedDescription), .. weights]);
        CollectionAssert.AreEqual(fingerprint, bytes[8..40]);
        Assert.AreEqual(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        int[] table = [0, 7, 2, 1, 6, 2, 2, 5, 1];
        for (int i = 0; i < table.Length; i++) Assert.AreEqual(table[i], BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(44 + 4 * i)), $"table {i}");
        var values = engine.GetState(0).SelectMany(s => s.Hidden.Concat(s.Cell ?? [])).ToArray();
        Assert.HasCount(31, values);
        for (int i = 0; i < values.Length; i++) Assert.AreEqual(values[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(80 + 4 * i)));
        CollectionAssert.AreEqual(SHA256.HashData(bytes.AsSpan(0, 204)), bytes[204..]);
    }

    [TestMethod]
    public void DoubleStatesUseElementTypeTwoAndRoundTrip()
    {
        var engine = new StreamingPredictor<int, double>(new RecurrentNetwork<double>(Streams.Stack("rnn"), seed: 3));
        engine.Add(0);
        engine.Add(1);
        engine.Predict(0, Streams.Series<double>(2, 5, seed: 4));
        var bytes = engine.ExportState(0);
        Assert.AreEqual(2, bytes[6]);
        Assert.HasCount(44 + 24 + (7 + 6) * 8 + 32, bytes);
        engine.ImportState(1, bytes);
        CollectionAssert.AreEqual(bytes[..^32], engine.ExportState(1)[..^32]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => FedEngine().ImportState(0, bytes));
        StringAssert.Contains(e.Message, "it holds float64 values; this engine computes in float32");
    }

    [TestMethod]
    public void TruncatedOrExtendedBytesAreRejected()
    {
        var engine = FedEngine();
        var good = engine.ExportState(0);
        Rejected(engine, [], "it holds 0 bytes, fewer than the 76 of an empty state");
        Rejected(engine, good[..50], "fewer than the 76");
        Rejected(engine, good[..^1], "it holds 235 bytes but its header describes 236 (truncated");
        Rejected(engine, good[..100], "its layer count 3 does not fit in 100 bytes (truncated or corrupted)");
        Rejected(engine, good[..150], "it holds 150 bytes but its header describes 236 (truncated");
        Rejected(engine, [.. good, 0], "it holds 237 bytes but its header describes 236 (trailing bytes");
    }

    [TestMethod]
    public void CorruptedBytesAreRejected()
    {
        var engine = FedEngine();
        var good = engine.ExportState(0);
        Rejected(engine, Changed(good, 100, b => (byte)(b ^ 1)), "its checksum does not match its contents (corrupted)");
        Rejected(engine, Changed(good, 230, b => (byte)(b ^ 0x80)), "(corrupted)");
        Rejected(engine, Changed(good, 0, _ => (byte)'X'), "does not start with the magic \"RNNS\"");
        Rejected(engine, Changed(good, 4, _ => 2), "it has format version 2; this library reads version 1");
        Rejected(engine, Changed(good, 40, _ => 200), "its layer count 200 does not fit in 236 bytes");
        Rejected(engine, Changed(good, 44 + 8, _ => 3), "layer record 0 is malformed (H = 7, vectors = 3)");
        Rejected(engine, Changed(good, 44 + 4, _ => 8), "its header describes 244");
    }

    [TestMethod]
    public void StateOfAnotherModelIsRejected()
    {
        var engine = FedEngine(seed: 1);
        var otherWeights = FedEngine(seed: 2).ExportState(0);
        var e = Rejected(engine, otherWeights, "it comes from a different model (fingerprint ");
        StringAssert.Contains(e.Message, "a state only fits the architecture and weights it was computed with");
        var otherArchitecture = new StreamingPredictor<int, float>(new RecurrentNetwork<float>(Streams.Stack("lstm"), seed: 1));
        otherArchitecture.Add(0);
        Rejected(engine, otherArchitecture.ExportState(0), "it comes from a different model");
    }

    /// <summary>Checks behind the checksum and the fingerprint, reached with bytes whose checksum was recomputed.</summary>
    [TestMethod]
    public void LayerTableAndValuesAreCheckedEvenWithAValidChecksum()
    {
        var engine = FedEngine();
        var good = engine.ExportState(0);
        Rejected(engine, Resealed(Changed(good, 44 + 12, _ => 2)),
            "its recurrent layer 1 is layer 2 with H = 6 and a cell; the model's is layer 1 with H = 6 and a cell");
        var nan = good.ToArray();
        BinaryPrimitives.WriteSingleLittleEndian(nan.AsSpan(80 + 4 * 3), float.NaN);
        Rejected(engine, Resealed(nan), "value 3 is not finite");
    }

    /// <summary>Asserts the import fails with <paramref name="message"/> and leaves the stream's state as it was.</summary>
    private static InvalidDataException Rejected(StreamingPredictor<int, float> engine, byte[] bytes, string message)
    {
        var before = engine.ExportState(0);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => engine.ImportState(0, bytes));
        StringAssert.StartsWith(e.Message, "Cannot import the stream state: ");
        StringAssert.Contains(e.Message, message);
        CollectionAssert.AreEqual(before, engine.ExportState(0), "a rejected import writes nothing");
        return e;
    }

    private static byte[] Changed(byte[] bytes, int at, Func<byte, byte> change)
    {
        var copy = bytes.ToArray();
        copy[at] = change(copy[at]);
        return copy;
    }

    private static byte[] Resealed(byte[] bytes)
    {
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        return bytes;
    }
}
