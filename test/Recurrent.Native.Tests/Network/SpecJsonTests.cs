using System.Text.Json;
using System.Text.Json.Serialization;
using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Recurrent.Native.Tests.Network;

/// <summary>
/// <see cref="SpecJson"/> writes by hand what the reflection serializer it reads with would write (so that a property
/// added to a spec and forgotten by the writer fails here), and what it writes reads back as the same spec.
/// </summary>
[TestClass]
public sealed class SpecJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Every layer kind, every property away from its default, and the defaults.</summary>
    public static IEnumerable<object[]> Specs() =>
    [
        [new NetworkSpec(3, [new LstmSpec(4), new OutputSpec(2, LossKind.CrossEntropy)])],
        [new NetworkSpec(12, [
            new DenseSpec(8, Activation.Tanh) { Dropout = 0.1 },
            new BidirectionalSpec(new LstmSpec(64) { Peepholes = true, RecurrentDropout = 0.2, GateActivation = Activation.HardSigmoid,
                CellActivation = Activation.ReLU, ForgetBias = 0.25 }, MergeMode.Sum) { Dropout = 0.3 },
            new BidirectionalSpec(new SimpleRnnSpec(7) { Activation = Activation.ReLU, RecurrentDropout = 1.0 / 3 }),
            new SimpleRnnSpec(5) { Dropout = 0.5 },
            new DenseSpec(6),
            new OutputSpec(1, LossKind.MeanAbsoluteError) { Dropout = 1e-7 }])],
    ];

    [TestMethod]
    [DynamicData(nameof(Specs))]
    public void Serialize_WritesWhatTheReflectionSerializerWrites_AndReadsBack(NetworkSpec spec)
    {
        string json = SpecJson.Serialize(spec);
        Assert.AreEqual(JsonSerializer.Serialize(spec, Reflection), json);
        Assert.AreEqual(spec, SpecJson.Deserialize(json));
    }
}
