using System.Diagnostics;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Tests.Threading;

/// <summary>The pool's hand-off: a job reaches every worker whether it was spinning, yielding or asleep.</summary>
[TestClass]
public sealed class WorkerPoolTests
{
    /// <summary>
    /// Jobs after idle gaps around the moment a worker stops yielding and goes to sleep (about 1 ms): every job runs on
    /// the other worker too, and none waits forever. A worker that announced its sleep with a store not fenced from its
    /// next read of the generation could once be missed there by Run, which then waited for it forever; that race is
    /// rare, so this test guards the path more than it proves the race gone (see WorkerPool.SpinUntilChanged).
    /// </summary>
    [TestMethod]
    public void Run_ReachesWorkersAfterIdleGaps()
    {
        const int jobs = 1500;
        var pool = new WorkerPool(2);
        var job = new CountingJob();
        var rng = new Random(5);
        var run = Task.Run(() =>
        {
            for (int i = 0; i < jobs; i++)
            {
                double gap = 0.9e-3 + rng.NextDouble() * 0.4e-3;
                long start = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(start).TotalSeconds < gap) { }
                pool.Run(job);
            }
        });
        // A missed wake-up leaves Run waiting forever: fail instead of hanging (the pool's threads are background threads).
        Assert.IsTrue(run.Wait(TimeSpan.FromSeconds(60)), $"Run never returned after {job.OnWorker1} jobs: a worker was not woken.");
        pool.Dispose();
        Assert.AreEqual(jobs, job.OnWorker1);
    }

    private sealed class CountingJob : IParallelJob
    {
        public int OnWorker1;
        public void Execute(int worker, int workers) { if (worker == 1) Interlocked.Increment(ref OnWorker1); }
    }
}
