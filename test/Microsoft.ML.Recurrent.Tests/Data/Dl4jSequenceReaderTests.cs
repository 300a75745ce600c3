using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>
/// DL4J's sequence-reader cases #40-#45 (<c>RecordReaderDataSetiteratorTest</c>; notes/dl4j-rnn-semantics.md section 6),
/// with files written here. DL4J's [mb, size, T] arrays become one row per file: T x size values, step-major.
/// </summary>
[TestClass]
public sealed class Dl4jSequenceReaderTests
{
    private static readonly MLContext Ml = new(seed: 1);

    // File i: a header, then 4 steps of 3 values; step t holds 100 i + 10 t + {0, 1, 2}.
    private static SequenceFileSet WriteFeatures(TempFolder folder)
    {
        for (int i = 0; i < 3; i++)
            folder.Write($"csvsequence_{i}.txt", ["a,b,c", .. Enumerable.Range(0, 4).Select(t => $"{100 * i + 10 * t},{100 * i + 10 * t + 1},{100 * i + 10 * t + 2}")]);
        return SequenceFileSet.FromNumberedPattern(folder["csvsequence_%d.txt"], 0, 2);
    }

    private static float[] ExpectedFeatures(int i, params int[] columns)
        => Enumerable.Range(0, 4).SelectMany(t => columns.Select(c => (float)(100 * i + 10 * t + c))).ToArray();

    [TestMethod] // #40
    public void TwoReaders_Classification_ExactFeaturesAndKeyLabels()
    {
        using var folder = new TempFolder();
        var features = WriteFeatures(folder);
        for (int i = 0; i < 3; i++) folder.Write($"csvsequencelabels_{i}.txt", ["label", .. Enumerable.Range(0, 4).Select(t => $"{(i + t) % 4}")]);
        var labels = SequenceFileSet.FromNumberedPattern(folder["csvsequencelabels_%d.txt"], 0, 2);

        var view = Ml.Data.LoadSequencesFromTextFiles(features, labels, new SequenceTextFileOptions { HeaderLineCount = 1, ClassCount = 4 });

        Assert.AreEqual(3L, view.GetRowCount());
        CollectionAssert.AreEqual(new[] { 0, 3 }, ViewReader.Dimensions(view, "Features"));   // inputColumns 3
        Assert.AreEqual(4UL, ViewReader.KeyCount(view, "Label"));                              // totalOutcomes 4
        Assert.IsInstanceOfType<VectorDataViewType>(view.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { "0", "1", "2", "3" }, ViewReader.KeyValues(view, "Label"));
        var rows = ViewReader.Vectors<float>(view, "Features");
        var keys = ViewReader.Vectors<uint>(view, "Label");
        for (int i = 0; i < 3; i++)
        {
            CollectionAssert.AreEqual(ExpectedFeatures(i, 0, 1, 2), rows[i]);
            CollectionAssert.AreEqual(Enumerable.Range(0, 4).Select(t => (uint)((i + t) % 4 + 1)).ToArray(), keys[i]);
        }
    }

    [TestMethod] // #41, two readers
    public void TwoReaders_RegressionWithLabelsEqualToFeatures_GivesLabelsEqualToFeatures()
    {
        using var folder = new TempFolder();
        var files = WriteFeatures(folder);

        var view = Ml.Data.LoadSequencesFromTextFiles(files, files, new SequenceTextFileOptions { HeaderLineCount = 1 });

        CollectionAssert.AreEqual(new[] { 0, 3 }, ViewReader.Dimensions(view, "Label"));
        var features = ViewReader.Vectors<float>(view, "Features");
        var labels = ViewReader.Vectors<float>(view, "Label");
        for (int i = 0; i < 3; i++)
        {
            CollectionAssert.AreEqual(ExpectedFeatures(i, 0, 1, 2), features[i]);
            CollectionAssert.AreEqual(features[i], labels[i]);
        }
    }

    [TestMethod] // #41, single reader; "reset gives 3 batches again" = a second cursor reads the same 3 rows
    public void SingleReader_RegressionAndMultiOutputRegression_SplitColumnsAndReadAgain()
    {
        using var folder = new TempFolder();
        var files = WriteFeatures(folder);
        var options = new SequenceTextFileOptions { HeaderLineCount = 1 };

        var single = Ml.Data.LoadSequencesFromTextFiles(files, labelColumnIndex: 0, options: options);
        var multi = Ml.Data.LoadSequencesFromTextFiles(files, labelColumnIndex: 1, labelColumnCount: 2, options: options);

        CollectionAssert.AreEqual(new[] { 0, 2 }, ViewReader.Dimensions(single, "Features"));
        CollectionAssert.AreEqual(new[] { 0, 1 }, ViewReader.Dimensions(single, "Label"));
        CollectionAssert.AreEqual(new[] { 0, 1 }, ViewReader.Dimensions(multi, "Features"));
        CollectionAssert.AreEqual(new[] { 0, 2 }, ViewReader.Dimensions(multi, "Label"));
        for (int pass = 0; pass < 2; pass++)
        {
            var singleFeatures = ViewReader.Vectors<float>(single, "Features");
            var singleLabels = ViewReader.Vectors<float>(single, "Label");
            var multiFeatures = ViewReader.Vectors<float>(multi, "Features");
            var multiLabels = ViewReader.Vectors<float>(multi, "Label");
            Assert.HasCount(3, singleFeatures);
            for (int i = 0; i < 3; i++)
            {
                CollectionAssert.AreEqual(ExpectedFeatures(i, 1, 2), singleFeatures[i]);
                CollectionAssert.AreEqual(ExpectedFeatures(i, 0), singleLabels[i]);
                CollectionAssert.AreEqual(ExpectedFeatures(i, 0), multiFeatures[i]);
                CollectionAssert.AreEqual(ExpectedFeatures(i, 1, 2), multiLabels[i]);
            }
        }
    }

    [TestMethod] // #42: 4-step features, 2-, 1- and 3-step labels; DL4J's label masks are the non-zero keys here
    public void AlignStartAndAlignEnd_PlaceShortLabelsAndLeaveFeaturesUnpadded()
    {
        using var folder = new TempFolder();
        var features = WriteFeatures(folder);
        folder.Write("short_0.txt", "l", "1", "2");
        folder.Write("short_1.txt", "l", "3");
        folder.Write("short_2.txt", "l", "0", "1", "2");
        var labels = SequenceFileSet.FromNumberedPattern(folder["short_%d.txt"], 0, 2);

        IDataView Load(SequenceAlignment alignment) => Ml.Data.LoadSequencesFromTextFiles(features, labels,
            new SequenceTextFileOptions { HeaderLineCount = 1, ClassCount = 4, Alignment = alignment });
        var start = Load(SequenceAlignment.AlignStart);
        var end = Load(SequenceAlignment.AlignEnd);

        uint[][] expectedStart = [[2, 3, 0, 0], [4, 0, 0, 0], [1, 2, 3, 0]];
        uint[][] expectedEnd = [[0, 0, 2, 3], [0, 0, 0, 4], [0, 1, 2, 3]];
        var startLabels = ViewReader.Vectors<uint>(start, "Label");
        var endLabels = ViewReader.Vectors<uint>(end, "Label");
        for (int i = 0; i < 3; i++)
        {
            CollectionAssert.AreEqual(expectedStart[i], startLabels[i]);
            CollectionAssert.AreEqual(expectedEnd[i], endLabels[i]);
            CollectionAssert.AreEqual(ExpectedFeatures(i, 0, 1, 2), ViewReader.Vectors<float>(start, "Features")[i]);
            CollectionAssert.AreEqual(ExpectedFeatures(i, 0, 1, 2), ViewReader.Vectors<float>(end, "Features")[i]);
        }
    }

    [TestMethod] // #43
    public void SingleReader_ClassificationWithLabelInColumn0()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 3; i++)
            folder.Write($"seq_{i}.csv", Enumerable.Range(0, 4).Select(t => $"{(i + t) % 3},{10 * t + i},{10 * t + i + 0.5}").ToArray());

        var view = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["seq_%d.csv"], 0, 2),
            labelColumnIndex: 0, options: new SequenceTextFileOptions { ClassCount = 3 });

        CollectionAssert.AreEqual(new[] { 0, 2 }, ViewReader.Dimensions(view, "Features"));
        Assert.AreEqual(3UL, ViewReader.KeyCount(view, "Label"));
        var features = ViewReader.Vectors<float>(view, "Features");
        var labels = ViewReader.Vectors<uint>(view, "Label");
        for (int i = 0; i < 3; i++)
        {
            CollectionAssert.AreEqual(Enumerable.Range(0, 4).SelectMany(t => new[] { 10f * t + i, 10f * t + i + 0.5f }).ToArray(), features[i]);
            CollectionAssert.AreEqual(Enumerable.Range(0, 4).Select(t => (uint)((i + t) % 3 + 1)).ToArray(), labels[i]);
        }
    }

    [TestMethod] // #44: DL4J's ZeroLengthSequenceException for the single reader, the feature reader and the label reader
    public void EmptySequence_InAnyReader_ThrowsNamingFileAndLine()
    {
        using var folder = new TempFolder();
        var features = WriteFeatures(folder);
        folder.Write("csvsequence_3.txt", "a,b,c");
        folder.Write("labels_0.txt", "l", "0", "1", "2", "3");
        folder.Write("labels_1.txt", "l");
        var options = new SequenceTextFileOptions { HeaderLineCount = 1, ClassCount = 4 };

        var single = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["csvsequence_%d.txt"], 2, 3),
            options: new SequenceTextFileOptions { HeaderLineCount = 1 });
        var singleError = Assert.ThrowsExactly<InvalidDataException>(() => ViewReader.Vectors<float>(single, "Features"));
        var featureError = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTextFiles(
            SequenceFileSet.FromFiles([folder["csvsequence_3.txt"]]), SequenceFileSet.FromFiles([folder["labels_0.txt"]]), options));
        var paired = Ml.Data.LoadSequencesFromTextFiles(features, SequenceFileSet.FromFiles([folder["labels_0.txt"], folder["labels_1.txt"], folder["labels_0.txt"]]), options);
        var labelError = Assert.ThrowsExactly<InvalidDataException>(() => ViewReader.Vectors<uint>(paired, "Label"));

        Assert.StartsWith($"{folder["csvsequence_3.txt"]}: line 2: zero-length sequence", singleError.Message);
        Assert.StartsWith($"{folder["csvsequence_3.txt"]}: line 2: zero-length sequence", featureError.Message);
        Assert.StartsWith($"{folder["labels_1.txt"]}: line 2: zero-length sequence", labelError.Message);
    }

    [TestMethod] // #45, adapted: rows may differ in length; features and labels of one row may not under EqualLength
    public void EqualLength_AcceptsRowsOfDifferentLengths_ButRejectsFeaturesAndLabelsOfDifferentLengths()
    {
        using var folder = new TempFolder();
        folder.Write("f_0.csv", "1,2", "3,4", "5,6");
        folder.Write("f_1.csv", "7,8");
        folder.Write("l_0.csv", "0", "1", "0");
        folder.Write("l_1.csv", "1");
        folder.Write("l_2.csv", "1", "1");
        var features = SequenceFileSet.FromNumberedPattern(folder["f_%d.csv"], 0, 1);
        var options = new SequenceTextFileOptions { ClassCount = 2 };

        var ok = Ml.Data.LoadSequencesFromTextFiles(features, SequenceFileSet.FromNumberedPattern(folder["l_%d.csv"], 0, 1), options);
        var bad = Ml.Data.LoadSequencesFromTextFiles(features, SequenceFileSet.FromFiles([folder["l_0.csv"], folder["l_2.csv"]]), options);

        CollectionAssert.AreEqual(new[] { 6, 2 }, ViewReader.Vectors<float>(ok, "Features").Select(r => r.Length).ToArray());
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ViewReader.Vectors<float>(bad, "Features"));
        Assert.StartsWith($"{folder["f_1.csv"]}: line 1: this file ends after 1 step(s) but '{folder["l_2.csv"]}' has 2.", error.Message);
        Assert.Contains("AlignEnd", error.Message);
        Assert.Contains("AlignStart", error.Message);
    }
}
