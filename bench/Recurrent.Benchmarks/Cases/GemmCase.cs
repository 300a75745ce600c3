using Recurrent.Benchmarks.Measurement;
using Recurrent.Native.Kernels;

namespace Recurrent.Benchmarks.Cases;

/// <summary>
/// (d) The recurrent GEMM of one LSTM step alone: C[B, 4H] = A[B, I+H] · W[I+H, 4H] with <see cref="Gemm.Multiply{T}(ReadOnlySpan{T}, int, PackedMatrix{T}, Span{T}, int, int, bool)"/>,
/// W packed once into a <see cref="PackedMatrix{T}"/>, on the calling thread.
/// </summary>
internal sealed class OursGemm : IWorkload
{
    private readonly float[] _a;
    private readonly Memory<float> _c;   // 64-byte aligned, as libtorch's tensors are
    private readonly PackedMatrix<float> _b = new();
    private readonly int _m, _k, _n;

    public OursGemm(Shape s)
    {
        (_m, _k, _n) = Dimensions(s);
        _a = BenchData.Uniform(_m * _k, BenchData.InputStream);
        _b.PackRowMajor(BenchData.Uniform(_k * _n, BenchData.MatrixStream), _k, _n, _n);
        _c = Aligned(_m * _n);
    }

    /// <summary>M = B, K = I + H, N = 4H.</summary>
    public static (int M, int K, int N) Dimensions(Shape s) => (s.B, s.I + s.H, 4 * s.H);

    public void Run() => Gemm.Multiply<float>(_a, _k, _b, _c.Span, _n, _m, accumulate: false);

    /// <summary>Σ c².</summary>
    public double Check() => BenchData.SumOfSquares(_c.Span.ToArray());

    /// <summary>n floats starting on a 64-byte boundary (pinned, so the boundary stays).</summary>
    private static unsafe Memory<float> Aligned(int n)
    {
        var array = GC.AllocateArray<float>(n + 16, pinned: true);
        int skip = (int)((64 - (nuint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref array[0]) % 64) % 64 / sizeof(float));
        return array.AsMemory(skip, n);
    }

    public void Dispose() { }
}
