using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>A file that conflicted before, or that several tasks changed: a new overlap on it is more likely to hurt.</summary>
public sealed record HotSpot(string Path, int Conflicts, int TasksChanged);

/// <summary>What <c>check_conflicts</c> answers: reservations in the way, and the hot spots among the paths.</summary>
public sealed record ConflictCheck(IReadOnlyList<ReservationOverlap> Overlaps, IReadOnlyList<HotSpot> HotSpots);

/// <summary>
/// Hot spots, learned honestly and simply (ADR-014): files in settled conflicts, and files that at least two tasks
/// changed (their changed-file lists). Read from the last 1,000 of each per project and kept for 30 s.
/// </summary>
public sealed partial class ConflictService
{
    public const int MaxHotSpots = 50;
    private static readonly TimeSpan HotSpotsFor = TimeSpan.FromSeconds(30);
    private (Dictionary<Guid, List<HotSpot>> ByProject, long At)? _hotSpots;

    /// <summary>
    /// Other agents' reservations overlapping the paths, and the hot spots among them, so that a coordinator planning
    /// work sees where it is likely to collide.
    /// </summary>
    public async Task<ConflictCheck> CheckAsync(AgentSnapshot? agent, IReadOnlyList<string>? paths, string? projectName, CancellationToken cancellationToken)
    {
        var overlaps = await reservations.CheckAsync(agent, paths, projectName, cancellationToken);
        var project = await projects.ResolveAsync(projectName, cancellationToken);
        var hot = (await HotSpotsByProjectAsync(cancellationToken)).GetValueOrDefault(project?.Id ?? Guid.Empty) ?? [];
        var wanted = ReservationInputs.Paths(paths).Select(p => ReservationPaths.Normalize(p, project?.WorkingDirectory)).ToList();
        return new ConflictCheck(overlaps, [.. hot.Where(h => wanted.Any(p => ReservationPaths.Overlap(p, h.Path)))]);
    }

    /// <summary>The hottest files of a project (or of work outside any project), for the dashboard and planning.</summary>
    public async Task<IReadOnlyList<HotSpot>> HotSpotsAsync(string? projectName, CancellationToken cancellationToken)
    {
        var project = projectName is null ? null : await projects.ResolveAsync(projectName, cancellationToken);
        var all = await HotSpotsByProjectAsync(cancellationToken);
        return project is not null
            ? all.GetValueOrDefault(project.Id) ?? []
            : [.. all.Values.SelectMany(h => h).OrderByDescending(h => h.Conflicts).ThenByDescending(h => h.TasksChanged).Take(MaxHotSpots)];
    }

    /// <summary>Per project (<see cref="Guid.Empty"/>: none), its hot spots, hottest first.</summary>
    internal async Task<Dictionary<Guid, List<HotSpot>>> HotSpotsByProjectAsync(CancellationToken cancellationToken)
    {
        if (_hotSpots is { } cached && time.GetElapsedTime(cached.At) < HotSpotsFor)
        {
            return cached.ByProject;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Settled conflicts only: an open one must not make its own files look "conflicted before" at the next scan.
        var conflicted = await db.Conflicts.AsNoTracking().Where(c => c.State != Domain.Conflicts.ConflictState.Open)
            .OrderByDescending(c => c.DetectedAt).Take(1_000)
            .Select(c => new { c.ProjectId, c.Files }).ToListAsync(cancellationToken);
        var changed = await db.Tasks.AsNoTracking().Where(t => t.CompletedAt != null).OrderByDescending(t => t.CompletedAt).Take(1_000)
            .Select(t => new { t.ProjectId, t.ChangedFiles }).ToListAsync(cancellationToken);
        var byProject = conflicted.Select(c => (Project: c.ProjectId ?? Guid.Empty, c.Files, Conflict: true))
            .Concat(changed.Select(t => (Project: t.ProjectId ?? Guid.Empty, Files: t.ChangedFiles, Conflict: false)))
            .GroupBy(r => r.Project)
            .ToDictionary(g => g.Key, g => g
                .SelectMany(r => r.Files.Distinct(StringComparer.Ordinal).Select(f => (File: f, r.Conflict)))
                .GroupBy(x => x.File, StringComparer.Ordinal)
                .Select(x => new HotSpot(x.Key, x.Count(y => y.Conflict), x.Count(y => !y.Conflict)))
                .Where(h => h.Conflicts > 0 || h.TasksChanged >= 2)
                .OrderByDescending(h => h.Conflicts).ThenByDescending(h => h.TasksChanged).ThenBy(h => h.Path, StringComparer.Ordinal)
                .Take(MaxHotSpots).ToList());
        _hotSpots = (byProject, time.GetTimestamp());
        return byProject;
    }

    private void ForgetHotSpots() => _hotSpots = null;
}
