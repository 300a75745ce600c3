using Recurrent.Native.IO;

namespace Recurrent.Native.Tests.Golden;

/// <summary>One fixture written by <c>tools/make_golden.py</c> (its docstring lists the tensor names), read through our reader.</summary>
internal sealed class GoldenFixture
{
    private GoldenFixture(string name, SafetensorsFile file)
    {
        Name = name;
        File = file;
    }

    /// <summary>The fixture name (file name without extension).</summary>
    public string Name { get; }

    /// <summary>The path of the fixture in the test output folder.</summary>
    public string Path => PathOf(Name);

    /// <summary>The parsed file.</summary>
    public SafetensorsFile File { get; }

    /// <summary>Steps T, from the input [T, B, I].</summary>
    public int Steps => File["input"].Shape[0];

    /// <summary>Batch B, from the input [T, B, I].</summary>
    public int Batch => File["input"].Shape[1];

    /// <summary>Reads the fixture <paramref name="name"/>.</summary>
    public static GoldenFixture Load(string name) => new(name, SafetensorsFile.Read(PathOf(name)));

    /// <summary>The values of tensor <paramref name="name"/> as <typeparamref name="T"/>.</summary>
    public T[] Get<T>(string name) where T : unmanaged, INumberBase<T> => File[name].ToArray<T>();

    /// <summary>True when the fixture holds tensor <paramref name="name"/>.</summary>
    public bool Has(string name) => File.Contains(name);

    /// <summary>The [T, B] mask of a packed fixture (steps [0, lengths[b]) present), or empty when all steps are present.</summary>
    public float[] Mask()
    {
        if (!Has("lengths")) return [];
        var lengths = Get<float>("lengths");
        var mask = new float[Steps * Batch];
        for (int t = 0; t < Steps; t++)
            for (int b = 0; b < Batch; b++)
                mask[t * Batch + b] = t < lengths[b] ? 1f : 0f;
        return mask;
    }

    private static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", name + ".safetensors");
}
