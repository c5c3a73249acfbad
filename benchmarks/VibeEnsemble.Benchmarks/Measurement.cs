using System.Diagnostics;

namespace VibeEnsemble.Benchmarks;

/// <summary>Latencies of repeated operations and the rate they were done at.</summary>
internal sealed record Measurement(string Name, int Operations, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times in a row, timing each.</summary>
    public static async Task<Measurement> SequentialAsync(string name, int count, Func<int, Task> operation)
    {
        var latencies = new double[count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(i);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return new Measurement(name, count, total.Elapsed, latencies);
    }
}
