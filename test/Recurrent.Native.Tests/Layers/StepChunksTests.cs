using Recurrent.Native.Layers;

namespace Recurrent.Native.Tests.Layers;

/// <summary>
/// <see cref="StepChunks"/>: whatever order the workers claim in, and however many phases follow one another, every
/// block of a phase is handed out exactly once.
/// </summary>
[TestClass]
public sealed class StepChunksTests
{
    [TestMethod]
    public void EveryBlockIsClaimedOnce_InAnyOrderOfOwners()
    {
        for (int workers = 1; workers <= 4; workers++)
            for (int blocks = 0; blocks <= 40; blocks++)
            {
                var counters = new int[StepChunks.Length(workers)];
                var chunks = new StepChunks(counters, blocks, workers);
                chunks.Reset(0);
                for (int phase = 0; phase < 5; phase++)
                {
                    chunks.Reset(phase + 1);
                    var seen = new int[blocks];
                    // Worker phase % workers goes first and takes everything it can, its own run first.
                    for (int v = 0; v < workers; v++)
                        while (chunks.TryClaim(phase, (phase + v) % workers, out int b0, out int b1))
                        {
                            Assert.IsLessThan(b1, b0, $"workers={workers} blocks={blocks}");
                            for (int b = b0; b < b1; b++) seen[b]++;
                        }
                    CollectionAssert.AreEqual(Enumerable.Repeat(1, blocks).ToArray(), seen, $"workers={workers} blocks={blocks} phase={phase}");
                }
            }
    }

    [TestMethod]
    public void ARun_ShrinksToSingleBlocks()
    {
        // 32 blocks (H = 512 at 256 bits): each of 2 workers owns 16, claimed as 6, 4, 2, 2, 1, 1;
        // owner 0's run starts alike.
        var counters = new int[StepChunks.Length(2)];
        var chunks = new StepChunks(counters, 32, 2);
        chunks.Reset(0);
        var sizes = new List<int>();
        while (chunks.TryClaim(0, 1, out int b0, out int b1))
        {
            Assert.AreEqual(16 + sizes.Sum(), b0);
            sizes.Add(b1 - b0);
        }
        CollectionAssert.AreEqual(new[] { 6, 4, 2, 2, 1, 1 }, sizes);
        Assert.IsTrue(chunks.TryClaim(0, 0, out int first, out int end));
        Assert.AreEqual((0, 6), (first, end));
    }

    [TestMethod]
    public void ConcurrentWorkers_ShareEveryBlockExactlyOnce()
    {
        const int workers = 2, blocks = 32, phases = 2000;
        var counters = new int[StepChunks.Length(workers)];
        var seen = new int[phases, blocks];
        new StepChunks(counters, blocks, workers).Reset(0);
        using var barrier = new Barrier(workers);
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            var chunks = new StepChunks(counters, blocks, workers);
            for (int phase = 0; phase < phases; phase++)
            {
                if (w == 0) chunks.Reset(phase + 1);
                for (int v = 0; v < workers; v++)
                    while (chunks.TryClaim(phase, (w + v) % workers, out int b0, out int b1))
                        for (int b = b0; b < b1; b++) Interlocked.Increment(ref seen[phase, b]);
                barrier.SignalAndWait();
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        for (int phase = 0; phase < phases; phase++)
            for (int b = 0; b < blocks; b++)
                Assert.AreEqual(1, seen[phase, b], $"phase {phase} block {b}");
    }
}
