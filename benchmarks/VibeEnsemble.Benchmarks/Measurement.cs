namespace VibeEnsemble.Benchmarks;

/// <summary>Calls made on some connections for a while: their rate and latency percentiles.</summary>
internal sealed record Measurement(string Name, int Connections, long Calls, long Errors, TimeSpan Elapsed, double[] LatenciesMs)
{
    /// <summary>
    /// How long each cell runs its calls before measuring. On this 2-core machine tiered compilation was still
    /// recompiling hot methods 5 s into a cell after a 300 ms warm-up (10-15 % of the server's CPU samples in the JIT);
    /// after 3 s it was down to ~1 %, so the rows measure the server as it runs, not as it starts. On a slow day 3 s
    /// is not enough for the heavier rows (8–13 s into a task-cycle cell the tier-up thread still took 18 % of a
    /// core), so a run can ask for more with <c>--warm-up</c>.
    /// </summary>
    public static TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>CPU time the server process spent per call while it was measured; null for in-process floors.</summary>
    public double? ServerCpuMicrosPerCall { get; init; }

    public double PerSecond => Calls / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
