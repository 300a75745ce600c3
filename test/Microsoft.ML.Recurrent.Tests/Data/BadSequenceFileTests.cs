using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>
/// Bad delimited sequence files: every problem is an exception of a documented type whose message names the file, the
/// line and, for one bad cell, the column (the empty-sequence and EqualLength cases are in <see cref="Dl4jSequenceReaderTests"/>).
/// </summary>
[TestClass]
public sealed class BadSequenceFileTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static List<float[]> LoadOne(string path, SequenceTextFileOptions? options = null)
        => ViewReader.Vectors<float>(Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([path]), options: options), "Features");

    [TestMethod]
    public void MissingFileInNumberedRange_ThrowsFileNotFoundNamingFileAndNumber()
    {
        using var folder = new TempFolder();
        foreach (int i in new[] { 0, 1, 3 }) folder.Write($"s_{i}.csv", "1,2");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() =>
            Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["s_%d.csv"], 0, 3)));

        Assert.AreEqual(folder["s_2.csv"], error.FileName);
        Assert.Contains($"'{folder["s_2.csv"]}' (number 2 of the numbered range", error.Message);
    }

    [TestMethod]
    public void RaggedRow_ThrowsNamingFileLineAndColumn()
    {
        using var folder = new TempFolder();
        string path = folder.Write("ragged.csv", "h1,h2,h3", "1,2,3", "4,5,6", "7,8");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => LoadOne(path, new SequenceTextFileOptions { HeaderLineCount = 1 }));

        Assert.AreEqual($"{path}: line 4, column 3: this line has 2 columns but the first step of the file (line 2) has 3.", error.Message);
    }

    [TestMethod]
    public void FileWiderThanTheFirstFile_ThrowsNamingFileAndLine()
    {
        using var folder = new TempFolder();
        folder.Write("w_0.csv", "1,2", "3,4");
        string wide = folder.Write("w_1.csv", "1,2,3");
        var view = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromNumberedPattern(folder["w_%d.csv"], 0, 1));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => ViewReader.Vectors<float>(view, "Features"));

        Assert.StartsWith($"{wide}: line 1, column 3: this file has 3 columns per line but the first file of its set", error.Message);
    }

    [TestMethod]
    public void NonNumericCell_ThrowsNamingFileLineAndColumn()
    {
        using var folder = new TempFolder();
        string path = folder.Write("text.csv", "1,2,3", "4,five,6");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => LoadOne(path));

        Assert.AreEqual($"{path}: line 2, column 2: 'five' is not a number.", error.Message);
    }

    [TestMethod]
    public void EmptyFeatureCell_ThrowsNamingFileLineAndColumn()
    {
        using var folder = new TempFolder();
        string path = folder.Write("hole.csv", "1,2,3", ",5,6");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => LoadOne(path));

        Assert.StartsWith($"{path}: line 2, column 1: empty cell", error.Message);
    }

    [TestMethod]
    public void BlankLineInsideASequence_Throws_ButTrailingBlankLinesAreAllowed()
    {
        using var folder = new TempFolder();
        string inside = folder.Write("inside.csv", "1,2", "", "3,4");
        string trailing = folder.Write("trailing.csv", "1,2", "3,4", "", " ");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => LoadOne(inside));

        Assert.StartsWith($"{inside}: line 2: blank line inside the sequence", error.Message);
        CollectionAssert.AreEqual(new float[] { 1, 3 }, LoadOne(trailing)[0]);
    }

    [TestMethod]
    public void LabelColumnOutOfRange_ThrowsArgumentOutOfRangeNamingParameterFileAndAllowedRange()
    {
        using var folder = new TempFolder();
        string path = folder.Write("three.csv", "1,2,3");
        var files = SequenceFileSet.FromFiles([path]);

        var index = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Data.LoadSequencesFromTextFiles(files, labelColumnIndex: 3));
        var count = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Data.LoadSequencesFromTextFiles(files, labelColumnCount: 3));
        var negative = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Data.LoadSequencesFromTextFiles(files, labelColumnIndex: -2));

        Assert.AreEqual("labelColumnIndex", index.ParamName);
        Assert.Contains($"'{path}' has 3 columns (line 1)", index.Message);
        Assert.Contains("allowed: -1 (the last columns) or 0 to 2", index.Message);
        Assert.AreEqual("labelColumnCount", count.ParamName);
        Assert.Contains("allowed: 1 to 2", count.Message);
        Assert.AreEqual("labelColumnIndex", negative.ParamName);
    }

    [TestMethod]
    [DataRow("-1", "the class index -1 is negative; class indices run from 0 to 3.")]
    [DataRow("4", "the class index 4 is not less than the class count 4 (class indices are zero-based: 0 to 3).")]
    [DataRow("1.5", "the class index 1.5 is not a whole number.")]
    public void BadClassIndex_ThrowsNamingFileLineAndColumn(string cell, string problem)
    {
        using var folder = new TempFolder();
        string features = folder.Write("f.csv", "1", "2", "3");
        string labels = folder.Write("l.csv", "0", "3", cell);
        var view = Ml.Data.LoadSequencesFromTextFiles(
            SequenceFileSet.FromFiles([features]), SequenceFileSet.FromFiles([labels]), new SequenceTextFileOptions { ClassCount = 4 });

        var error = Assert.ThrowsExactly<InvalidDataException>(() => ViewReader.Vectors<uint>(view, "Label"));

        Assert.AreEqual($"{labels}: line 3, column 1: {problem}", error.Message);
    }

    [TestMethod]
    public void ClassificationLabelFileWithTwoColumns_ThrowsNamingFileLineAndColumn()
    {
        using var folder = new TempFolder();
        string features = folder.Write("f.csv", "1");
        string labels = folder.Write("l.csv", "0,1");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTextFiles(
            SequenceFileSet.FromFiles([features]), SequenceFileSet.FromFiles([labels]), new SequenceTextFileOptions { ClassCount = 2 }));

        Assert.StartsWith($"{labels}: line 1, column 2: a classification label file must have one column", error.Message);
    }

    [TestMethod]
    public void PerSequenceLabelFileWithTwoSteps_ThrowsNamingFileAndLine()
    {
        using var folder = new TempFolder();
        string features = folder.Write("f.csv", "1", "2");
        string labels = folder.Write("l.csv", "0", "1");
        var view = Ml.Data.LoadSequencesFromTextFiles(SequenceFileSet.FromFiles([features]), SequenceFileSet.FromFiles([labels]),
            new SequenceTextFileOptions { ClassCount = 2, LabelShape = SequenceLabelShape.PerSequence });

        var error = Assert.ThrowsExactly<InvalidDataException>(() => ViewReader.Scalars<uint>(view, "Label"));

        Assert.StartsWith($"{labels}: line 2: a per-sequence label file must hold exactly one step, this one has 2", error.Message);
    }

    [TestMethod]
    public void FeatureAndLabelFileCountsDiffer_ThrowsNamingTheUnpairedFile()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 3; i++) folder.Write($"f_{i}.csv", "1");
        for (int i = 0; i < 2; i++) folder.Write($"l_{i}.csv", "1");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTextFiles(
            SequenceFileSet.FromNumberedPattern(folder["f_%d.csv"], 0, 2), SequenceFileSet.FromNumberedPattern(folder["l_%d.csv"], 0, 1)));

        Assert.StartsWith("There are 3 feature files (the numbered range", error.Message);
        Assert.Contains($"but 2 label files", error.Message);
        Assert.Contains($"'{folder["f_2.csv"]}' has no partner", error.Message);
    }

    [TestMethod]
    public void OptionsOutOfRange_ThrowArgumentOutOfRangeNamingTheOption()
    {
        using var folder = new TempFolder();
        var files = SequenceFileSet.FromFiles([folder.Write("f.csv", "1,2")]);

        string? Fails(SequenceTextFileOptions options)
            => Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Data.LoadSequencesFromTextFiles(files, files, options)).ParamName;

        Assert.AreEqual("HeaderLineCount", Fails(new SequenceTextFileOptions { HeaderLineCount = -1 }));
        Assert.AreEqual("ClassCount", Fails(new SequenceTextFileOptions { ClassCount = 0 }));
        Assert.AreEqual("Separator", Fails(new SequenceTextFileOptions { Separator = '\n' }));
        Assert.AreEqual("Alignment", Fails(new SequenceTextFileOptions { Alignment = (SequenceAlignment)7 }));
        Assert.AreEqual("labelColumnCount", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Data.LoadSequencesFromTextFiles(
            files, labelColumnCount: 2, options: new SequenceTextFileOptions { ClassCount = 2 })).ParamName);
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Data.LoadSequencesFromTextFiles(
            files, options: new SequenceTextFileOptions { LabelShape = SequenceLabelShape.PerSequence }));
    }
}
