using System.Globalization;

namespace Samples.Common;

/// <summary>Reads <c>--name value</c> options and <c>--flag</c> switches; anything else is an error naming it.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _given = [];

    /// <param name="args">The program's arguments.</param>
    /// <param name="flags">Switches (no value).</param>
    /// <param name="values">Options that take a value.</param>
    public CommandLine(string[] args, string[] flags, string[] values)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (flags.Contains(name)) _given[name] = null;
            else if (values.Contains(name) && i + 1 < args.Length) _given[name] = args[++i];
            else if (values.Contains(name)) throw new ArgumentException($"{name} needs a value.");
            else throw new ArgumentException($"Unknown argument '{name}'. Options: {string.Join(", ", flags.Concat(values))}.");
        }
    }

    public bool Has(string flag) => _given.ContainsKey(flag);

    public string? Text(string name) => _given.GetValueOrDefault(name);

    public int? Int(string name) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public double? Double(string name) => Text(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;
}
