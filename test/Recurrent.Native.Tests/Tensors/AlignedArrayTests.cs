using System.Runtime.CompilerServices;
using Recurrent.Native.Kernels;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Tensors;

[TestClass]
public sealed class AlignedArrayTests
{
    private static unsafe long Misalignment<T>(Span<T> span) where T : unmanaged =>
        span.IsEmpty ? 0 : (long)(nuint)Unsafe.AsPointer(ref span[0]) % 64;

    [TestMethod]
    public void EveryBufferStartsOnACacheLineWhateverItsLengthAndType()
    {
        var keep = new List<object>();
        for (int length = 1; length <= 200; length += 7)
        {
            keep.Add(new byte[length]);                       // shifts where the next allocation lands
            var f = new AlignedArray<float>(length);
            var d = new AlignedArray<double>(length);
            keep.Add(f); keep.Add(d);
            Assert.AreEqual(0, Misalignment(f.Span), $"float, length {length}");
            Assert.AreEqual(0, Misalignment(d.Span), $"double, length {length}");
            Assert.AreEqual(length, f.Span.Length);
        }
    }

    [TestMethod]
    public void GrowsOnlyWhenAskedForMoreAndStaysAligned()
    {
        var a = new AlignedArray<float>(10);
        a.Span.Fill(3);
        a.EnsureLength(5);
        Assert.AreEqual(10, a.Length, "never shrinks");
        Assert.AreEqual(3f, a.Span[9], "kept when not grown");
        a.EnsureLength(1000);
        Assert.AreEqual(1000, a.Length);
        Assert.AreEqual(0, Misalignment(a.Span));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => a.EnsureLength(-1));
    }

    [TestMethod]
    public unsafe void PackedPanelsAreAligned()
    {
        var b = new PackedMatrix<float>();
        b.PackRowMajor(new float[37 * 50], 37, 50, 50);
        fixed (float* p = b.Data) Assert.AreEqual(0, (long)p % 64);
    }
}
