using System.Text.Json;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Model;
using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;

namespace Microsoft.ML.Recurrent.Tests.Estimator;

/// <summary>
/// The payload's configuration is written by hand (<see cref="ModelPayload.WriteConfig"/>) and read by the reflection
/// serializer: the writer must produce exactly what that serializer writes, so a property added to the configuration
/// and forgotten by the writer fails here.
/// </summary>
[TestClass]
public sealed class ModelPayloadTests
{
    private static ModelConfig Config(IReadOnlyList<string>? classNames, SequenceMode mode) => new()
    {
        Network = new NetworkSpec(4, [new BidirectionalSpec(new LstmSpec(6) { Peepholes = true }, MergeMode.Average),
            new DenseSpec(3, Activation.ReLU) { Dropout = 0.25 }, new OutputSpec(3, LossKind.CrossEntropy)]),
        Task = RecurrentTask.Classification, Mode = mode, Encoding = FeatureEncoding.OneHotKeys, FeatureSize = 4, Outputs = 3,
        OutputSteps = mode == SequenceMode.OneToMany ? 7 : 0, LongestSequence = 29, ClassNames = classNames,
        FeatureColumnName = "Features", LabelColumnName = "Label \"quoted\"", ScoreColumnName = "Score",
        PredictedLabelColumnName = "Prédiction <1>",
    };

    [TestMethod]
    public void WriteConfig_WritesWhatTheReflectionSerializerWrites()
    {
        foreach (var config in new[]
        {
            Config(null, SequenceMode.ManyToOne),
            Config(["a", "é", "\"b\"", "<c>", ""], SequenceMode.OneToMany),
            Config([], SequenceMode.ManyToMany),
        })
        {
            byte[] written = ModelPayload.WriteConfig(config);
            CollectionAssert.AreEqual(JsonSerializer.SerializeToUtf8Bytes(config, ModelPayload.Json), written,
                System.Text.Encoding.UTF8.GetString(written));
            var read = JsonSerializer.Deserialize<ModelConfig>(written, ModelPayload.Json)!;
            Assert.AreEqual(config.Network, read.Network);
            CollectionAssert.AreEqual(config.ClassNames?.ToArray(), read.ClassNames?.ToArray());
            Assert.AreEqual(config with { Network = read.Network, ClassNames = read.ClassNames }, read);
        }
    }
}
