using Recurrent.Native.Kernels;
using Recurrent.Native.Layers;
using Recurrent.Native.Network;
using Recurrent.Native.Simd;
using Recurrent.Native.Tests.TestSupport;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// The other checks run at this machine's widest vectors only; this one repeats a masked mixed stack at every width
/// the machine supports (scalar included), with hidden sizes that leave a scalar remainder after whole vectors.
/// </summary>
[TestClass]
public sealed class SimdWidthGradientCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Widths => SimdWidth.Supported.Select(w => new object[] { w });

    [TestMethod]
    [DynamicData(nameof(Widths))]
    public void MaskedMixedStack_AtEveryVectorWidth(VectorWidth width)
    {
        var keep = SimdWidth.Current;
        try
        {
            SimdWidth.Current = width;
            var spec = new NetworkSpec(3, [new BidirectionalSpec(new LstmSpec(3) { Peepholes = true }, MergeMode.Concat),
                new LstmSpec(5) { CellActivation = Activation.Softsign }, new SimpleRnnSpec(3), new DenseSpec(3, Activation.Sigmoid),
                new OutputSpec(3, LossKind.CrossEntropy)]);
            GradientCheck.AssertPasses(new Problem<double>(spec, steps: 4, batch: 3) { Mask = Data.MaskRows("1101", "0111", "1110") }, TestContext);
        }
        finally
        {
            SimdWidth.Current = keep;
        }
    }
}
