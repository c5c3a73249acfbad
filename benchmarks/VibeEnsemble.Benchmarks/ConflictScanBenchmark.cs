using System.Diagnostics;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Conflicts.Scans;

namespace VibeEnsemble.Benchmarks;

/// <summary>
/// A full conflict scan of 20 worktrees of one repository (200 files of 200 lines; each worktree changes 10 files,
/// neighbours overlapping, some on the same lines), as the recurring job runs it: read each worktree's changes, then
/// compare every pair with trial merges. Prints the wall time and the CPU it costs, ours and git's.
/// </summary>
internal static class ConflictScanBenchmark
{
    public const int Worktrees = 20;

    public static async Task<(double WallMs, double CpuMs, int Conflicts)> RunAsync(int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), "vibe-bench", "scan-" + Guid.NewGuid().ToString("N"));
        var repo = Directory.CreateDirectory(Path.Combine(root, "repo")).FullName;
        try
        {
            Git(repo, "init", "--quiet", "--initial-branch", "main");
            for (var f = 0; f < 200; f++)
            {
                Directory.CreateDirectory(Path.Combine(repo, "src", $"m{f % 20}"));
                File.WriteAllLines(Path.Combine(repo, "src", $"m{f % 20}", $"f{f}.cs"), Enumerable.Range(0, 200).Select(l => $"// file {f} line {l}"));
            }

            Git(repo, "add", ".");
            Git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", "base");
            var head = Git(repo, "rev-parse", "HEAD").Trim();
            var targets = new List<ScanTarget>();
            for (var w = 0; w < Worktrees; w++)
            {
                var path = Path.Combine(root, $"wt{w}");
                Git(repo, "worktree", "add", "--quiet", "-b", $"w{w}", path);
                for (var k = 0; k < 10; k++)
                {
                    var f = (w * 5 + k) % 200;
                    var file = Path.Combine(path, "src", $"m{f % 20}", $"f{f}.cs");
                    var lines = File.ReadAllLines(file);
                    lines[(w % 2) * 50 + k] = $"// changed by worktree {w}";
                    File.WriteAllLines(file, lines);
                }

                targets.Add(new ScanTarget(new ConflictSide(Guid.NewGuid(), $"w{w}", null, null, $"w{w}"), null, repo, path, head));
            }

            var walls = new List<double>();
            var cpus = new List<double>();
            var found = 0;
            for (var run = 0; run < runs; run++)
            {
                var (cpuBefore, started) = (Cpu(), Stopwatch.GetTimestamp());
                var scanned = new List<(ScanTarget, WorktreeDiff)>();
                foreach (var target in targets)
                {
                    scanned.Add((target, (await WorktreeDiff.ReadAsync(target.Directory, target.BaseCommit, CancellationToken.None))!));
                }

                found = (await ConflictScanner.CompareAsync(scanned, _ => new HashSet<string>(), CancellationToken.None)).Count;
                walls.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                cpus.Add((Cpu() - cpuBefore).TotalMilliseconds);
            }

            return (walls.Order().ElementAt(runs / 2), cpus.Order().ElementAt(runs / 2), found);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Ours plus the finished git processes' (reaped children), from /proc: the scan's cost is mostly git's.
    private static TimeSpan Cpu()
    {
        var fields = File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var childTicks = long.Parse(fields[13]) + long.Parse(fields[14]);
        return Process.GetCurrentProcess().TotalProcessorTime + TimeSpan.FromSeconds(childTicks / 100.0);
    }

    private static string Git(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false };
        arguments.ToList().ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed");
    }
}
