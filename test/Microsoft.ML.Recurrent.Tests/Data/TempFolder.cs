namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>A fresh folder under the temp path for the files of one test, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("recurrent-data-").FullName;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="lines"/> (each followed by '\n') to <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        string path = this[name];
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
