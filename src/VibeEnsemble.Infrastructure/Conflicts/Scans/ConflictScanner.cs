using System.Text;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Conflicts.Scans;

/// <summary>
/// A checkout to scan: whose it is, its task, and where its changes start (for a worker in the project's own directory,
/// the commit then and the changes already there, <paramref name="Baseline"/>: file to hunks).
/// </summary>
public sealed record ScanTarget(
    ConflictSide Side, Guid? ProjectId, string RepositoryDirectory, string Directory, string BaseCommit,
    IReadOnlyDictionary<string, string>? Baseline = null);

/// <summary>A conflict as one scan saw it, before it is matched with what is already recorded.</summary>
public sealed record Observation(
    Guid? ProjectId, ConflictKind Kind, ConflictSide First, ConflictSide Second, ConflictSeverity Severity, IReadOnlyList<string> Files, string Detail);

/// <summary>
/// Compares what worktrees changed, pair by pair within a project: the same file changed on both sides is a conflict;
/// the same base lines changed on both sides, or a file that conflicted before (a hot spot), raise it to medium; a trial
/// merge of the two sides (<c>git merge-tree --write-tree</c>, which touches no worktree) that reports a textual
/// conflict makes it high, with the files and a suggested merge order.
/// </summary>
public static class ConflictScanner
{
    private const int MaxDetailFiles = 20;

    public static async Task<List<Observation>> CompareAsync(
        IReadOnlyList<(ScanTarget Target, WorktreeDiff Diff)> scanned, Func<Guid?, IReadOnlySet<string>> hotSpots, CancellationToken cancellationToken)
    {
        var found = new List<Observation>();
        foreach (var project in scanned.GroupBy(s => s.Target.ProjectId))
        {
            var sides = project.OrderBy(s => s.Target.Side.AgentId).ToList();
            var hot = hotSpots(project.Key);
            for (var i = 0; i < sides.Count; i++)
            {
                for (var j = i + 1; j < sides.Count; j++)
                {
                    // Two workers sharing one checkout see the same changes: comparing them would only accuse both.
                    if (sides[i].Target.Side.AgentId != sides[j].Target.Side.AgentId && sides[i].Target.Directory != sides[j].Target.Directory
                        && await CompareAsync(sides[i], sides[j], hot, cancellationToken) is { } observation)
                    {
                        found.Add(observation);
                    }
                }
            }
        }

        return found;
    }

    private static async Task<Observation?> CompareAsync(
        (ScanTarget Target, WorktreeDiff Diff) a, (ScanTarget Target, WorktreeDiff Diff) b, IReadOnlySet<string> hot, CancellationToken cancellationToken)
    {
        var common = a.Diff.Files.Keys.Where(b.Diff.Files.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (common.Count == 0)
        {
            return null;
        }

        var overlapping = common.Where(f => a.Diff.Files[f].Ranges.Any(r => b.Diff.Files[f].Ranges.Any(r.Overlaps))).ToList();
        var merge = await GitWorktrees.ExecuteAsync(a.Target.RepositoryDirectory, 100_000, cancellationToken,
            "merge-tree", "--write-tree", "--name-only", "--no-messages", a.Diff.Tip, b.Diff.Tip);
        // Exit 1 with the conflicted files after the tree id; 0 merges cleanly; anything else is git failing.
        var conflicted = merge.ExitCode == 1
            ? merge.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Distinct(StringComparer.Ordinal).ToList()
            : [];
        var severity = conflicted.Count > 0 ? ConflictSeverity.High
            : overlapping.Count > 0 || common.Any(hot.Contains) ? ConflictSeverity.Medium
            : ConflictSeverity.Low;
        return new Observation(a.Target.ProjectId, ConflictKind.Overlap, a.Target.Side, b.Target.Side, severity, common,
            Describe(a, b, common, overlapping, conflicted, merge.ExitCode, hot));
    }

    private static string Describe(
        (ScanTarget Target, WorktreeDiff Diff) a, (ScanTarget Target, WorktreeDiff Diff) b, List<string> common,
        List<string> overlapping, List<string> conflicted, int mergeExit, IReadOnlySet<string> hot)
    {
        var (first, second) = (a.Target.Side, b.Target.Side);
        var text = new StringBuilder();
        text.Append($"{first.AgentName} and {second.AgentName} both changed {common.Count} file(s).\n");
        text.Append(mergeExit switch
        {
            1 => $"A trial merge of the two sides fails on: {string.Join(", ", conflicted)}.\n",
            0 => "A trial merge of the two sides succeeds (no textual conflict).\n",
            _ => "The trial merge could not be run.\n",
        });
        if (common.Where(hot.Contains).ToList() is { Count: > 0 } before)
        {
            text.Append($"Conflicted before: {string.Join(", ", before)}.\n");
        }

        var (aLines, bLines) = (common.Sum(f => a.Diff.Files[f].ChangedLines), common.Sum(f => b.Diff.Files[f].ChangedLines));
        var (smaller, larger) = aLines <= bLines ? (first, second) : (second, first);
        text.Append($"Suggested merge order: {smaller.AgentName}'s change first ({Math.Min(aLines, bLines)} changed lines in these files), then {larger.AgentName}'s ({Math.Max(aLines, bLines)}), resolving on the larger side.\n");
        foreach (var file in common.Take(MaxDetailFiles))
        {
            var (left, right) = (a.Diff.Files[file], b.Diff.Files[file]);
            text.Append($"\n## {file}{(overlapping.Contains(file) ? " (same lines)" : "")}\n");
            text.Append($"### {first.AgentName}: {string.Join(", ", left.Ranges)}\n{left.Hunks}");
            text.Append($"### {second.AgentName}: {string.Join(", ", right.Ranges)}\n{right.Hunks}");
        }

        return text.ToString();
    }
}
