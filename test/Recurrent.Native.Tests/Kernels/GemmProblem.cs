using Recurrent.Native.Kernels;
using Recurrent.Native.Kernels.Reference;
using Recurrent.Native.Simd;
using Recurrent.Native.Tensors;

namespace Recurrent.Native.Tests.Kernels;

/// <summary>The three products the layers run: B packed row-major (NN), B packed from a <c>[N, K]</c> weight (NT), A transposed first (TN).</summary>
internal enum GemmForm { NN, NT, TN }

/// <summary>
/// One product C (+)= A · B with random operands stored the way <see cref="Form"/> stores them (leading dimensions
/// padded by <c>pad</c>), run through <see cref="Gemm"/> (B packed again whenever the width changes) and
/// <see cref="GemmReference"/>.
/// </summary>
internal sealed class GemmProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _a;     // A [M, K] as the kernel reads it (TN: transposed by Gemm.Transpose)
    private readonly int _lda;

    public GemmProblem(Rng rng, GemmForm form, int m, int n, int k, int groups = 1, int pad = 0)
    {
        (Form, M, N, K) = (form, m, n, k);
        Lda = form == GemmForm.TN ? m : k + pad;
        Ldb = (form == GemmForm.NT ? k : n) + pad;
        Ldc = n + pad;
        A = TestSupport.Data.Uniform<T>(rng, form == GemmForm.TN ? k * m : m * Lda);
        B = TestSupport.Data.Uniform<T>(rng, form == GemmForm.NT ? n * Ldb : k * Ldb);
        C0 = TestSupport.Data.Uniform<T>(rng, m * Ldc);
        Groups = groups;
        if (form == GemmForm.TN)
        {
            _a = new T[m * k];
            Gemm.Transpose<T>(A, k, m, _a, 0, m);
            _lda = k;
        }
        else (_a, _lda) = (A, Lda);
    }

    public GemmForm Form { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public int Groups { get; }
    /// <summary>Leading dimension of the stored A: <c>[M, Lda]</c>, or <c>[K, M]</c> for TN (Transpose takes no padding).</summary>
    public int Lda { get; }
    /// <summary>Leading dimension of the stored B: <c>[K, Ldb]</c>, or <c>[N, Ldb]</c> for NT.</summary>
    public int Ldb { get; }
    public int Ldc { get; }
    public T[] A { get; }
    public T[] B { get; }
    /// <summary>The initial C <c>[M, Ldc]</c>; its padding columns must come back unchanged.</summary>
    public T[] C0 { get; }

    /// <summary>B packed for the current width.</summary>
    public PackedMatrix<T> Packed
    {
        get
        {
            if (_packedAt != SimdWidth.Current)
            {
                if (Form == GemmForm.NT) _packed.PackTransposed(B, K, N, Ldb, Groups);
                else _packed.PackRowMajor(B, K, N, Ldb, Groups);
                _packedAt = SimdWidth.Current;
            }
            return _packed;
        }
    }
    private readonly PackedMatrix<T> _packed = new();
    private VectorWidth? _packedAt;

    /// <summary>C0 updated by the kernel over rows [r0, r1) and panels [p0, p1).</summary>
    public T[] Kernel(bool accumulate, int r0, int r1, int p0, int p1)
    {
        var c = (T[])C0.Clone();
        Gemm.Multiply<T>(_a, _lda, Packed, c, Ldc, r0, r1, p0, p1, accumulate);
        return c;
    }

    /// <summary>C0 updated by the kernel over everything.</summary>
    public T[] Kernel(bool accumulate) => Kernel(accumulate, 0, M, 0, Packed.PanelCount);

    /// <summary>C0 updated by the naive loop.</summary>
    public T[] Reference(bool accumulate)
    {
        var c = (T[])C0.Clone();
        GemmReference.Multiply<T>(A, Lda, Form == GemmForm.TN, B, Ldb, Form == GemmForm.NT, c, Ldc, M, N, K, accumulate);
        return c;
    }

    /// <summary>
    /// Per element of C: 2 (K + 1) u (Σ_k |a_ik b_kj| + |c0_ij|). A dot product summed in order, with or without FMA, is
    /// within γ_K ≈ K u of Σ|a b| (Higham, ch. 3); one more term for the accumulated C, and a factor 2 for the
    /// reference's own rounding to T. Zero where nothing is summed: the kernel must then be exact.
    /// </summary>
    public Func<int, double> Tolerance(bool accumulate)
    {
        if (_magnitude is null)
        {
            _magnitude = new T[C0.Length];
            var abs = (T[] x) => x.Select(T.Abs).ToArray();
            GemmReference.Multiply<T>(abs(A), Lda, Form == GemmForm.TN, abs(B), Ldb, Form == GemmForm.NT, _magnitude, Ldc, M, N, K, false);
        }
        var mag = _magnitude;
        double scale = 2.0 * (K + 1) * KernelAssert.Unit<T>();
        return i => scale * (double.CreateTruncating(mag[i]) + (accumulate ? Math.Abs(double.CreateTruncating(C0[i])) : 0));
    }
    private T[]? _magnitude;

    /// <summary>Columns per panel at the current width.</summary>
    public static int PanelWidth => SimdWidth.Lanes<T>() * PackedMatrix<T>.VectorsPerPanel;

    public override string ToString() =>
        $"{Form} {typeof(T).Name} M={M} N={N} K={K} groups={Groups} lda={Lda} ldb={Ldb} ldc={Ldc}";
}
