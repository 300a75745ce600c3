using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>The file loaders read one file (pair) per row while a cursor moves, and cursors are independent.</summary>
[TestClass]
public sealed class LazyReadingTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static SequenceFileSet WriteNumbered(TempFolder folder, int count)
    {
        for (int i = 0; i < count; i++) folder.Write($"s_{i}.csv", $"{i},0", $"{i},1");
        return SequenceFileSet.FromNumberedPattern(folder["s_%d.csv"], 0, count - 1);
    }

    [TestMethod]
    public void CursorOverAThousandFiles_OpensOneFilePerRow()
    {
        using var folder = new TempFolder();
        var view = Ml.Data.LoadSequencesFromTextFiles(WriteNumbered(folder, 1000));
        var source = (FileSequenceSource)((SequenceDataView)view).Source;
        Assert.AreEqual(1, source.OpenCount); // the first file, read for the column widths

        using var cursor = view.GetRowCursor(view.Schema);
        Assert.IsTrue(cursor.MoveNext());
        Assert.AreEqual(2, source.OpenCount);
        while (cursor.MoveNext()) { }

        Assert.AreEqual(1001, source.OpenCount);
        Assert.AreEqual(1000L, view.GetRowCount());
    }

    [TestMethod]
    public void FileDeletedAfterTheFirstRow_IsOnlyMissedWhenItsRowIsReached()
    {
        using var folder = new TempFolder();
        var view = Ml.Data.LoadSequencesFromTextFiles(WriteNumbered(folder, 1000));
        using var cursor = view.GetRowCursor(view.Schema);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        VBuffer<float> features = default;
        Assert.IsTrue(cursor.MoveNext());

        File.Delete(folder["s_500.csv"]);
        for (int row = 1; row < 500; row++)
        {
            Assert.IsTrue(cursor.MoveNext());
            getter(ref features);
            Assert.AreEqual((float)row, features.GetValues()[0]);
        }
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => cursor.MoveNext());

        Assert.AreEqual(folder["s_500.csv"], error.FileName);
    }

    [TestMethod]
    public void TwoCursorsAtOnce_AreIndependent()
    {
        using var folder = new TempFolder();
        var view = Ml.Data.LoadSequencesFromTextFiles(WriteNumbered(folder, 3));
        var column = view.Schema["Features"];
        using var first = view.GetRowCursor([column]);
        using var second = view.GetRowCursor([column]);
        var firstGetter = first.GetGetter<VBuffer<float>>(column);
        var secondGetter = second.GetGetter<VBuffer<float>>(column);
        VBuffer<float> a = default, b = default;

        Assert.IsTrue(first.MoveNext());
        Assert.IsTrue(first.MoveNext());
        Assert.IsTrue(second.MoveNext());
        firstGetter(ref a);
        secondGetter(ref b);

        Assert.AreEqual(1f, a.GetValues()[0]);
        Assert.AreEqual(0f, b.GetValues()[0]);
        Assert.AreEqual(1L, first.Position);
        Assert.AreEqual(0L, second.Position);
    }

    [TestMethod]
    public void CursorSet_IsOneCursor_AndShuffledCursorsVisitEveryRowOnceWithItsId()
    {
        using var folder = new TempFolder();
        var view = Ml.Data.LoadSequencesFromTextFiles(WriteNumbered(folder, 20));
        var column = view.Schema["Features"];

        Assert.HasCount(1, view.GetRowCursorSet([column], 4));
        Assert.IsTrue(view.CanShuffle);
        using var cursor = view.GetRowCursor([column], new Random(3));
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var idGetter = cursor.GetIdGetter();
        var seen = new List<int>();
        VBuffer<float> features = default;
        DataViewRowId id = default;
        while (cursor.MoveNext())
        {
            getter(ref features);
            idGetter(ref id);
            Assert.AreEqual((ulong)features.GetValues()[0], id.Low);
            seen.Add((int)id.Low);
        }

        CollectionAssert.AreNotEqual(Enumerable.Range(0, 20).ToArray(), seen.ToArray());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 20).ToArray(), seen.ToArray());
    }

    [TestMethod]
    public void Getters_RejectMisuse()
    {
        using var folder = new TempFolder();
        var view = Ml.Data.LoadSequencesFromTextFiles(WriteNumbered(folder, 2));
        using var cursor = view.GetRowCursor([view.Schema["Features"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        VBuffer<float> features = default;

        Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref features));                            // before MoveNext
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(view.Schema["Label"])); // inactive
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(view.Schema["Features"]));       // wrong type
        while (cursor.MoveNext()) { }
        Assert.IsFalse(cursor.MoveNext());
        Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref features));                            // after the end
    }
}
