using Recurrent.Native.Threading;

namespace Recurrent.Native.Tests.TestSupport;

/// <summary>
/// Lowers <see cref="Parallelism.MinimumFlopsPerBarrier"/> to 0 until disposed, so that every layer call is split between
/// the workers however small: test networks are far below the threshold, and one worker would otherwise do everything.
/// </summary>
internal sealed class SplitEveryCall : IDisposable
{
    private readonly long _keep = Parallelism.MinimumFlopsPerBarrier;

    public SplitEveryCall() => Parallelism.MinimumFlopsPerBarrier = 0;

    public void Dispose() => Parallelism.MinimumFlopsPerBarrier = _keep;
}
