using System.Collections.Concurrent;
using VibeEnsemble.Infrastructure.Conflicts.Scans;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>
/// Workers in the project's own directory (task isolation <c>shared</c>): what was already changed there when one
/// started (the person's own edits, say) is noted, so that a scan counts only what changed since. Two such workers
/// share one checkout and cannot be told apart, so they are compared with worktree workers only.
/// </summary>
public sealed partial class ConflictService
{
    private readonly ConcurrentDictionary<Guid, SharedBaseline> _baselines = new();

    /// <summary>Notes the state of <paramref name="directory"/> before worker <paramref name="workerId"/> starts in it.</summary>
    internal async Task NoteSharedStartAsync(Guid workerId, string directory, CancellationToken cancellationToken)
    {
        var head = await GitWorktrees.ExecuteAsync(directory, 200, cancellationToken, "rev-parse", "HEAD");
        if (head.ExitCode != 0 || head.Output.Trim() is not { Length: > 0 } commit)
        {
            return; // Not a git repository (or no commit yet): nothing to compare.
        }

        try
        {
            var before = await WorktreeDiff.ReadAsync(directory, commit, cancellationToken);
            _baselines[workerId] = new SharedBaseline(commit, before?.Files.ToDictionary(f => f.Key, f => f.Value.Hunks, StringComparer.Ordinal) ?? []);
        }
        catch (IOException)
        {
            // The scratch index could not be written or removed: this worker goes unscanned rather than unstarted.
        }
    }

    private List<(WorkerRun Run, SharedBaseline Baseline)> SharedRuns()
    {
        var running = workers.Running.ToDictionary(r => r.WorkerId);
        foreach (var gone in _baselines.Keys.Where(id => !running.ContainsKey(id)))
        {
            _baselines.TryRemove(gone, out _);
        }

        return [.. running.Values.Where(r => r.Worktree is null && _baselines.ContainsKey(r.WorkerId)).Select(r => (r, _baselines[r.WorkerId]))];
    }

    /// <summary>Only the files changed since the worker started: new ones, or ones whose changes differ from then.</summary>
    private static WorktreeDiff SinceStart(WorktreeDiff diff, IReadOnlyDictionary<string, string>? baseline) =>
        baseline is null ? diff
        : diff with { Files = diff.Files.Where(f => !baseline.TryGetValue(f.Key, out var hunks) || hunks != f.Value.Hunks).ToDictionary(StringComparer.Ordinal) };

    private sealed record SharedBaseline(string Head, IReadOnlyDictionary<string, string> Files);
}
