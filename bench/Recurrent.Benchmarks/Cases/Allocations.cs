using Recurrent.Benchmarks.Measurement;

namespace Recurrent.Benchmarks.Cases;

/// <summary>A workload whose engine can count the managed bytes its own threads allocated (ours: the worker pool's exact count).</summary>
internal interface IEngineAllocations
{
    /// <summary>Bytes allocated so far by the calling thread and the engine's worker threads.</summary>
    long EngineAllocatedBytes();
}

/// <summary>Managed bytes allocated per step after warm-up, three ways.</summary>
/// <param name="Steps">Steps counted.</param>
/// <param name="CallerBytesPerStep">By the calling thread (<see cref="GC.GetAllocatedBytesForCurrentThread"/>).</param>
/// <param name="EngineBytesPerStep">By the calling thread and the engine's workers, exactly (NaN when the engine cannot say).</param>
/// <param name="ProcessBytesPerStep">By every thread of the process (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, precise).</param>
internal sealed record AllocationResult(int Steps, double CallerBytesPerStep, double EngineBytesPerStep, double ProcessBytesPerStep);

/// <summary>(e) Counts the managed allocations of training and streaming steps once warmed up.</summary>
internal static class Allocations
{
    /// <summary>Runs <paramref name="warmup"/> steps, then counts what <paramref name="steps"/> more allocate.</summary>
    public static AllocationResult Measure(IWorkload work, int warmup, int steps)
    {
        for (int i = 0; i < warmup; i++) work.Run();
        var engine = work as IEngineAllocations;
        // Read every counter once first: the first calls themselves allocate a few hundred bytes, once.
        _ = GC.GetAllocatedBytesForCurrentThread() + (engine?.EngineAllocatedBytes() ?? 0) + GC.GetTotalAllocatedBytes(precise: true);
        long caller = GC.GetAllocatedBytesForCurrentThread();
        long own = engine?.EngineAllocatedBytes() ?? 0;
        long process = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) work.Run();
        double callerPer = (GC.GetAllocatedBytesForCurrentThread() - caller) / (double)steps;
        double ownPer = engine is null ? double.NaN : (engine.EngineAllocatedBytes() - own) / (double)steps;
        double processPer = (GC.GetTotalAllocatedBytes(precise: true) - process) / (double)steps;
        return new AllocationResult(steps, callerPer, ownPer, processPer);
    }
}
