using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>ML.NET's own data operations accept the loaders' views: typed enumeration, caching, shuffling, splitting.</summary>
[TestClass]
public sealed class MlNetInteropTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private sealed class Sequence
    {
        public float[] Features { get; set; } = [];

        [KeyType(3)]
        public uint[] Label { get; set; } = [];
    }

    private static IDataView LoadTen(TempFolder folder)
    {
        for (int i = 0; i < 10; i++)
        {
            folder.Write($"f_{i}.csv", Enumerable.Range(0, i + 1).Select(t => $"{i},{t}").ToArray());
            folder.Write($"l_{i}.csv", Enumerable.Range(0, i + 1).Select(t => $"{(i + t) % 3}").ToArray());
        }
        return Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["f_%d.csv"], 0, 9),
            SequenceFileSet.FromNumberedPattern(folder["l_%d.csv"], 0, 9), new SequenceTextFileOptions { ClassCount = 3 });
    }

    [TestMethod]
    public void CreateEnumerable_ReadsVariableLengthRowsIntoArrays()
    {
        using var folder = new TempFolder();
        var rows = Ml.Data.CreateEnumerable<Sequence>(LoadTen(folder), reuseRowObject: false).ToList();

        Assert.HasCount(10, rows);
        CollectionAssert.AreEqual(new float[] { 2, 0, 2, 1, 2, 2 }, rows[2].Features);
        CollectionAssert.AreEqual(new uint[] { 3, 1, 2 }, rows[2].Label);
    }

    [TestMethod]
    public void CacheShuffleAndSplit_KeepEveryRow()
    {
        using var folder = new TempFolder();
        var view = LoadTen(folder);

        var cached = ViewReader.Vectors<float>(Ml.Data.Cache(view), "Features");
        var shuffled = ViewReader.Vectors<float>(Ml.Data.ShuffleRows(view, seed: 5), "Features");
        var split = Ml.Data.TrainTestSplit(view, testFraction: 0.3, seed: 5);
        int trainRows = ViewReader.Vectors<float>(split.TrainSet, "Features").Count;
        int testRows = ViewReader.Vectors<float>(split.TestSet, "Features").Count;

        CollectionAssert.AreEqual(Enumerable.Range(1, 10).ToArray(), cached.Select(r => r.Length / 2).ToArray());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), shuffled.Select(r => r[0]).ToArray());
        Assert.AreEqual(10, trainRows + testRows);
        Assert.IsGreaterThan(0, testRows);
    }
}
