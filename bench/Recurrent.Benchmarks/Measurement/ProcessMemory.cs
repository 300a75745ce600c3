namespace Recurrent.Benchmarks.Measurement;

/// <summary>Resident memory of this process from <c>/proc/self/status</c> (Linux), in KiB.</summary>
internal static class ProcessMemory
{
    /// <summary>VmHWM: the peak resident set size so far.</summary>
    public static long PeakKiB() => Read("VmHWM:");

    /// <summary>VmRSS: the resident set size now.</summary>
    public static long CurrentKiB() => Read("VmRSS:");

    /// <summary>
    /// Restarts the peak from the current resident size (writes 5 to <c>/proc/self/clear_refs</c>), so that a later
    /// <see cref="PeakKiB"/> covers only what follows. False when the kernel refuses.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
        throw new InvalidOperationException($"{field} not found in /proc/self/status.");
    }
}
