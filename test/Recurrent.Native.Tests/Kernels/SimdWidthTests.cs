using Recurrent.Native.Simd;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>
/// The width choice itself: tools/test-simd-tiers.sh reruns the kernel tests with instruction sets switched off, and
/// this test makes sure each switch really lowered the width (otherwise a run would silently repeat the default tier).
/// </summary>
[TestClass]
public sealed class SimdWidthTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Best_StaysBelowTheInstructionSetsSwitchedOff()
    {
        static bool Off(string name) => Environment.GetEnvironmentVariable("DOTNET_" + name) == "0";
        var cap = Off("EnableHWIntrinsic") ? VectorWidth.Scalar
            : Off("EnableAVX2") ? VectorWidth.W128
            : Off("EnableAVX512F") || Off("EnableAVX512") ? VectorWidth.W256
            : VectorWidth.W512;
        TestContext.WriteLine($"best width {SimdWidth.Best}, supported {string.Join(", ", SimdWidth.Supported)}, cap from the environment {cap}");
        Assert.IsLessThanOrEqualTo((int)cap, (int)SimdWidth.Best, $"best width {SimdWidth.Best} is above {cap}");
        CollectionAssert.AreEqual(Enum.GetValues<VectorWidth>().Where(w => w <= SimdWidth.Best).Order().ToArray(), SimdWidth.Supported.ToArray());
    }

    [TestMethod]
    public void Current_RejectsAWidthThisProcessDoesNotAccelerate()
    {
        if (SimdWidth.Best == VectorWidth.W512) return;
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SimdWidth.Current = VectorWidth.W512);
        Assert.AreEqual(SimdWidth.Best, SimdWidth.Current);
    }
}
