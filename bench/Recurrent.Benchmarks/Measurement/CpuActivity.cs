using System.Diagnostics;

namespace Recurrent.Benchmarks.Measurement;

/// <summary>
/// How busy the machine was with other processes while a measurement ran: CPU time of the whole machine
/// (<c>/proc/stat</c>) minus this process's own (<c>/proc/self/stat</c>), per second of wall time, in cores.
/// On a shared machine this tells which rows to trust. Linux clock ticks are 1/100 s.
/// </summary>
internal sealed class CpuActivity
{
    private const double TicksPerSecond = 100;
    private readonly long _machine = MachineBusyTicks(), _self = OwnTicks(), _start = Stopwatch.GetTimestamp();

    /// <summary>Average number of cores other processes kept busy since this object was created.</summary>
    public double OtherCores()
    {
        double wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        long others = MachineBusyTicks() - _machine - (OwnTicks() - _self);
        return wall > 0 ? Math.Max(0, others / TicksPerSecond / wall) : double.NaN;
    }

    /// <summary>
    /// Waits until the whole machine (this process is idle meanwhile) keeps fewer than <paramref name="cores"/> cores busy
    /// over one second, or <paramref name="maxSeconds"/> have passed; returns the seconds waited.
    /// </summary>
    public static double WaitForQuiet(double cores, double maxSeconds)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < maxSeconds)
        {
            long before = MachineBusyTicks();
            Thread.Sleep(1000);
            if ((MachineBusyTicks() - before) / TicksPerSecond < cores) break;
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>user + nice + system + irq + softirq + steal of all CPUs.</summary>
    private static long MachineBusyTicks()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(f[i]));
    }

    /// <summary>utime + stime of this process (all its threads).</summary>
    private static long OwnTicks()
    {
        string s = File.ReadAllText("/proc/self/stat");
        var f = s[(s.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(f[11]) + long.Parse(f[12]);
    }
}
