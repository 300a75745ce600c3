using Recurrent.Native.IO;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.IO;

/// <summary>Exporting and importing every weight of a network: round trips across element types, and mismatch errors.</summary>
[TestClass]
public sealed class SafetensorsNetworkTests
{
    private static readonly NetworkSpec Spec = new(3,
    [
        new LstmSpec(5) { Peepholes = true },
        new BidirectionalSpec(new SimpleRnnSpec(4), MergeMode.Concat),
        new DenseSpec(6),
        new OutputSpec(2, LossKind.CrossEntropy),
    ]);

    private readonly SafetensorsTestFiles _files = new();

    [TestCleanup]
    public void Cleanup() => _files.Dispose();

    [TestMethod]
    public void FloatNetworkRoundTripsExactly()
    {
        var source = new RecurrentNetwork<float>(Spec, seed: 1);
        string path = _files.PathOf("f.safetensors");
        source.SaveSafetensors(path);
        var target = new RecurrentNetwork<float>(Spec, seed: 2);
        CollectionAssert.AreNotEqual(source.Parameters, target.Parameters);
        target.LoadSafetensors(path);
        CollectionAssert.AreEqual(source.Parameters, target.Parameters);
        var file = SafetensorsFile.Read(path);
        Assert.IsTrue(file.Tensors.All(t => t.DType == SafetensorsDType.F32));
        CollectionAssert.AreEqual(source.Layout.Tensors.Select(t => t.Name).ToArray(), file.Tensors.Select(t => t.Name).ToArray());
    }

    [TestMethod]
    public void DoubleNetworkRoundTripsExactlyInF64()
    {
        var source = new RecurrentNetwork<double>(Spec, seed: 1);
        using var stream = new MemoryStream();
        source.SaveSafetensors(stream);
        stream.Position = 0;
        var target = new RecurrentNetwork<double>(Spec, seed: 2);
        target.LoadSafetensors(stream);
        CollectionAssert.AreEqual(source.Parameters, target.Parameters);
    }

    [TestMethod]
    public void F32FileImportsIntoADoubleNetwork()
    {
        var source = new RecurrentNetwork<float>(Spec, seed: 1);
        string path = _files.PathOf("f.safetensors");
        source.SaveSafetensors(path);
        var target = new RecurrentNetwork<double>(Spec, seed: 2);
        target.LoadSafetensors(path);
        CollectionAssert.AreEqual(source.Parameters.Select(v => (double)v).ToArray(), target.Parameters);
    }

    [TestMethod]
    public void DoubleNetworkSavedAsF32RoundsEachWeightOnce()
    {
        var source = new RecurrentNetwork<double>(Spec, seed: 1);
        string path = _files.PathOf("d32.safetensors");
        source.SaveSafetensors(path, SafetensorsDType.F32);
        Assert.IsTrue(SafetensorsFile.Read(path).Tensors.All(t => t.DType == SafetensorsDType.F32));
        var asFloat = new RecurrentNetwork<float>(Spec, seed: 2);
        asFloat.LoadSafetensors(path);
        CollectionAssert.AreEqual(source.Parameters.Select(v => (float)v).ToArray(), asFloat.Parameters);
    }

    [TestMethod]
    public void FloatNetworkSavedAsF64LoadsBackExactly()
    {
        var source = new RecurrentNetwork<float>(Spec, seed: 1);
        string path = _files.PathOf("f64.safetensors");
        source.SaveSafetensors(path, SafetensorsDType.F64);
        var target = new RecurrentNetwork<float>(Spec, seed: 2);
        target.LoadSafetensors(path);
        CollectionAssert.AreEqual(source.Parameters, target.Parameters);
    }

    [TestMethod]
    public void MissingTensorsAreListedAndNothingIsLoaded()
    {
        var source = new RecurrentNetwork<float>(Spec, seed: 1);
        string path = SaveWithout(source, "bias_hh_l1_reverse", "output.bias");
        var target = new RecurrentNetwork<float>(Spec, seed: 2);
        var before = (float[])target.Parameters.Clone();
        var e = Assert.ThrowsExactly<SafetensorsException>(() => target.LoadSafetensors(path));
        StringAssert.Contains(e.Message, "2 tensor(s) of the network are missing from the file: 'bias_hh_l1_reverse' [4], 'output.bias' [2]");
        Assert.AreEqual("bias_hh_l1_reverse", e.TensorName);
        CollectionAssert.AreEqual(before, target.Parameters);
    }

    [TestMethod]
    public void WrongShapeNamesTheTensorBothShapesAndItsOffset()
    {
        var other = new RecurrentNetwork<float>(Spec with { InputSize = 4 }, seed: 1);
        string path = _files.PathOf("wide.safetensors");
        other.SaveSafetensors(path);
        var target = new RecurrentNetwork<float>(Spec, seed: 2);
        var before = (float[])target.Parameters.Clone();
        var e = Assert.ThrowsExactly<SafetensorsException>(() => target.LoadSafetensors(path));
        StringAssert.Contains(e.Message, "Tensor 'weight_ih_l0' has shape [20, 4]; the network expects [20, 3]");
        Assert.AreEqual("weight_ih_l0", e.TensorName);
        Assert.AreEqual(SafetensorsFile.Read(path)["weight_ih_l0"].FileOffset, e.ByteOffset);
        var bytes = File.ReadAllBytes(path);
        Assert.AreEqual(other.Parameters[0], BitConverter.ToSingle(bytes, (int)e.ByteOffset!.Value));
        CollectionAssert.AreEqual(before, target.Parameters);
    }

    [TestMethod]
    public void ExtraTensorsAreAnErrorUnlessAllowed()
    {
        var source = new RecurrentNetwork<float>(Spec, seed: 1);
        var writer = source.ToSafetensors();
        writer.Add<float>("optimizer.step", [3f], [1], SafetensorsDType.F32);
        writer.Add<float>("dense9.weight", [1f, 2f], [1, 2], SafetensorsDType.F32);
        string path = _files.PathOf("extra.safetensors");
        writer.Save(path);
        var target = new RecurrentNetwork<float>(Spec, seed: 2);
        var e = Assert.ThrowsExactly<SafetensorsException>(() => target.LoadSafetensors(path));
        StringAssert.Contains(e.Message, "2 tensor(s) the network does not have: 'optimizer.step' [1], 'dense9.weight' [1, 2]");
        Assert.AreEqual("optimizer.step", e.TensorName);

        target.LoadSafetensors(path, new SafetensorsLoadOptions { AllowExtraTensors = true });
        CollectionAssert.AreEqual(source.Parameters, target.Parameters);
    }

    [TestMethod]
    public void ACorruptFileDoesNotChangeTheNetwork()
    {
        var source = new RecurrentNetwork<float>(Spec, seed: 1);
        string path = _files.PathOf("cut.safetensors");
        source.SaveSafetensors(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var target = new RecurrentNetwork<float>(Spec, seed: 2);
        var before = (float[])target.Parameters.Clone();
        var e = Assert.ThrowsExactly<SafetensorsException>(() => target.LoadSafetensors(path));
        Assert.AreEqual(source.Layout.Tensors[^1].Name, e.TensorName);
        CollectionAssert.AreEqual(before, target.Parameters);
    }

    private string SaveWithout(RecurrentNetwork<float> network, params string[] skip)
    {
        var writer = new SafetensorsWriter();
        foreach (var t in network.Layout.Tensors.Where(t => !skip.Contains(t.Name)))
            writer.Add<float>(t.Name, network.Parameters.AsSpan(t.Offset, t.Length), t.Shape, SafetensorsDType.F32);
        string path = _files.PathOf("partial.safetensors");
        writer.Save(path);
        return path;
    }
}
