using System.Globalization;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// An ordered set of files holding one sequence each (one step per line), as read by
/// <see cref="SequenceLoaderCatalog.LoadSequencesFromTextFiles(DataOperationsCatalog, SequenceFileSet, SequenceFileSet, SequenceTextFileOptions?)"/>.
/// A feature file set and a label file set are paired by position. Creating a set does not touch the files; the loader
/// checks that they exist and reads them one at a time.
/// </summary>
public sealed partial class SequenceFileSet
{
    private readonly Func<int, string> _describe;

    private SequenceFileSet(IReadOnlyList<string> paths, string description, Func<int, string> describe)
    {
        Paths = paths;
        Description = description;
        _describe = describe;
    }

    /// <summary>The files, in sequence order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>How the set was given (pattern and range, folder, or list), for messages.</summary>
    public string Description { get; }

    /// <summary>
    /// The files <paramref name="pattern"/> names for every number from <paramref name="first"/> to
    /// <paramref name="last"/>, both included (DL4J's <c>NumberedFileInputSplit</c>). The pattern holds exactly one
    /// <c>%d</c>, or <c>%0Nd</c> for numbers zero-padded to N digits: <c>data/myInput_%d.csv</c>, <c>seq_%03d.txt</c>.
    /// </summary>
    /// <param name="pattern">The path with one <c>%d</c> or <c>%0Nd</c> where the number goes.</param>
    /// <param name="first">The first number, 0 or more.</param>
    /// <param name="last">The last number, <paramref name="first"/> or more.</param>
    /// <exception cref="ArgumentException">The pattern does not hold exactly one <c>%d</c> or <c>%0Nd</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is negative, or <paramref name="last"/> &lt; <paramref name="first"/>.</exception>
    public static SequenceFileSet FromNumberedPattern(string pattern, int first, int last)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var matches = NumberPlaceholder().Matches(pattern);
        if (matches.Count != 1)
        {
            throw new ArgumentException(
                $"The pattern '{pattern}' must hold exactly one %d or %0Nd (e.g. 'myInput_%d.csv' or 'seq_%03d.txt'); it holds {matches.Count}.",
                nameof(pattern));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);

        Match m = matches[0];
        string format = "D" + (m.Groups[1].Success ? m.Groups[1].Value.TrimStart('0') : "");
        string prefix = pattern[..m.Index], suffix = pattern[(m.Index + m.Length)..];
        var paths = new string[checked(last - first + 1)];
        for (int i = 0; i < paths.Length; i++)
            paths[i] = prefix + (first + i).ToString(format, CultureInfo.InvariantCulture) + suffix;
        return new SequenceFileSet(paths, $"the numbered range '{pattern}', {first} to {last}",
            i => $"number {first + i} of the numbered range '{pattern}', {first} to {last}");
    }

    /// <summary>The given files, in the given order.</summary>
    /// <param name="paths">One file per sequence; at least one.</param>
    /// <exception cref="ArgumentException">The list is empty or holds an empty path.</exception>
    public static SequenceFileSet FromFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        string[] list = paths.ToArray();
        if (list.Length == 0) throw new ArgumentException("The list of sequence files is empty.", nameof(paths));
        if (list.Any(string.IsNullOrEmpty)) throw new ArgumentException("The list of sequence files holds an empty path.", nameof(paths));
        return new SequenceFileSet(list, $"a list of {list.Length} files", i => $"item {i} of the list of files");
    }

    /// <summary>
    /// The files of <paramref name="folder"/> (not its subfolders) that match <paramref name="searchPattern"/>, sorted by
    /// name in natural order: numbers in names compare by value, so <c>x_2.csv</c> comes before <c>x_10.csv</c>.
    /// </summary>
    /// <param name="folder">The folder to list.</param>
    /// <param name="searchPattern">A file-name pattern with <c>*</c> and <c>?</c>, <c>*</c> (every file) by default.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">No file in the folder matches the pattern.</exception>
    public static SequenceFileSet FromFolder(string folder, string searchPattern = "*")
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(searchPattern);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The sequence folder '{folder}' does not exist.");
        string[] files = Directory.GetFiles(folder, searchPattern, SearchOption.TopDirectoryOnly);
        if (files.Length == 0)
            throw new ArgumentException($"The folder '{folder}' has no file matching '{searchPattern}'.", nameof(folder));
        Array.Sort(files, (a, b) => NaturalStringComparer.Instance.Compare(Path.GetFileName(a), Path.GetFileName(b)));
        return new SequenceFileSet(files, $"the folder '{folder}' ('{searchPattern}', {files.Length} files)",
            i => $"file {i} of the folder '{folder}' in name order");
    }

    /// <summary>Where the file at <paramref name="index"/> comes from, for messages.</summary>
    internal string Describe(int index) => _describe(index);

    /// <summary>Throws <see cref="FileNotFoundException"/> for the first file of the set that does not exist.</summary>
    internal void CheckAllExist()
    {
        for (int i = 0; i < Paths.Count; i++)
        {
            if (!File.Exists(Paths[i]))
                throw new FileNotFoundException($"The sequence file '{Paths[i]}' ({Describe(i)}) does not exist.", Paths[i]);
        }
    }

    [GeneratedRegex(@"%(0[1-9][0-9]*)?d")]
    private static partial Regex NumberPlaceholder();
}
