using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>The UEA/sktime <c>.ts</c> loader on a small file written here and on the shipped JapaneseVowels data.</summary>
[TestClass]
public sealed class TsFileTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static readonly string[] SmallFile =
    [
        "# a comment",
        "@problemName Small",
        "@univariate false",
        "@dimensions 2",
        "@equalLength false",
        "@classLabel true up down flat",
        "",
        "@data",
        "1,2,3:10,20,30:down",
        "# a comment between cases",
        "4.5,5:-1,-2:flat",
    ];

    [TestMethod]
    public void SmallFile_TransposesChannelsToStepMajor_AndNamesClassesInDeclaredOrder()
    {
        using var folder = new TempFolder();
        var view = Ml.Data.LoadSequencesFromTsFile(folder.Write("small.ts", SmallFile));

        CollectionAssert.AreEqual(new[] { 0, 2 }, ViewReader.Dimensions(view, "Features"));
        var features = ViewReader.Vectors<float>(view, "Features");
        CollectionAssert.AreEqual(new float[] { 1, 10, 2, 20, 3, 30 }, features[0]);
        CollectionAssert.AreEqual(new float[] { 4.5f, -1, 5, -2 }, features[1]);
        CollectionAssert.AreEqual(new[] { "up", "down", "flat" }, ViewReader.KeyValues(view, "Label"));
        CollectionAssert.AreEqual(new uint[] { 2, 3 }, ViewReader.Scalars<uint>(view, "Label"));
        var names = Ml.Transforms.Conversion.MapKeyToValue("Class", "Label").Fit(view).Transform(view);
        CollectionAssert.AreEqual(new[] { "down", "flat" }, ViewReader.Scalars<ReadOnlyMemory<char>>(names, "Class").Select(n => n.ToString()).ToArray());
    }

    [TestMethod]
    public void MissingValuesAndRegressionTargets_AreRead()
    {
        using var folder = new TempFolder();
        string path = folder.Write("target.ts", "@missing true", "@targetLabel true", "@data", "1,?,3:0.5", "2:-1e2");

        var view = Ml.Data.LoadSequencesFromTsFile(path);

        CollectionAssert.AreEqual(new[] { 1, float.NaN, 3 }, ViewReader.Vectors<float>(view, "Features")[0]);
        CollectionAssert.AreEqual(new[] { 0.5f, -100f }, ViewReader.Scalars<float>(view, "Label"));
    }

    [TestMethod]
    [DataRow("1,2,3:10,20:down", 7, "channel 2 has 2 values but channel 1 has 3")]
    [DataRow("1,2:10,20,30:down", 11, "channel 2 has more values than channel 1 (2)")]
    [DataRow("1,2:10,x:down", 8, "'x' is not a number (channel 2, value 2)")]
    [DataRow("1,2:10,20:sideways", 11, "the class label 'sideways' is not declared by @classLabel.")]
    [DataRow("1,2:down", 9, "the case has 1 channel(s) but the file has 2")]
    [DataRow("1,2:3,4:5,6:down", 9, "the case has 3 channel(s) but the file has 2")]
    public void BadCase_ThrowsNamingFileLineAndColumn(string badCase, int column, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.ts", [.. SmallFile, badCase]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTsFile(path));

        Assert.StartsWith($"{path}: line 12, column {column}: {problem}", error.Message);
    }

    [TestMethod]
    public void BadHeader_ThrowsNamingFileAndLine()
    {
        using var folder = new TempFolder();
        string stamps = folder.Write("stamps.ts", "@timeStamps true", "@data");
        string noData = folder.Write("nodata.ts", "@classLabel true a b");
        string text = folder.Write("text.ts", "hello", "@data");

        Assert.StartsWith($"{stamps}: line 1: files with time stamps", Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTsFile(stamps)).Message);
        Assert.StartsWith($"{noData}: line 2: the file has no @data line", Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTsFile(noData)).Message);
        Assert.StartsWith($"{text}: line 1, column 1: expected a '#' comment", Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadSequencesFromTsFile(text)).Message);
    }

    [TestMethod]
    public void JapaneseVowels_Train_Has270CasesOf12ChannelsIn9Classes()
    {
        var view = Ml.Data.LoadSequencesFromTsFile(SharedData.RequireOrSkip("JapaneseVowels/JapaneseVowels_TRAIN.ts"));

        Assert.AreEqual(270L, view.GetRowCount());
        CollectionAssert.AreEqual(new[] { 0, 12 }, ViewReader.Dimensions(view, "Features"));
        CollectionAssert.AreEqual(Enumerable.Range(1, 9).Select(i => $"{i}").ToArray(), ViewReader.KeyValues(view, "Label"));
        var features = ViewReader.Vectors<float>(view, "Features");
        var labels = ViewReader.Scalars<uint>(view, "Label");
        Assert.IsTrue(features.All(f => f.Length % 12 == 0));
        int[] steps = features.Select(f => f.Length / 12).ToArray();
        Assert.AreEqual(7, steps.Min());
        Assert.AreEqual(26, steps.Max());
        Assert.IsTrue(labels.GroupBy(k => k).All(g => g.Count() == 30));
        // Case 0 (20 steps): channel 1 starts 1.860936, 1.891651; channel 2 starts -0.207383; channel 12 ends -0.175986.
        Assert.AreEqual(20, steps[0]);
        Assert.AreEqual(1.860936f, features[0][0]);
        Assert.AreEqual(-0.207383f, features[0][1]);
        Assert.AreEqual(1.891651f, features[0][12]);
        Assert.AreEqual(-0.175986f, features[0][^1]);
        Assert.AreEqual(1u, labels[0]);
    }

    [TestMethod]
    public void JapaneseVowels_Test_Has370CasesOfUpTo29Steps()
    {
        var view = Ml.Data.LoadSequencesFromTsFile(SharedData.RequireOrSkip("JapaneseVowels/JapaneseVowels_TEST.ts"));

        int[] steps = ViewReader.Vectors<float>(view, "Features").Select(f => f.Length / 12).ToArray();
        var perClass = ViewReader.Scalars<uint>(view, "Label").GroupBy(k => k).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();

        Assert.HasCount(370, steps);
        Assert.AreEqual(7, steps.Min());
        Assert.AreEqual(29, steps.Max());
        CollectionAssert.AreEqual(new[] { 31, 35, 88, 44, 29, 24, 40, 50, 29 }, perClass);
    }
}
