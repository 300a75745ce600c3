using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recurrent.Benchmarks;

/// <summary>The case families of the comparison.</summary>
internal enum Family
{
    /// <summary>(a) One training step: forward + backward + Adam, dense head and cross-entropy at every step.</summary>
    Train,
    /// <summary>(b) Full-sequence inference: LSTM + head, no gradient.</summary>
    Infer,
    /// <summary>(c) Streaming: one time step per call for 1 or many streams, state carried between calls.</summary>
    Stream,
    /// <summary>(d) The recurrent GEMM alone, one thread.</summary>
    Gemm,
    /// <summary>(e) Managed bytes allocated per training or streaming step after warm-up.</summary>
    Alloc,
    /// <summary>(f) ML.NET end to end: <c>Fit</c> of the JapaneseVowels sample and the part of it spent outside the engine.</summary>
    Fit,
}

/// <summary>Who runs a job.</summary>
internal enum Engine
{
    /// <summary>This project's engine, Recurrent.Native.</summary>
    Ours,
    /// <summary>libtorch through TorchSharp, with <c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c> (its best allocator setting).</summary>
    Torch,
    /// <summary>libtorch through TorchSharp with glibc's default allocator settings.</summary>
    TorchDefault,
    /// <summary>
    /// Ours and <see cref="Torch"/> in one process, taking turns block by block (<see cref="Measurement.Sampler.MeasurePaired"/>):
    /// the speed ratio under the same machine conditions. Not for memory, which the separate processes measure.
    /// </summary>
    Paired,
}

/// <summary>Variants of a <see cref="Engine.Paired"/> job that pair an engine with itself (<c>--paired-controls</c>).</summary>
internal static class PairedControl
{
    /// <summary>Ours against ours.</summary>
    public const string Ours = "control-ours";
    /// <summary>libtorch against libtorch.</summary>
    public const string Torch = "control-torch";
}

/// <summary>
/// The variant of a <see cref="Engine.Paired"/> GEMM job whose other side is the FP32 peak loop (<see cref="Measurement.Peak"/>,
/// one thread) doing the GEMM's FLOPs: the loop's time over the GEMM's, round by round, is the GEMM's fraction of the
/// peak under the same machine conditions.
/// </summary>
internal static class PeakPairing
{
    /// <summary>The variant's name.</summary>
    public const string Variant = "fma-loop";
}

/// <summary>An LSTM problem size: I inputs, H hidden units, B sequences (or streams, or GEMM rows), T steps.</summary>
internal sealed record Shape(int I, int H, int B, int T)
{
    /// <summary>FLOPs of the LSTM matmuls of one forward pass: 2·B·T·4H·(I+H) (head, loss and optimizer not counted).</summary>
    public double ForwardFlops => 2.0 * B * T * 4 * H * (I + H);

    /// <summary>"I,H,B,T".</summary>
    public override string ToString() => $"{I},{H},{B},{T}";

    /// <summary>Parses "I,H,B,T".</summary>
    public static Shape Parse(string text)
    {
        var v = Positives(text, "A shape", "I,H,B,T");
        return new Shape(v[0], v[1], v[2], v[3]);
    }

    /// <summary>
    /// Parses "M,K,N", a GEMM [M × K] · [K × N], into the one-step LSTM shape whose step product it is: B = M, H = N / 4,
    /// I = K − H (see <see cref="Cases.OursGemm.Dimensions"/>), so that N must be a multiple of 4 and K larger than N / 4.
    /// </summary>
    public static Shape OfGemm(string text)
    {
        var v = Positives(text, "A GEMM", "M,K,N");
        int m = v[0], k = v[1], n = v[2];
        if (n % 4 != 0 || k <= n / 4)
            throw new ArgumentException($"A GEMM M,K,N runs as the step product of an LSTM (H = N/4, I = K - H): N must be a multiple of 4 and K > N/4; got '{text}'.");
        return new Shape(k - n / 4, n / 4, m, 1);
    }

    /// <summary>The comma-separated positive integers of <paramref name="text"/>, as many as <paramref name="names"/> has.</summary>
    private static int[] Positives(string text, string what, string names)
    {
        var p = text.Split(',');
        int count = names.Split(',').Length;
        int[] v = new int[p.Length];
        if (p.Length != count || !p.Select((s, i) => int.TryParse(s, out v[i]) && v[i] > 0).All(ok => ok))
            throw new ArgumentException($"{what} is {count} positive integers {names}; got '{text}'.");
        return v;
    }
}

/// <summary>
/// One measurement, run in its own child process: a case family, an engine, a variant within the family
/// (streaming: the call or module used; allocations: "train" or "stream"), a shape and a thread count.
/// </summary>
internal sealed record Job(Family Family, Engine Engine, string Variant, Shape Shape, int Threads)
{
    /// <summary>FLOPs counted per iteration: forward for inference, streaming and GEMM, 3 × forward for training.</summary>
    public double Flops => Family == Family.Train ? 3 * Shape.ForwardFlops : Shape.ForwardFlops;

    /// <summary>A one-line description for progress messages.</summary>
    [JsonIgnore]
    public string Label => $"{Family.ToString().ToLowerInvariant()} {Shape} thr={Threads} {Engine}{(Variant.Length > 0 ? "/" + Variant : "")}";

    /// <summary>Jobs that compare engines on the same case share this key.</summary>
    [JsonIgnore]
    public string CaseKey => $"{Family}|{Shape}|{Threads}";
}

/// <summary>JSON settings shared by the child protocol and the output file.</summary>
internal static class Json
{
    /// <summary>camelCase, enums as strings, NaN allowed (as "NaN").</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };
}
