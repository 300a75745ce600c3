using System.Text.Json;
using Recurrent.Benchmarks.Measurement;

namespace Recurrent.Benchmarks;

/// <summary>The command line. Defaults give the full comparison; <c>--quick</c> a smoke run of seconds.</summary>
internal sealed class BenchOptions
{
    /// <summary>The shapes (I, H, B, T) of the training and inference cases.</summary>
    public static readonly Shape[] FullShapes = [new(64, 256, 32, 100), new(32, 128, 64, 50), new(65, 512, 32, 100), new(8, 64, 16, 200)];

    public const string Usage = """
        Recurrent.Benchmarks: this engine vs libtorch (TorchSharp-cpu), side by side, each measurement in its own process.

          --cases LIST        train,infer,stream,gemm,alloc,fit (default: all)
          --threads LIST      thread counts, e.g. 1,2 (default: 1,2)
          --shape I,H,B,T     a training/inference shape; repeat for several (default: the four of the issue)
          --gemm M,K,N        a GEMM [M x K] . [K x N] for the gemm case, N a multiple of 4 and K > N/4; repeat for
                              several (default: 32,320,1024, the issue's, and 32,578,2048, 32,2048,512 and
                              2048,3200,512, the products of a 65,512,32,100 training step)
          --engines LIST      ours,torch,torch-default,paired (default: all; torch-default only runs train and infer;
                              paired runs ours and torch in one process, taking turns, for train, infer, stream and gemm)
          --paired-controls   also pair each engine with itself for train and infer (the ratio should be 1: what the turns alone do)
          --samples N         timed samples per measurement and process (default 10)
          --warmup SECONDS    minimum warm-up per measurement, also ≥ 5 iterations, then until the speed is stable (default 2)
          --max-seconds S     stop sampling a measurement after S seconds once 5 samples are taken (default 20)
          --processes N       repeat the whole plan N times, each measurement in a new process, samples pooled (default 2)
          --quiet CORES,SECONDS  before each measurement, wait until other processes use fewer than CORES cores
                              (over 1 s), for at most SECONDS (default: no wait)
          --json PATH         write every sample and setting as JSON
          --markdown PATH     write the report into PATH (between its generated-section markers, or a new file)
          --quick             smoke run: one small shape, 1 thread, 3 short samples
          --report-from PATH  measure nothing: render the report of the run that --json wrote to PATH (with --markdown, into a file)
        """;

    public HashSet<Family> Cases { get; private set; } = [.. Enum.GetValues<Family>()];
    public int[] Threads { get; private set; } = [1, 2];
    public Shape[] Shapes { get; private set; } = FullShapes;
    /// <summary>
    /// The default GEMMs of the gemm case and what each one is: the issue's recurrent GEMM, then the three products that
    /// take most of a training step of 65,512,32,100 (the largest training case), so that the report shows where
    /// that step's time goes against libtorch's GEMM on the same shapes.
    /// </summary>
    public static readonly (Shape Shape, string Role)[] DefaultGemms =
    [
        (Shape.OfGemm("32,320,1024"), "the issue's recurrent GEMM (64,256,32 step)"),
        (Shape.OfGemm("32,578,2048"), "65,512,32,100 training: forward step, [x, h, 1] · W"),
        (Shape.OfGemm("32,2048,512"), "65,512,32,100 training: backward step, dz · W_hh"),
        (Shape.OfGemm("2048,3200,512"), "65,512,32,100 training: weight gradient dzᵀ · H"),
    ];

    /// <summary>The GEMMs of the gemm case, each carried as the LSTM step whose product it is (<see cref="Shape.OfGemm"/>).</summary>
    public Shape[] GemmShapes { get; private set; } = [.. DefaultGemms.Select(g => g.Shape)];
    public HashSet<Engine> Engines { get; private set; } = [.. Enum.GetValues<Engine>()];
    public SamplingSettings Sampling { get; private set; } = new(2.0, 5, 30, 10, 0.02, 20, 5);
    public int Processes { get; private set; } = 2;
    /// <summary>Add paired jobs of each engine against itself (<see cref="PairedControl"/>).</summary>
    public bool PairedControls { get; private set; }
    public int PeakSamples { get; private set; } = 21;
    public double PeakSampleSeconds { get; private set; } = 0.05;
    /// <summary>Warm-up and counted steps of the allocation cases: training, streaming.</summary>
    public (int Warmup, int Steps) TrainAllocSteps { get; private set; } = (3, 5);
    public (int Warmup, int Steps) StreamAllocSteps { get; private set; } = (200, 2000);
    /// <summary>Wait before each measurement until other processes use fewer cores than this (0 = never wait)...</summary>
    public double QuietCores { get; private set; }
    /// <summary>...but no longer than this.</summary>
    public double QuietMaxSeconds { get; private set; }
    public string? JsonPath { get; private set; }
    public string? MarkdownPath { get; private set; }
    public bool Quick { get; private set; }
    /// <summary>Render the report of the run saved in this JSON file instead of measuring.</summary>
    public string? ReportFrom { get; private set; }
    /// <summary>Set in a child process: the one job to run.</summary>
    public Job? Child { get; private set; }
    /// <summary>The arguments as given.</summary>
    public string[] Arguments { get; private set; } = [];

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions { Arguments = args };
        if (args.Contains("--quick")) o.ApplyQuick();
        var shapes = new List<Shape>();
        var gemms = new List<Shape>();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick": break;
                case "--paired-controls": o.PairedControls = true; break;
                case "--cases": o.Cases = [.. List(Value()).Select(ParseEnum<Family>)]; break;
                case "--threads": o.Threads = [.. List(Value()).Select(t => Positive(t, "--threads"))]; break;
                case "--shape": shapes.Add(Shape.Parse(Value())); break;
                case "--gemm": gemms.Add(Shape.OfGemm(Value())); break;
                case "--engines": o.Engines = [.. List(Value()).Select(e => ParseEnum<Engine>(e.Replace("-", "")))]; break;
                case "--samples": o.Sampling = o.Sampling with { Samples = Positive(Value(), "--samples") }; break;
                case "--warmup": o.Sampling = o.Sampling with { WarmupSeconds = NonNegative(Value(), "--warmup") }; break;
                case "--max-seconds": o.Sampling = o.Sampling with { MaxSeconds = NonNegative(Value(), "--max-seconds") }; break;
                case "--processes": o.Processes = Positive(Value(), "--processes"); break;
                case "--quiet":
                    var q = List(Value());
                    if (q.Length != 2) throw new ArgumentException("--quiet takes CORES,SECONDS, e.g. 0.3,120.");
                    (o.QuietCores, o.QuietMaxSeconds) = (NonNegative(q[0], "--quiet"), NonNegative(q[1], "--quiet"));
                    break;
                case "--json": o.JsonPath = Value(); break;
                case "--markdown": o.MarkdownPath = Value(); break;
                case "--report-from": o.ReportFrom = Value(); break;
                case "--child": o.Child = JsonSerializer.Deserialize<Job>(Value(), Json.Options); break;
                case "--sampling": o.Sampling = JsonSerializer.Deserialize<SamplingSettings>(Value(), Json.Options)!; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (shapes.Count > 0) o.Shapes = [.. shapes];
        if (gemms.Count > 0) o.GemmShapes = [.. gemms];
        o.Sampling = o.Sampling with { MinSamples = Math.Min(o.Sampling.MinSamples, o.Sampling.Samples) };
        return o;
    }

    private void ApplyQuick()
    {
        Quick = true;
        Processes = 1;
        Threads = [1];
        Shapes = [FullShapes[^1]];
        GemmShapes = [DefaultGemms[0].Shape];
        Engines.Remove(Engine.TorchDefault);
        Sampling = new SamplingSettings(1.0, 2, 5, 3, 0.005, 2, 3);
        PeakSamples = 3;
        PeakSampleSeconds = 0.05;
        TrainAllocSteps = (1, 2);
        StreamAllocSteps = (20, 100);
    }

    private static string[] List(string v) => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static T ParseEnum<T>(string v) where T : struct, Enum =>
        Enum.TryParse<T>(v, ignoreCase: true, out var e) && Enum.IsDefined(e)
            ? e : throw new ArgumentException($"Unknown value '{v}'; expected one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}.");

    private static int Positive(string v, string name) =>
        int.TryParse(v, out int n) && n > 0 ? n : throw new ArgumentException($"{name} takes positive integers; got '{v}'.");

    private static double NonNegative(string v, string name) =>
        double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out double d) && d >= 0
            ? d : throw new ArgumentException($"{name} takes a number ≥ 0; got '{v}'.");
}
