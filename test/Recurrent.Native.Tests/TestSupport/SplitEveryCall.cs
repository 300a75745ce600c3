using Recurrent.Native.Threading;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>
/// Lowers <see cref="Parallelism.MinimumFlopsPerBarrier"/> to 0 until disposed, so that every layer call is split between
/// the workers however small: test networks are far below the threshold, and one worker would otherwise do everything.
/// It also forces how recurrent layers split their time loop (<see cref="Parallelism.RecurrentSplit"/>), which the
/// layers otherwise choose from the shape.
/// </summary>
internal sealed class SplitEveryCall : IDisposable
{
    private readonly long _keep = Parallelism.MinimumFlopsPerBarrier;
    private readonly TimeLoopSplit _keepSplit = Parallelism.RecurrentSplit;

    public SplitEveryCall(TimeLoopSplit split)
    {
        Parallelism.MinimumFlopsPerBarrier = 0;
        Parallelism.RecurrentSplit = split;
    }

    public void Dispose()
    {
        Parallelism.MinimumFlopsPerBarrier = _keep;
        Parallelism.RecurrentSplit = _keepSplit;
    }
}
