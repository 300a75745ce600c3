using System.Diagnostics;
using System.Runtime.InteropServices;
using Recurrent.Native.Simd;

namespace Recurrent.Benchmarks;

/// <summary>What the report says about the machine: lscpu's main lines, the SIMD flags that matter, THP, load.</summary>
internal sealed record Machine(string Cpu, string Topology, string Caches, string Flags, string Hypervisor, string TransparentHugePages,
    string Os, string Runtime, string EngineWidth)
{
    private static readonly string[] Interesting = ["avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile"];

    /// <summary>Reads lscpu (Linux) and the runtime.</summary>
    public static Machine Describe()
    {
        var l = Lscpu();
        string Get(string key) => l.TryGetValue(key, out var v) ? v : "?";
        var flags = Get("Flags").Split(' ').ToHashSet();
        string present = string.Join(" ", Interesting.Where(flags.Contains));
        return new Machine(
            Cpu: $"{Get("Model name")} (family {Get("CPU family")} model {Get("Model")} stepping {Get("Stepping")})",
            Topology: $"{Get("CPU(s)")} CPUs: {Get("Socket(s)")} socket(s) × {Get("Core(s) per socket")} core(s) × {Get("Thread(s) per core")} thread(s)",
            Caches: $"L1d {Get("L1d cache")}, L2 {Get("L2 cache")}, L3 {Get("L3 cache")}",
            Flags: present + (flags.Contains("avx512f") ? "" : " (no avx512f)"),
            Hypervisor: Get("Hypervisor vendor"),
            TransparentHugePages: ReadOr("/sys/kernel/mm/transparent_hugepage/enabled", "?"),
            Os: RuntimeInformation.OSDescription,
            Runtime: RuntimeInformation.FrameworkDescription,
            EngineWidth: $"{(int)SimdWidth.Best} bits");
    }

    /// <summary>The 1, 5 and 15 minute load averages now.</summary>
    public static string LoadAverage() => string.Join(" ", ReadOr("/proc/loadavg", "? ? ?").Split(' ').Take(3));

    private static Dictionary<string, string> Lscpu()
    {
        var d = new Dictionary<string, string>();
        try
        {
            using var p = Process.Start(new ProcessStartInfo("lscpu") { RedirectStandardOutput = true, UseShellExecute = false, Environment = { ["LC_ALL"] = "C" } });
            if (p is null) return d;
            foreach (var line in p.StandardOutput.ReadToEnd().Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) d.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No lscpu: the report shows "?".
        }
        return d;
    }

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path).Trim() : fallback;
}
