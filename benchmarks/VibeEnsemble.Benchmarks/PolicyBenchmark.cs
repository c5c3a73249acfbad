using System.Diagnostics;
using System.Text.Json;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Permissions;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// The permission policy in process: 1,000 rules of every kind, and calls that match none of them (the worst case:
/// every rule is tried), one near the end, and a compound command of four parts. Target: under 50 µs per decision.
/// </summary>
internal static class PolicyBenchmark
{
    public static (double MeanMicros, double P99Micros, int Rules) Run(TimeSpan duration)
    {
        var now = DateTimeOffset.UtcNow;
        var rules = new List<PermissionRule>();
        for (var i = 0; i < 1_000; i++)
        {
            var (tool, argument) = (i % 10) switch
            {
                < 4 => ("Bash", $"tool{i} run"),
                < 6 => ("Bash", $"tool{i} * --flag*"),
                < 9 => ("Read, Edit", $"{{workdir}}/module{i}/**/*.cs"),
                _ => ($"mcp__server{i}__*", (string?)null),
            };
            rules.Add(PermissionRule.Create(new PermissionRuleSettings(
                i % 3 == 0 ? PermissionScope.Project : PermissionScope.Server, i % 3 == 0 ? "bench" : null, i, tool, argument,
                PermissionAction.Allow), "bench", now));
        }

        var policy = new PermissionPolicy(rules);
        var workdir = CallArgument.Resolve(Path.GetTempPath());
        PermissionQuery[] queries =
        [
            new("Bash", JsonSerializer.SerializeToElement(new { command = "make deploy --prod" }), workdir, "bench"),
            new("Bash", JsonSerializer.SerializeToElement(new { command = "tool990 run" }), workdir, "bench"),
            new("Bash", JsonSerializer.SerializeToElement(new { command = "tool1 run && tool2 run | tool3 run; tool999 run" }), workdir, "bench"),
            new("Edit", JsonSerializer.SerializeToElement(new { file_path = "src/unmatched/File.cs" }), workdir, "bench"),
            new("mcp__other__tool", JsonSerializer.SerializeToElement(new { }), workdir, "bench"),
        ];
        var samples = new List<double>();
        var perQuery = queries.Select(_ => new List<double>()).ToArray();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            for (var q = 0; q < queries.Length; q++)
            {
                var started = Stopwatch.GetTimestamp();
                policy.Evaluate(queries[q]);
                var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                samples.Add(micros);
                perQuery[q].Add(micros);
            }
        }

        foreach (var q in perQuery)
        {
            q.Sort();
            Console.Error.WriteLine($"policy query: mean {q.Average():F1} µs, p99 {q[(int)(q.Count * 0.99)]:F1} µs");
        }

        samples.Sort();
        return (samples.Average(), samples[(int)(samples.Count * 0.99)], policy.Count);
    }
}
