using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>Text as character windows for next-character prediction, on small strings and on Tiny Shakespeare.</summary>
[TestClass]
public sealed class CharacterSequenceTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static string[] Decode(IDataView view, string column)
    {
        var vocabulary = CharacterVocabulary.FromKeyValues(view.Schema[column]);
        return ViewReader.Vectors<uint>(view, column).Select(keys => vocabulary.Decode(keys)).ToArray();
    }

    [TestMethod]
    public void SmallString_WindowsFollowEachOther_LabelsAreTheNextCharacters_AndTheLastWindowIsShorter()
    {
        var view = Ml.Data.LoadCharacterSequences("hello world", new CharacterSequenceOptions { SequenceLength = 4 });

        Assert.AreEqual(3L, view.GetRowCount());
        Assert.AreEqual(8UL, ViewReader.KeyCount(view, "Features"));
        CollectionAssert.AreEqual(new[] { " ", "d", "e", "h", "l", "o", "r", "w" }, ViewReader.KeyValues(view, "Label"));
        CollectionAssert.AreEqual(new uint[] { 4, 3, 5, 5 }, ViewReader.Vectors<uint>(view, "Features")[0]);
        CollectionAssert.AreEqual(new[] { "hell", "o wo", "rl" }, Decode(view, "Features"));
        CollectionAssert.AreEqual(new[] { "ello", " wor", "ld" }, Decode(view, "Label"));
    }

    [TestMethod]
    public void Stride_SmallerThanTheLength_OverlapsWindows_AndStopsAtTheFirstThatReachesTheEnd()
    {
        var view = Ml.Data.LoadCharacterSequences("hello world", new CharacterSequenceOptions { SequenceLength = 4, Stride = 2 });

        CollectionAssert.AreEqual(new[] { "hell", "llo ", "o wo", "worl" }, Decode(view, "Features"));
        CollectionAssert.AreEqual(new[] { "ello", "lo w", " wor", "orld" }, Decode(view, "Label"));
    }

    [TestMethod]
    public void TextShorterThanTheLength_IsOneWindow()
    {
        var view = Ml.Data.LoadCharacterSequences("abc", new CharacterSequenceOptions { SequenceLength = 10 });

        CollectionAssert.AreEqual(new[] { "ab" }, Decode(view, "Features"));
        CollectionAssert.AreEqual(new[] { "bc" }, Decode(view, "Label"));
    }

    [TestMethod]
    public void MapKeyToValue_TurnsKeysBackIntoCharacters()
    {
        var view = Ml.Data.LoadCharacterSequences("abcab", new CharacterSequenceOptions { SequenceLength = 4 });

        var mapped = Ml.Transforms.Conversion.MapKeyToValue("Chars", "Features").Fit(view).Transform(view);

        CollectionAssert.AreEqual(new[] { "a", "b", "c", "a" }, ViewReader.Vectors<ReadOnlyMemory<char>>(mapped, "Chars")[0].Select(c => c.ToString()).ToArray());
    }

    [TestMethod]
    public void GivenVocabulary_KeepsItsKeys_AndACharacterOutsideItThrowsWithLineAndColumn()
    {
        using var folder = new TempFolder();
        var vocabulary = CharacterVocabulary.FromText("cba\n");
        string path = folder.Write("unknown.txt", "ab", "cz");

        var view = Ml.Data.LoadCharacterSequences("cab", new CharacterSequenceOptions { Vocabulary = vocabulary });
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
            Ml.Data.LoadCharacterSequencesFromTextFile(path, new CharacterSequenceOptions { Vocabulary = vocabulary }));

        CollectionAssert.AreEqual(new uint[] { 4, 2 }, ViewReader.Vectors<uint>(view, "Features")[0]);
        Assert.AreEqual($"{path}: line 2, column 2: the character 'z' (U+007A) is not in the vocabulary.", error.Message);
    }

    [TestMethod]
    public void BadTextOrOptions_Throw()
    {
        var shortError = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadCharacterSequences("a"));
        Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadCharacterSequences(""));
        string? Fails(CharacterSequenceOptions options)
            => Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Data.LoadCharacterSequences("abc", options)).ParamName;

        Assert.AreEqual("the text: line 1: the text has 1 character(s); at least 2 are needed for one (character, next character) pair.", shortError.Message);
        Assert.AreEqual("SequenceLength", Fails(new CharacterSequenceOptions { SequenceLength = 0 }));
        Assert.AreEqual("Stride", Fails(new CharacterSequenceOptions { SequenceLength = 4, Stride = 5 }));
        Assert.AreEqual("Stride", Fails(new CharacterSequenceOptions { Stride = 0 }));
    }

    [TestMethod]
    public void TinyShakespeare_Has65Characters_AndWindowsCoverTheWholeText()
    {
        string path = SharedData.RequireOrSkip("tinyshakespeare/input.txt");
        string text = File.ReadAllText(path);

        var view = Ml.Data.LoadCharacterSequencesFromTextFile(path, new CharacterSequenceOptions { SequenceLength = 100 });

        Assert.AreEqual(65UL, ViewReader.KeyCount(view, "Features"));
        Assert.AreEqual(1_115_394, text.Length);
        Assert.AreEqual(11_154L, view.GetRowCount()); // 1,115,393 (input, next) pairs: 11,153 full windows and one of 93
        string[] inputs = Decode(view, "Features");
        string[] labels = Decode(view, "Label");
        Assert.AreEqual(text[..^1], string.Concat(inputs));
        Assert.AreEqual(text[1..], string.Concat(labels));
        Assert.AreEqual(93, inputs[^1].Length);
    }
}
