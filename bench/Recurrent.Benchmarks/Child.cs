using System.Text.Json;
using Recurrent.Benchmarks.Cases;
using Recurrent.Benchmarks.Measurement;
using Recurrent.Benchmarks.Torch;

namespace Recurrent.Benchmarks;

/// <summary>What a child process measured for its one job.</summary>
/// <param name="Job">The job.</param>
/// <param name="Seconds">Per-iteration seconds of each sample (empty for allocation jobs).</param>
/// <param name="Inner">Iterations per sample.</param>
/// <param name="Check">The workload's check value (first-step loss or Σ output²).</param>
/// <param name="PeakKiB">VmHWM at the end: the process's peak resident memory.</param>
/// <param name="BeforeKiB">VmRSS just before the case was set up (runtime and libraries loaded).</param>
/// <param name="PeakCoversCaseOnly">True when the peak was restarted at <paramref name="BeforeKiB"/> (clear_refs).</param>
/// <param name="Library">libtorch's version, for libtorch jobs.</param>
/// <param name="Allocation">Bytes per step, for allocation jobs.</param>
/// <param name="OtherCores">Cores kept busy by other processes while this one measured (see <see cref="CpuActivity"/>).</param>
/// <param name="WarmupSeconds">How long the warm-up took.</param>
/// <param name="Fit">The ML.NET end-to-end result, for fit jobs.</param>
/// <param name="PeerSeconds">For a paired job: libtorch's per-iteration seconds, one per round as <paramref name="Seconds"/> has ours.</param>
/// <param name="PeerCheck">For a paired job: libtorch's check value.</param>
/// <param name="ProbeRates">
/// For a paired training or inference job: the FP32 peak loop's GFLOP/s on the job's threads in each round, run between the two
/// engines' blocks (<see cref="PeakProbe"/>).
/// </param>
internal sealed record ChildResult(Job Job, double[] Seconds, int Inner, double Check, long PeakKiB, long BeforeKiB,
    bool PeakCoversCaseOnly, string? Library, AllocationResult? Allocation, double OtherCores, double WarmupSeconds, FitResult? Fit = null,
    double[]? PeerSeconds = null, double PeerCheck = double.NaN, double[]? ProbeRates = null);

/// <summary>The child side: build one workload, measure it, print one line <c>RESULT {json}</c>.</summary>
internal static class Child
{
    public const string Marker = "RESULT ";

    public static int Run(BenchOptions o, Job job)
    {
        string? library = null;
        if (job.Engine != Engine.Ours && job.Variant != PeakPairing.Variant)
        {
            library = TorchSide.Version; // loads libtorch before the memory baseline
            TorchSide.SetThreads(job.Threads);
        }
        long before = ProcessMemory.CurrentKiB();
        bool reset = ProcessMemory.ResetPeak();
        var activity = new CpuActivity();
        ChildResult result;
        if (job.Family == Family.Fit)
        {
            var fit = MlNetFit.Measure(job.Threads, o.Quick);
            result = new ChildResult(job, [], 0, double.NaN, ProcessMemory.PeakKiB(), before, reset, library, null, activity.OtherCores(), 0, fit);
            Console.Out.WriteLine(Marker + JsonSerializer.Serialize(result, Json.Options));
            return 0;
        }
        if (job.Engine == Engine.Paired)
        {
            // A control pairs an engine with a second instance of itself: its ratio shows what the turns alone do.
            var first = job.Variant == PairedControl.Torch ? Engine.Torch : Engine.Ours;
            var second = job.Variant == PairedControl.Ours ? Engine.Ours : Engine.Torch;
            using var ours = Create(PairedSide(job, first));
            using var peer = job.Variant == PeakPairing.Variant ? new PeakLoop(job.Flops) : Create(PairedSide(job, second));
            var probe = job.Family is Family.Train or Family.Infer && job.Variant.Length == 0 ? new PeakProbe(job.Threads) : null;
            var (a, b, checkA, checkB, warmupBoth, rates) = Sampler.MeasurePaired(ours, peer, o.Sampling, probe);
            result = new ChildResult(job, a, 0, checkA, ProcessMemory.PeakKiB(), before, reset, library, null, activity.OtherCores(), warmupBoth,
                PeerSeconds: b, PeerCheck: checkB, ProbeRates: probe is null ? null : rates);
            Console.Out.WriteLine(Marker + JsonSerializer.Serialize(result, Json.Options));
            return 0;
        }
        using var work = Create(job);
        if (job.Family == Family.Alloc)
        {
            var (warmup, steps) = job.Variant == "train" ? o.TrainAllocSteps : o.StreamAllocSteps;
            var alloc = Allocations.Measure(work, warmup, steps);
            result = new ChildResult(job, [], 0, double.NaN, ProcessMemory.PeakKiB(), before, reset, library, alloc, activity.OtherCores(), 0);
        }
        else
        {
            var (seconds, inner, check, warmup) = Sampler.Measure(work, o.Sampling);
            result = new ChildResult(job, seconds, inner, check, ProcessMemory.PeakKiB(), before, reset, library, null, activity.OtherCores(), warmup);
        }
        Console.Out.WriteLine(Marker + JsonSerializer.Serialize(result, Json.Options));
        return 0;
    }

    /// <summary>The job one side of a paired job runs: the family's usual variant for that engine.</summary>
    private static Job PairedSide(Job paired, Engine e) => paired with
    {
        Engine = e,
        Variant = paired.Family != Family.Stream ? "" : e == Engine.Ours ? OursStreaming.Variant(paired.Shape.B) : "lstmcell",
    };

    private static IWorkload Create(Job j) => (j.Family, j.Engine) switch
    {
        (Family.Train, Engine.Ours) => new OursTraining(j.Shape, j.Threads),
        (Family.Train, _) => new TorchTraining(j.Shape, j.Threads),
        (Family.Infer, Engine.Ours) => new OursInference(j.Shape, j.Threads),
        (Family.Infer, _) => new TorchInference(j.Shape, j.Threads),
        (Family.Stream, Engine.Ours) => new OursStreaming(j.Shape, j.Threads),
        (Family.Stream, _) => new TorchStreaming(j.Shape, j.Threads, j.Variant),
        (Family.Gemm, Engine.Ours) => new OursGemm(j.Shape),
        (Family.Gemm, _) => new TorchGemm(j.Shape),
        (Family.Alloc, Engine.Ours) when j.Variant == "train" => new OursTraining(j.Shape, j.Threads),
        (Family.Alloc, _) when j.Variant == "train" => new TorchTraining(j.Shape, j.Threads),
        (Family.Alloc, Engine.Ours) => new OursStreaming(j.Shape, j.Threads),
        (Family.Alloc, _) => new TorchStreaming(j.Shape, j.Threads, "lstmcell"),
        _ => throw new ArgumentException($"No workload for {j.Label}."),
    };
}
