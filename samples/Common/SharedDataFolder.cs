namespace Samples.Common;

/// <summary>
/// Finds the real data sets (<c>../shared/data</c> seen from the repository's root; they are not part of the
/// repository) by walking up from the current directory and from the program's folder, unless a folder is given.
/// </summary>
internal static class SharedDataFolder
{
    /// <summary>
    /// The path of <paramref name="relative"/> (a file or folder inside the shared data folder), or, when
    /// <paramref name="explicitPath"/> is given, that path itself.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Nothing was found; the message says how to point at the data.</exception>
    public static string Locate(string relative, string? explicitPath = null)
    {
        if (explicitPath is not null)
        {
            if (File.Exists(explicitPath) || Directory.Exists(explicitPath)) return Path.GetFullPath(explicitPath);
            throw new DirectoryNotFoundException($"'{explicitPath}' does not exist.");
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "..", "shared", "data", relative);
                if (File.Exists(candidate) || Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        }
        throw new DirectoryNotFoundException(
            $"Could not find ../shared/data/{relative} above the current directory or the program's folder; pass its location with --data.");
    }
}
