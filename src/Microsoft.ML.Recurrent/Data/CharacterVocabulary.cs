using System.Text;
using System.Text.Json;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// The characters of a character-level model and their keys: the character at position i of
/// <see cref="Characters"/> has key i + 1 (key 0 is ML.NET's missing value). A character is a Unicode scalar value
/// (<see cref="Rune"/>), so text outside the Basic Multilingual Plane is not split into surrogate halves.
/// </summary>
/// <remarks>
/// <see cref="Save(Stream)"/> writes a small UTF-8 JSON document that later versions of this library keep reading:
/// <code>
/// { "format": "Microsoft.ML.Recurrent.CharacterVocabulary", "version": 1, "characters": [ "\n", " ", "!", "A", ... ] }
/// </code>
/// where <c>characters[i]</c> is the character of key i + 1. The same characters travel as the key values of the
/// loaded columns, so <see cref="FromKeyValues"/> recovers the vocabulary from a schema, e.g. a loaded model's.
/// </remarks>
public sealed class CharacterVocabulary
{
    private const string FormatName = "Microsoft.ML.Recurrent.CharacterVocabulary";
    private const int FormatVersion = 1;

    private readonly Rune[] _characters;
    private readonly Dictionary<Rune, uint> _keys;

    /// <summary>A vocabulary of the given characters, keyed in the given order (the first has key 1).</summary>
    /// <param name="characters">Distinct characters, at least one.</param>
    /// <exception cref="ArgumentException">The list is empty or holds a character twice.</exception>
    public CharacterVocabulary(IEnumerable<Rune> characters)
    {
        ArgumentNullException.ThrowIfNull(characters);
        _characters = characters.ToArray();
        if (_characters.Length == 0) throw new ArgumentException("A vocabulary needs at least one character.", nameof(characters));
        _keys = new Dictionary<Rune, uint>(_characters.Length);
        for (int i = 0; i < _characters.Length; i++)
        {
            if (!_keys.TryAdd(_characters[i], (uint)i + 1))
                throw new ArgumentException($"The character {Describe(_characters[i])} is in the list twice.", nameof(characters));
        }
    }

    /// <summary>The characters, in key order: <c>Characters[k - 1]</c> has key k.</summary>
    public IReadOnlyList<Rune> Characters => _characters;

    /// <summary>The number of characters, which is also the key count of the loaded columns.</summary>
    public int Count => _characters.Length;

    /// <summary>The distinct characters of <paramref name="text"/>, sorted by code point (as char-rnn and nanoGPT do).</summary>
    /// <exception cref="InvalidDataException">The text is empty or holds a lone surrogate.</exception>
    public static CharacterVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var distinct = new SortedSet<Rune>();
        foreach (var (rune, _, _) in TextRunes.Enumerate(text, "the text")) distinct.Add(rune);
        if (distinct.Count == 0) throw new InvalidDataException("The text is empty: there are no characters for a vocabulary.");
        return new CharacterVocabulary(distinct);
    }

    /// <summary>The vocabulary whose characters are the key values of <paramref name="column"/> (a key or key-vector column).</summary>
    /// <exception cref="ArgumentException">The column has no text key values, or one of them is not exactly one character.</exception>
    public static CharacterVocabulary FromKeyValues(DataViewSchema.Column column)
    {
        string[] names = SequenceColumnTypes.GetKeyValueNames(column)
            ?? throw new ArgumentException($"The column '{column.Name}' has no key values.", nameof(column));
        return new CharacterVocabulary(names.Select((n, i) => SingleRune(n)
            ?? throw new ArgumentException($"Key value {i + 1} of the column '{column.Name}' is not one character.", nameof(column))));
    }

    /// <summary>The key of <paramref name="character"/>, or false when it is not in the vocabulary.</summary>
    public bool TryGetKey(Rune character, out uint key) => _keys.TryGetValue(character, out key);

    /// <summary>The character of <paramref name="key"/> (1 to <see cref="Count"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 (missing) or greater than <see cref="Count"/>.</exception>
    public Rune GetCharacter(uint key)
    {
        if (key < 1 || key > _characters.Length)
            throw new ArgumentOutOfRangeException(nameof(key), key, $"Keys run from 1 to {_characters.Length}.");
        return _characters[key - 1];
    }

    /// <summary>The keys of the characters of <paramref name="text"/>.</summary>
    /// <exception cref="InvalidDataException">A character is not in the vocabulary (the message gives its line and column).</exception>
    public uint[] Encode(string text) => Encode(text, "the text");

    /// <summary>The text of <paramref name="keys"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A key is 0 or greater than <see cref="Count"/>.</exception>
    public string Decode(ReadOnlySpan<uint> keys)
    {
        var text = new StringBuilder(keys.Length);
        foreach (uint key in keys) text.Append(GetCharacter(key).ToString());
        return text.ToString();
    }

    /// <summary>Writes the vocabulary as JSON (the format in the remarks) to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteStartArray("characters");
        foreach (Rune c in _characters) writer.WriteStringValue(c.ToString());
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes the vocabulary as JSON to the file <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        Save(stream);
    }

    /// <summary>Reads a vocabulary written by <see cref="Save(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not a vocabulary document this version can read.</exception>
    public static CharacterVocabulary Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var document = JsonDocument.Parse(stream);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != FormatName)
                throw new InvalidDataException($"This is not a character vocabulary: the \"format\" field must be \"{FormatName}\".");
            int version = Field(root, "version").GetInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"The vocabulary has format version {version}; this library reads version {FormatVersion}.");
            var characters = Field(root, "characters").EnumerateArray().Select((e, i) => SingleRune(e.GetString())
                ?? throw new InvalidDataException($"Entry {i} of \"characters\" is not exactly one character."));
            return new CharacterVocabulary(characters.ToArray());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"The character vocabulary cannot be read: {e.Message}", e);
        }
    }

    private static JsonElement Field(JsonElement root, string name) => root.TryGetProperty(name, out var value)
        ? value : throw new InvalidDataException($"The character vocabulary has no \"{name}\" field.");

    /// <summary>Reads a vocabulary from the file <paramref name="path"/>.</summary>
    public static CharacterVocabulary Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>The keys of <paramref name="text"/>; errors name <paramref name="source"/> with line and column.</summary>
    internal uint[] Encode(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keys = new List<uint>(text.Length);
        foreach (var (rune, line, column) in TextRunes.Enumerate(text, source))
        {
            if (!_keys.TryGetValue(rune, out uint key))
                throw DataErrors.At(source, line, column, $"the character {Describe(rune)} is not in the vocabulary.");
            keys.Add(key);
        }
        return keys.ToArray();
    }

    /// <summary>The names of the keys, for the key-value annotations of the loaded columns.</summary>
    internal string[] KeyValueNames() => _characters.Select(c => c.ToString()).ToArray();

    private static Rune? SingleRune(string? text)
        => text is not null && Rune.DecodeFromUtf16(text, out Rune rune, out int used) == System.Buffers.OperationStatus.Done && used == text.Length
            ? rune : null;

    private static string Describe(Rune c) => Rune.IsControl(c) || Rune.IsWhiteSpace(c) ? $"U+{c.Value:X4}" : $"'{c}' (U+{c.Value:X4})";
}
