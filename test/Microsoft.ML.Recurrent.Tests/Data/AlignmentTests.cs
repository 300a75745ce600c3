using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>
/// How features and labels of different lengths share a row: L = max of the two lengths per row, the longer series at
/// step 0, missing feature steps zero, missing label steps key 0 or NaN; one-to-many, many-to-one and per-sequence labels.
/// </summary>
[TestClass]
public sealed class AlignmentTests
{
    private static readonly MLContext Ml = new(seed: 1);

    // Row 0: 5 feature steps (2 values each), a 1-step label. Row 1: 3 feature steps, a 4-step label.
    private static IDataView LoadUneven(TempFolder folder, SequenceAlignment alignment)
    {
        folder.Write("f_0.csv", "1,2", "3,4", "5,6", "7,8", "9,10");
        folder.Write("f_1.csv", "11,12", "13,14", "15,16");
        folder.Write("l_0.csv", "0.5");
        folder.Write("l_1.csv", "1.5", "2.5", "3.5", "4.5");
        return Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["f_%d.csv"], 0, 1),
            SequenceFileSet.FromNumberedPattern(folder["l_%d.csv"], 0, 1), new SequenceTextFileOptions { Alignment = alignment });
    }

    [TestMethod]
    public void AlignEnd_IsPerRow_TheLongerSeriesStartsAtStep0AndTheShorterEndsWithIt()
    {
        using var folder = new TempFolder();
        var view = LoadUneven(folder, SequenceAlignment.AlignEnd);

        var features = ViewReader.Vectors<float>(view, "Features");
        var labels = ViewReader.Vectors<float>(view, "Label");

        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, features[0]);
        CollectionAssert.AreEqual(new[] { float.NaN, float.NaN, float.NaN, float.NaN, 0.5f }, labels[0]);
        CollectionAssert.AreEqual(new float[] { 0, 0, 11, 12, 13, 14, 15, 16 }, features[1]);
        CollectionAssert.AreEqual(new[] { 1.5f, 2.5f, 3.5f, 4.5f }, labels[1]);
    }

    [TestMethod]
    public void AlignStart_PadsTheShorterSeriesAfterItsEnd()
    {
        using var folder = new TempFolder();
        var view = LoadUneven(folder, SequenceAlignment.AlignStart);

        var features = ViewReader.Vectors<float>(view, "Features");
        var labels = ViewReader.Vectors<float>(view, "Label");

        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, features[0]);
        CollectionAssert.AreEqual(new[] { 0.5f, float.NaN, float.NaN, float.NaN, float.NaN }, labels[0]);
        CollectionAssert.AreEqual(new float[] { 11, 12, 13, 14, 15, 16, 0, 0 }, features[1]);
        CollectionAssert.AreEqual(new[] { 1.5f, 2.5f, 3.5f, 4.5f }, labels[1]);
    }

    [TestMethod]
    public void OneToMany_OneFeatureLineWithAlignStart_RunsZeroInputAfterStep0()
    {
        using var folder = new TempFolder();
        string features = folder.Write("seed.csv", "0.25,0.75");
        string labels = folder.Write("out.csv", "2", "0", "1");

        var view = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([features]), SequenceFileSet.FromFiles([labels]),
            new SequenceTextFileOptions { ClassCount = 3, Alignment = SequenceAlignment.AlignStart });

        CollectionAssert.AreEqual(new[] { 0.25f, 0.75f, 0, 0, 0, 0 }, ViewReader.Vectors<float>(view, "Features")[0]);
        CollectionAssert.AreEqual(new uint[] { 3, 1, 2 }, ViewReader.Vectors<uint>(view, "Label")[0]);
    }

    [TestMethod]
    public void ManyToOne_PerSequenceLabels_AreScalarKeysAndFeaturesKeepTheirLength()
    {
        using var folder = new TempFolder();
        folder.Write("f_0.csv", "1", "2", "3");
        folder.Write("f_1.csv", "4");
        folder.Write("l_0.csv", "1");
        folder.Write("l_1.csv", "0");

        var view = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["f_%d.csv"], 0, 1),
            SequenceFileSet.FromNumberedPattern(folder["l_%d.csv"], 0, 1),
            new SequenceTextFileOptions { ClassCount = 2, LabelShape = SequenceLabelShape.PerSequence });

        Assert.IsInstanceOfType<KeyDataViewType>(view.Schema["Label"].Type);
        CollectionAssert.AreEqual(new uint[] { 2, 1 }, ViewReader.Scalars<uint>(view, "Label"));
        CollectionAssert.AreEqual(new[] { 3, 1 }, ViewReader.Vectors<float>(view, "Features").Select(r => r.Length).ToArray());
    }

    [TestMethod]
    public void PerSequenceRegression_OneOutputIsAFloat_SeveralAreAFixedVector()
    {
        using var folder = new TempFolder();
        string features = folder.Write("f.csv", "1", "2");
        string one = folder.Write("one.csv", "0.5");
        string two = folder.Write("two.csv", "0.5,-1");
        var perSequence = new SequenceTextFileOptions { LabelShape = SequenceLabelShape.PerSequence };

        var single = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([features]), SequenceFileSet.FromFiles([one]), perSequence);
        var pair = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([features]), SequenceFileSet.FromFiles([two]), perSequence);

        Assert.AreEqual(NumberDataViewType.Single, single.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { 0.5f }, ViewReader.Scalars<float>(single, "Label"));
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), pair.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { 0.5f, -1f }, ViewReader.Vectors<float>(pair, "Label")[0]);
    }

    [TestMethod]
    public void EmptyLabelCells_AreStepsWithoutALabel()
    {
        using var folder = new TempFolder();
        string classified = folder.Write("c.csv", "1.5,2", "2.5,", "3.5,0");
        string regressed = folder.Write("r.csv", "1.5,0.1", "2.5,0.2", "3.5, ");

        var keys = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([classified]), options: new SequenceTextFileOptions { ClassCount = 3 });
        var floats = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([regressed]));

        CollectionAssert.AreEqual(new uint[] { 3, 0, 1 }, ViewReader.Vectors<uint>(keys, "Label")[0]);
        CollectionAssert.AreEqual(new[] { 0.1f, 0.2f, float.NaN }, ViewReader.Vectors<float>(floats, "Label")[0]);
    }
}
