namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>The UCR archive loader on small files written here and on the shipped SyntheticControl split.</summary>
[TestClass]
public sealed class UcrFileTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [TestMethod]
    public void NumericLabels_AreNamedByTheirShortestForm_AndSortedByValue()
    {
        using var folder = new TempFolder();
        string path = folder.Write("numbers", "  1.0e+01  0.5 1.5", "2\t-1\t-2\t-3", " 1.0000000e+000 7");

        var view = Ml.Data.LoadSequencesFromUcrFile(path);

        CollectionAssert.AreEqual(new[] { 0, 1 }, ViewReader.Dimensions(view, "Features"));
        CollectionAssert.AreEqual(new[] { "1", "2", "10" }, ViewReader.KeyValues(view, "Label"));
        CollectionAssert.AreEqual(new uint[] { 3, 2, 1 }, ViewReader.Scalars<uint>(view, "Label"));
        var features = ViewReader.Vectors<float>(view, "Features");
        CollectionAssert.AreEqual(new[] { 0.5f, 1.5f }, features[0]);
        CollectionAssert.AreEqual(new[] { -1f, -2f, -3f }, features[1]);
        CollectionAssert.AreEqual(new[] { 7f }, features[2]);
    }

    [TestMethod]
    public void TextLabels_AreSortedInNaturalOrder()
    {
        using var folder = new TempFolder();
        string path = folder.Write("words", "c10 1", "b 2", "c9 3", "a 4");

        var view = Ml.Data.LoadSequencesFromUcrFile(path);

        CollectionAssert.AreEqual(new[] { "a", "b", "c9", "c10" }, ViewReader.KeyValues(view, "Label"));
        CollectionAssert.AreEqual(new uint[] { 4, 2, 3, 1 }, ViewReader.Scalars<uint>(view, "Label"));
    }

    [TestMethod]
    public void BadLines_ThrowNamingFileLineAndColumn()
    {
        using var folder = new TempFolder();
        string text = folder.Write("text", "1 2 3", "2 4 x 6");
        string bare = folder.Write("bare", "1 2 3", "", "2");
        string unknown = folder.Write("unknown", "1 2 3", "  3 4");

        var textError = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromUcrFile(text));
        var bareError = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromUcrFile(bare));
        var unknownError = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromUcrFile(unknown, ["1", "2"]));

        Assert.AreEqual($"{text}: line 2, column 5: 'x' is not a number (value 2 of the series).", textError.Message);
        Assert.AreEqual($"{bare}: line 3, column 2: the line has a label but no series values.", bareError.Message);
        Assert.AreEqual($"{unknown}: line 2, column 3: the class label '3' is not one of the given class names (1, 2).", unknownError.Message);
    }

    [TestMethod]
    public void SyntheticControl_Has300Plus300SeriesOf60StepsIn6Classes()
    {
        var train = Ml.Data.LoadSequencesFromUcrFile(SharedData.RequireOrSkip("SyntheticControl_ucr/synthetic_control_TRAIN"));
        string[] classes = ViewReader.KeyValues(train, "Label");
        var test = Ml.Data.LoadSequencesFromUcrFile(SharedData.RequireOrSkip("SyntheticControl_ucr/synthetic_control_TEST"), classes);

        CollectionAssert.AreEqual(new[] { "1", "2", "3", "4", "5", "6" }, classes);
        foreach (var (view, first, last) in new[] { (train, -0.37693558f, -0.26117832f), (test, -1.4139728f, -1.0178208f) })
        {
            var features = ViewReader.Vectors<float>(view, "Features");
            var labels = ViewReader.Scalars<uint>(view, "Label");
            Assert.HasCount(300, features);
            Assert.IsTrue(features.All(f => f.Length == 60));
            Assert.IsTrue(labels.GroupBy(k => k).All(g => g.Count() == 50));
            Assert.AreEqual((1u, first), (labels[0], features[0][0]));
            Assert.AreEqual((6u, last), (labels[^1], features[^1][^1]));
        }
    }
}
