namespace Microsoft.ML.Recurrent.Tests;

/// <summary>
/// Locates <c>../shared/data</c> (the real data sets; present in CI, absent in a user's clone). Tests that need it call
/// <see cref="RequireOrSkip"/>: they report themselves skipped with the reason when it is absent, unless
/// <c>RECURRENT_REQUIRE_SHARED_DATA=1</c> (set by <c>.ci/run</c>), in which case they fail.
/// </summary>
internal static class SharedData
{
    /// <summary>The data folder, or null when it is not there.</summary>
    public static string? Folder { get; } = Find();

    private static string? Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return Path.GetFullPath(candidate);
        }
        return null;
    }

    /// <summary>The path of <paramref name="relative"/> inside the data folder, or skips (fails in CI) when absent.</summary>
    public static string RequireOrSkip(string relative)
    {
        string? path = Folder is null ? null : Path.Combine(Folder, relative);
        if (path is not null && (File.Exists(path) || Directory.Exists(path))) return path;
        string reason = $"../shared/data/{relative} is not present (it ships with CI, not with a clone of this repository).";
        if (Environment.GetEnvironmentVariable("RECURRENT_REQUIRE_SHARED_DATA") == "1") Assert.Fail(reason);
        Assert.Inconclusive(reason);
        return null!;
    }
}
