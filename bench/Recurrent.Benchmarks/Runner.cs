using System.Diagnostics;
using System.Text.Json;
using Recurrent.Benchmarks.Cases;
using Recurrent.Benchmarks.Measurement;
using Recurrent.Benchmarks.Torch;

namespace Recurrent.Benchmarks;

/// <summary>A job's samples pooled over its processes, or the error that stopped it.</summary>
/// <param name="Job">The job.</param>
/// <param name="Runs">One result per process that succeeded.</param>
/// <param name="Errors">One message per process that failed.</param>
internal sealed record Measured(Job Job, IReadOnlyList<ChildResult> Runs, IReadOnlyList<string> Errors)
{
    /// <summary>Per-iteration seconds over every sample of every process, or null when none.</summary>
    public Summary? Time => Runs.Any(r => r.Seconds.Length > 0) ? Summary.Of([.. Runs.SelectMany(r => r.Seconds)]) : null;
    /// <summary>Median seconds of each process.</summary>
    public double[] ProcessMedians => [.. Runs.Where(r => r.Seconds.Length > 0).Select(r => Summary.Of(r.Seconds).Median)];
    /// <summary>The check value of the first run.</summary>
    public double Check => Runs.Count > 0 ? Runs[0].Check : double.NaN;
    /// <summary>Highest VmHWM over the processes, KiB.</summary>
    public long PeakKiB => Runs.Count > 0 ? Runs.Max(r => r.PeakKiB) : 0;
    /// <summary>Mean cores kept busy by other processes while this job measured.</summary>
    public double OtherCores => Runs.Count > 0 ? Runs.Average(r => r.OtherCores) : double.NaN;
    /// <summary>Highest growth of the peak over the resident size before setup, KiB.</summary>
    public long CaseKiB => Runs.Count > 0 ? Runs.Max(r => r.PeakKiB - r.BeforeKiB) : 0;
    /// <summary>A paired job's per-round speed ratios, libtorch's time / ours, over every process; null for other jobs.</summary>
    public Summary? PairedRatio => Runs.Any(r => r.PeerSeconds is { Length: > 0 })
        ? Summary.Of([.. Runs.Where(r => r.PeerSeconds is not null).SelectMany(r => r.PeerSeconds!.Zip(r.Seconds, (t, o) => t / o))]) : null;
    /// <summary>A paired job's rounds that ran the peak probe, over every process: ours and libtorch's seconds per iteration, the probe's GFLOP/s.</summary>
    public IReadOnlyList<(double Ours, double Torch, double Probe)> ProbedRounds =>
        [.. Runs.Where(r => r.ProbeRates is { Length: > 0 } && r.PeerSeconds is not null)
            .SelectMany(r => r.ProbeRates!.Select((p, i) => (r.Seconds[i], r.PeerSeconds![i], p)))];
    /// <summary>A paired job's libtorch seconds per iteration over every round of every process.</summary>
    public Summary? PeerTime => Runs.Any(r => r.PeerSeconds is { Length: > 0 }) ? Summary.Of([.. Runs.SelectMany(r => r.PeerSeconds ?? [])]) : null;
}

/// <summary>The parent side: measures the peak, then runs every job in its own child process and pools the results.</summary>
internal static class Runner
{
    /// <summary>Every job the options ask for, engines interleaved case by case.</summary>
    public static List<Job> Plan(BenchOptions o)
    {
        var jobs = new List<Job>();
        void Add(Family f, Shape s, int threads, Engine e, string variant = "")
        {
            if (o.Engines.Contains(e)) jobs.Add(new Job(f, e, variant, s, threads));
        }
        var streams = new[] { StreamShape, ManyStreams };
        foreach (var f in Enum.GetValues<Family>().Where(o.Cases.Contains))
        {
            switch (f)
            {
                case Family.Train or Family.Infer:
                    foreach (var s in o.Shapes)
                        foreach (int t in o.Threads)
                        {
                            Add(f, s, t, Engine.Ours);
                            Add(f, s, t, Engine.Torch);
                            Add(f, s, t, Engine.TorchDefault);
                            Add(f, s, t, Engine.Paired);
                            if (o.PairedControls)
                                foreach (var v in new[] { PairedControl.Ours, PairedControl.Torch }) Add(f, s, t, Engine.Paired, v);
                        }
                    break;
                case Family.Stream:
                    foreach (var s in streams)
                        foreach (int t in o.Threads)
                        {
                            Add(f, s, t, Engine.Ours, OursStreaming.Variant(s.B));
                            foreach (var v in TorchStreaming.Variants) Add(f, s, t, Engine.Torch, v);
                            Add(f, s, t, Engine.Paired, "lstmcell");
                        }
                    break;
                case Family.Gemm:
                    foreach (var s in o.GemmShapes)
                    {
                        Add(f, s, 1, Engine.Ours);
                        Add(f, s, 1, Engine.Torch);
                        Add(f, s, 1, Engine.Paired);
                        Add(f, s, 1, Engine.Paired, PeakPairing.Variant);
                    }
                    break;
                case Family.Alloc:
                    foreach (int t in o.Threads)
                        foreach (var (s, v) in new[] { (o.Shapes[0], "train"), (streams[0], "stream"), (streams[1], "stream") })
                        {
                            Add(f, s, t, Engine.Ours, v);
                            Add(f, s, t, Engine.Torch, v);
                        }
                    break;
                case Family.Fit:
                    foreach (int t in o.Threads) Add(f, new Shape(12, 64, 16, 29), t, Engine.Ours);
                    break;
            }
        }
        return jobs;
    }

    /// <summary>Runs the plan <see cref="BenchOptions.Processes"/> times over, printing progress to stderr.</summary>
    public static List<Measured> RunAll(BenchOptions o, List<Job> plan)
    {
        var runs = plan.ToDictionary(j => j, _ => (Results: new List<ChildResult>(), Errors: new List<string>()));
        int total = plan.Count * o.Processes, n = 0;
        for (int round = 0; round < o.Processes; round++)
            foreach (var job in plan)
            {
                Console.Error.Write($"[{++n}/{total}] {job.Label} ... ");
                if (o.QuietCores > 0) Console.Error.Write($"(waited {CpuActivity.WaitForQuiet(o.QuietCores, o.QuietMaxSeconds):F0} s for a quieter machine) ");
                try
                {
                    var r = RunChild(o, job);
                    runs[job].Results.Add(r);
                    Console.Error.WriteLine((r.PeerSeconds is { Length: > 0 } peer ? $"ours {Summary.Of(r.Seconds).Map(s => s * 1e3).Format(Summary.ThreeDigits)} ms, " +
                            $"{(job.Variant == PeakPairing.Variant ? "FMA loop" : "libtorch")} {Summary.Of(peer).Map(s => s * 1e3).Format(Summary.ThreeDigits)} ms, paired ratio {Summary.Of([.. peer.Zip(r.Seconds, (t, o) => t / o)]).Format(x => x.ToString("F2"))}, rounds={r.Seconds.Length}" +
                            (r.ProbeRates is { Length: > 0 } rates ? $", peak loop {Summary.Of(rates).Format(x => x.ToString("F1"))} GFLOP/s" : "")
                        : r.Seconds.Length > 0 ? $"{Summary.Of(r.Seconds).Map(s => s * 1e3).Format(Summary.ThreeDigits)} ms, n={r.Seconds.Length}"
                        : r.Fit is { } fit ? $"Fit {fit.FitSeconds:F1} s, engine computing {fit.ComputeSeconds:F1} s" : "done") +
                        $", warm-up {r.WarmupSeconds:F1} s, other processes busy on {r.OtherCores:F1} cores");
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or JsonException)
                {
                    runs[job].Errors.Add(e.Message);
                    Console.Error.WriteLine("FAILED: " + e.Message);
                }
            }
        return [.. plan.Select(j => new Measured(j, runs[j].Results, runs[j].Errors))];
    }

    /// <summary>Starts this program as a child for one job, with the environment its engine needs, and reads its result.</summary>
    private static ChildResult RunChild(BenchOptions o, Job job)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's path.");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Runner).Assembly.Location);
        foreach (var a in new[] { "--child", JsonSerializer.Serialize(job, Json.Options), "--sampling", JsonSerializer.Serialize(o.Sampling, Json.Options) })
            psi.ArgumentList.Add(a);
        if (o.Quick) psi.ArgumentList.Add("--quick");
        psi.Environment.Remove("GLIBC_TUNABLES");
        if (job.Engine != Engine.Ours) psi.Environment["OMP_NUM_THREADS"] = job.Threads.ToString();
        if (job.Engine is Engine.Torch or Engine.Paired) psi.Environment["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1";

        using var child = Process.Start(psi) ?? throw new InvalidOperationException("Could not start a child process.");
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        var limit = job.Family == Family.Fit ? TimeSpan.FromMinutes(20)
            : TimeSpan.FromSeconds((job.Engine == Engine.Paired ? 2 : 1) * (120 + o.Sampling.WarmupSeconds + o.Sampling.MaxWarmupSeconds + 2 * o.Sampling.MaxSeconds));
        if (!child.WaitForExit(limit))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"the child did not finish within {limit.TotalSeconds:F0} s and was stopped");
        }
        child.WaitForExit();
        string line = stdout.Result.Split('\n').FirstOrDefault(l => l.StartsWith(Child.Marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"exit code {child.ExitCode}, no result; stderr: {Tail(stderr.Result)}");
        return JsonSerializer.Deserialize<ChildResult>(line[Child.Marker.Length..], Json.Options)
            ?? throw new InvalidOperationException("empty result");
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 4))).Trim();
    }

    /// <summary>The streaming step's shape whose weight read <see cref="MeasureWeightRead"/> times.</summary>
    public static readonly Shape StreamShape = new(64, 256, 1, 1);

    /// <summary>Microseconds to read one streaming step's weights (<see cref="WeightRead"/>) for every thread count of the plan; empty without streaming cases.</summary>
    public static Dictionary<int, double[]> MeasureWeightRead(BenchOptions o)
    {
        long bytes = WeightRead.StepBytes(StreamShape);
        return PerThreadCount(o, $"Reading {bytes} bytes of streaming weights", t => WeightRead.Measure(bytes, t, o.PeakSamples, o.PeakSampleSeconds));
    }

    /// <summary>
    /// Microseconds of the two products alone of one streaming step of 32 streams (<see cref="StepProduct"/>) for every
    /// thread count of the plan; empty without streaming cases.
    /// </summary>
    public static Dictionary<int, double[]> MeasureStepProduct(BenchOptions o) =>
        PerThreadCount(o, $"Products of one step of {ManyStreams.B} streams", t => StepProduct.Measure(ManyStreams, t, o.PeakSamples, o.PeakSampleSeconds));

    /// <summary>A floor of the streaming cases, µs samples per thread count of the plan; empty without streaming cases.</summary>
    private static Dictionary<int, double[]> PerThreadCount(BenchOptions o, string what, Func<int, double[]> measure)
    {
        var times = new Dictionary<int, double[]>();
        if (!o.Cases.Contains(Family.Stream)) return times;
        foreach (int t in o.Threads.Order())
        {
            Console.Error.Write($"{what}, {t} thread(s) ... ");
            times[t] = measure(t);
            Console.Error.WriteLine($"{Summary.Of(times[t]).Format(x => x.ToString("F1"))} µs");
        }
        return times;
    }

    /// <summary>The streaming case of many streams, whose products <see cref="MeasureStepProduct"/> times.</summary>
    public static readonly Shape ManyStreams = StreamShape with { B = 32 };

    /// <summary>The measured FP32 peak (GFLOP/s samples) for 1 thread and every thread count of the plan.</summary>
    public static Dictionary<int, double[]> MeasurePeak(BenchOptions o)
    {
        var peaks = new Dictionary<int, double[]>();
        foreach (int t in o.Threads.Append(1).Distinct().Order())
        {
            Console.Error.Write($"FP32 peak, {t} thread(s), Vector{Peak.Bits} FMA ... ");
            peaks[t] = Peak.Measure(t, o.PeakSamples, o.PeakSampleSeconds);
            Console.Error.WriteLine($"{Summary.Of(peaks[t]).Format(x => x.ToString("F1"))} GFLOP/s");
        }
        return peaks;
    }
}
