using System.Runtime.Intrinsics;

namespace Recurrent.Native.Simd;

/// <summary>The vector widths the kernels can run at.</summary>
public enum VectorWidth
{
    /// <summary>No SIMD: one element at a time.</summary>
    Scalar = 0,
    /// <summary>128-bit vectors (SSE / NEON).</summary>
    W128 = 128,
    /// <summary>256-bit vectors (AVX2).</summary>
    W256 = 256,
    /// <summary>512-bit vectors (AVX-512).</summary>
    W512 = 512,
}

/// <summary>
/// The one place that picks the vector width. It takes the widest width the JIT accelerates on this machine, so
/// <c>DOTNET_EnableAVX512F=0</c> selects 256-bit kernels and <c>DOTNET_EnableAVX2=0</c> 128-bit ones.
/// Tests may lower <see cref="Current"/> to exercise every tier in one process.
/// </summary>
public static class SimdWidth
{
    /// <summary>The widest width this process accelerates.</summary>
    public static VectorWidth Best { get; } =
        Vector512.IsHardwareAccelerated ? VectorWidth.W512 :
        Vector256.IsHardwareAccelerated ? VectorWidth.W256 :
        Vector128.IsHardwareAccelerated ? VectorWidth.W128 : VectorWidth.Scalar;

    private static VectorWidth _current = Best;

    /// <summary>The width the kernels use now (default <see cref="Best"/>).</summary>
    public static VectorWidth Current
    {
        get => _current;
        internal set
        {
            if (value > Best)
                throw new ArgumentOutOfRangeException(nameof(value), $"Width {value} is not accelerated here (best: {Best}).");
            _current = value;
        }
    }

    /// <summary>Every width this process can run, narrowest first.</summary>
    public static IEnumerable<VectorWidth> Supported =>
        new[] { VectorWidth.Scalar, VectorWidth.W128, VectorWidth.W256, VectorWidth.W512 }.Where(w => w <= Best);

    /// <summary>Elements of <typeparamref name="T"/> per vector at <see cref="Current"/>.</summary>
    public static int Lanes<T>() where T : unmanaged => Current switch
    {
        VectorWidth.W512 => Vector512<T>.Count,
        VectorWidth.W256 => Vector256<T>.Count,
        VectorWidth.W128 => Vector128<T>.Count,
        _ => 1,
    };
}
