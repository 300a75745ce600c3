using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>Numbered patterns, lists and folders of sequence files.</summary>
[TestClass]
public sealed class SequenceFileSetTests
{
    [TestMethod]
    public void NumberedPattern_IncludesFirstAndLast()
    {
        var set = SequenceFileSet.FromNumberedPattern("/data/myInput_%d.csv", 0, 2);

        CollectionAssert.AreEqual(new[] { "/data/myInput_0.csv", "/data/myInput_1.csv", "/data/myInput_2.csv" }, set.Paths.ToArray());
    }

    [TestMethod]
    public void NumberedPattern_ZeroPadsWithPercent0Nd()
    {
        var set = SequenceFileSet.FromNumberedPattern("seq_%03d.txt", 9, 11);

        CollectionAssert.AreEqual(new[] { "seq_009.txt", "seq_010.txt", "seq_011.txt" }, set.Paths.ToArray());
    }

    [TestMethod]
    [DataRow("no_number.csv")]
    [DataRow("two_%d_%d.csv")]
    [DataRow("string_%s.csv")]
    public void NumberedPattern_WithoutExactlyOnePlaceholder_Throws(string pattern)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => SequenceFileSet.FromNumberedPattern(pattern, 0, 1));

        Assert.AreEqual("pattern", error.ParamName);
        Assert.Contains("%0Nd", error.Message);
    }

    [TestMethod]
    public void NumberedPattern_WithBadRange_ThrowsNamingTheParameter()
    {
        Assert.AreEqual("last", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SequenceFileSet.FromNumberedPattern("a_%d", 3, 2)).ParamName);
        Assert.AreEqual("first", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SequenceFileSet.FromNumberedPattern("a_%d", -1, 2)).ParamName);
    }

    [TestMethod]
    public void Folder_IsSortedInNaturalOrder_AndFilteredByPattern()
    {
        using var folder = new TempFolder();
        foreach (string name in new[] { "x_10.csv", "x_2.csv", "x_1.csv", "notes.txt" }) folder.Write(name, "1");

        var set = SequenceFileSet.FromFolder(folder.Path, "*.csv");

        CollectionAssert.AreEqual(new[] { "x_1.csv", "x_2.csv", "x_10.csv" }, set.Paths.Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void Folder_MissingOrWithoutMatches_Throws()
    {
        using var folder = new TempFolder();

        Assert.ThrowsExactly<DirectoryNotFoundException>(() => SequenceFileSet.FromFolder(folder["absent"]));
        Assert.AreEqual("folder", Assert.ThrowsExactly<ArgumentException>(() => SequenceFileSet.FromFolder(folder.Path, "*.csv")).ParamName);
    }

    [TestMethod]
    public void Files_KeepTheirOrder_AndMustNotBeEmpty()
    {
        var set = SequenceFileSet.FromFiles(["b.csv", "a.csv"]);

        CollectionAssert.AreEqual(new[] { "b.csv", "a.csv" }, set.Paths.ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => SequenceFileSet.FromFiles([]));
    }

    [TestMethod]
    public void NaturalOrder_ComparesDigitRunsByValue()
    {
        string[] names = ["a10", "a2", "A1", "a02b", "a2a", "b", "a"];

        var sorted = names.Order(NaturalStringComparer.Instance).ToArray();

        CollectionAssert.AreEqual(new[] { "a", "A1", "a2", "a2a", "a02b", "a10", "b" }, sorted);
    }
}
