using Recurrent.Native.Inference;
using Recurrent.Native.Network;
using Recurrent.Native.Tests.TestSupport;
using Recurrent.Native.Threading;

namespace Recurrent.Native.Tests.Inference;

/// <summary>Memory (nothing allocated per call after warm-up) and threads (one engine per thread; overlapping calls throw).</summary>
[TestClass]
public sealed class StreamingResourceTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// After warm-up, calls of every kind — one stream, many streams one step, a subset several steps — and removing and
    /// re-adding a stream allocate nothing, on the calling thread and (with two workers, forced to split even these small
    /// layers) on the worker thread.
    /// </summary>
    [TestMethod]
    [DataRow(1, false)]
    [DataRow(2, false)]
    [DataRow(2, true)]
    public void CallsAllocateNothingAfterWarmUp(int threads, bool splitRows)
    {
        using var forced = new SplitEveryCall(splitRows ? TimeLoopSplit.Rows : TimeLoopSplit.Units);
        using var pool = new WorkerPool(threads);
        var net = new RecurrentNetwork<float>(Streams.Stack("mixed"), seed: 1);
        var engine = new StreamingPredictor<string, float>(net, pool);
        var keys = Enumerable.Range(0, 8).Select(i => $"stream {i}").ToArray();
        foreach (var k in keys) engine.Add(k);
        var one = Streams.Series<float>(1, 5, seed: 1);
        var many = Streams.Series<float>(8, 5, seed: 2);
        var multi = Streams.Series<float>(3 * 8, 5, seed: 3);
        float[] oneOut = new float[4], manyOut = new float[8 * 4], multiOut = new float[3 * 8 * 4];
        void Calls()
        {
            engine.Predict(keys[0], one, oneOut);
            engine.PredictMany(keys, many, manyOut);
            engine.PredictMany(keys.AsSpan(2, 4), 3, multi.AsSpan(0, 3 * 4 * 5), multiOut.AsSpan(0, 3 * 4 * 4));
            engine.PredictMany(keys, 3, multi, multiOut);
            engine.Remove(keys[7]);
            engine.Add(keys[7]);
            engine.Reset(keys[6]);
        }
        for (int i = 0; i < 5; i++) Calls();     // warm-up: buffers sized, code jitted
        // The first time an idle worker blocks on its semaphore, the runtime allocates once (about 150 bytes) on that
        // thread: let it happen in the warm-up rather than whenever the measured loop is descheduled for 1 ms.
        Thread.Sleep(50);
        Calls();
        long before = pool.AllocatedBytes();
        for (int i = 0; i < 200; i++) Calls();
        long allocated = pool.AllocatedBytes() - before;
        TestContext.WriteLine($"threads {threads}: {allocated} bytes over 200 rounds of calls");
        Assert.AreEqual(0L, allocated, $"threads = {threads}");
    }

    /// <summary>A call that starts while another runs on the same engine throws; the engine works again afterwards.</summary>
    [TestMethod]
    public void OverlappingCallsOnOneEngineThrow()
    {
        var engine = new StreamingPredictor<GateKey, float>(new RecurrentNetwork<float>(Streams.Stack("lstm"), seed: 1));
        GateKey blocking = new(1), other = new(2);
        engine.Add(blocking);
        engine.Add(other);
        var step = Streams.Series<float>(1, 5, seed: 4);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        blocking.Gate = (entered, release);
        var running = Task.Run(() => engine.Predict(blocking, step));
        Assert.IsTrue(entered.Wait(TimeSpan.FromSeconds(30)), "the first call reached the key lookup");
        blocking.Gate = null;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => engine.Predict(other, step));
        StringAssert.Contains(e.Message, "serves one thread at a time");
        Assert.ThrowsExactly<InvalidOperationException>(() => engine.Add(new GateKey(3)));
        Assert.ThrowsExactly<InvalidOperationException>(() => engine.ExportState(other));
        release.Set();
        Assert.IsTrue(running.Wait(TimeSpan.FromSeconds(30)));
        CollectionAssert.AreEqual(running.Result, engine.Predict(other, step), "both streams started from zero with the same step");
    }

    /// <summary>The documented pattern: one engine per thread over the same network, running at the same time.</summary>
    [TestMethod]
    public void OneEnginePerThreadRunsConcurrently()
    {
        var net = new RecurrentNetwork<float>(Streams.Stack("graves"), seed: 2);
        var series = Enumerable.Range(0, 2).Select(i => Streams.Series<float>(200, 5, seed: 10 + i)).ToArray();
        var outputs = new float[2][];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var engine = new StreamingPredictor<int, float>(net);
            engine.Add(i);
            outputs[i] = new float[200 * 4];
            for (int t = 0; t < 200; t++) engine.Predict(i, series[i].AsSpan(t * 5, 5), outputs[i].AsSpan(t * 4, 4));
        });
        for (int i = 0; i < 2; i++) Streams.AreClose<float>(Streams.Full(net, series[i]), outputs[i], $"thread {i}");
    }

    /// <summary>A key whose hash code, while <see cref="Gate"/> is set, signals that a call reached it and waits for release.</summary>
    private sealed class GateKey(int id) : IEquatable<GateKey>
    {
        public (ManualResetEventSlim Entered, ManualResetEventSlim Release)? Gate;

        public bool Equals(GateKey? other) => other is not null && other.Id == Id;
        public override bool Equals(object? obj) => Equals(obj as GateKey);
        public override int GetHashCode()
        {
            if (Gate is var (entered, release))
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }
            return Id;
        }
        private int Id => id;
    }
}
