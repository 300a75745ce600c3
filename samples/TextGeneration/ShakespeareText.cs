namespace Samples.TextGeneration;

/// <summary>Tiny Shakespeare (karpathy/char-rnn), split as nanoGPT splits it: the first 90% to train on, the contiguous
/// last 10% to validate on.</summary>
public static class ShakespeareText
{
    /// <summary>The file's path inside the shared data folder.</summary>
    public const string RelativePath = "tinyshakespeare/input.txt";

    public static (string Train, string Validation) Load(string path)
    {
        string text = File.ReadAllText(path);
        int cut = (int)(text.Length * 0.9);
        return (text[..cut], text[cut..]);
    }
}
