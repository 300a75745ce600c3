using System.Text;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>The character vocabulary: keys, encoding, and its saved JSON form.</summary>
[TestClass]
public sealed class CharacterVocabularyTests
{
    private static string SaveToString(CharacterVocabulary vocabulary)
    {
        using var stream = new MemoryStream();
        vocabulary.Save(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static CharacterVocabulary LoadFromString(string json) => CharacterVocabulary.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [TestMethod]
    public void FromText_SortsDistinctCharactersByCodePoint_AndKeysStartAt1()
    {
        var vocabulary = CharacterVocabulary.FromText("banana\n😀");

        CollectionAssert.AreEqual(new[] { "\n", "a", "b", "n", "😀" }, vocabulary.Characters.Select(c => c.ToString()).ToArray());
        CollectionAssert.AreEqual(new uint[] { 3, 2, 4, 2, 4, 2, 1, 5 }, vocabulary.Encode("banana\n😀"));
        Assert.AreEqual("banana\n😀", vocabulary.Decode(vocabulary.Encode("banana\n😀")));
        Assert.IsFalse(vocabulary.TryGetKey(new Rune('z'), out _));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => vocabulary.GetCharacter(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => vocabulary.GetCharacter(6));
    }

    [TestMethod]
    public void Save_WritesTheDocumentedJson()
    {
        var vocabulary = new CharacterVocabulary([new Rune('\n'), new Rune('a'), new Rune('"')]);

        string json = SaveToString(vocabulary);

        Assert.AreEqual("""
            {
              "format": "Microsoft.ML.Recurrent.CharacterVocabulary",
              "version": 1,
              "characters": [
                "\n",
                "a",
                "\u0022"
              ]
            }
            """, json);
    }

    [TestMethod]
    public void SaveThenLoad_GivesTheSameCharactersInTheSameOrder()
    {
        var vocabulary = new CharacterVocabulary("zy\n\t\"\\é😀 ".EnumerateRunes());

        var loaded = LoadFromString(SaveToString(vocabulary));

        CollectionAssert.AreEqual(vocabulary.Characters.ToArray(), loaded.Characters.ToArray());
    }

    [TestMethod]
    [DataRow("""{"format": "something else", "version": 1, "characters": ["a"]}""", "format")]
    [DataRow("""{"format": "Microsoft.ML.Recurrent.CharacterVocabulary", "version": 2, "characters": ["a"]}""", "version 2")]
    [DataRow("""{"format": "Microsoft.ML.Recurrent.CharacterVocabulary", "version": 1, "characters": ["a", "ab"]}""", "Entry 1")]
    [DataRow("""{"format": "Microsoft.ML.Recurrent.CharacterVocabulary", "version": 1, "characters": ["a", "a"]}""", "twice")]
    [DataRow("""{"format": "Microsoft.ML.Recurrent.CharacterVocabulary", "version": 1}""", "characters")]
    [DataRow("""not json""", "cannot be read")]
    public void Load_RejectsWhatItCannotRead(string json, string expected)
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => LoadFromString(json));

        Assert.Contains(expected, error.Message);
    }

    [TestMethod]
    public void Constructor_RejectsEmptyAndRepeatedCharacters()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new CharacterVocabulary([]));
        Assert.ThrowsExactly<ArgumentException>(() => new CharacterVocabulary([new Rune('a'), new Rune('a')]));
    }
}
