using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Conflicts.Scans;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>
/// Observed conflicts (ADR-014): scans running workers' worktrees, records what it finds (one conflict per pair of
/// sides while open: updated, never duplicated; a scan that finds nothing new writes and pushes nothing), tells the
/// agents involved, escalates what stays open too long to the coordinator of their tasks, and records resolutions.
/// MCP tools, <c>vibe/conflict/*</c>, the API and the dashboard share it.
/// </summary>
public sealed partial class ConflictService(
    IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, WorkerRegistry workers, PresenceRegistry presence,
    ReservationService reservations, MessageService messages, ProjectService projects, Tasks.TaskService tasks, CoordinationEventBus events,
    IOptions<ConflictOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<ConflictService> logger)
{
    public const int MaxListed = 500;

    // One scan at a time: the recurring job and a person's "scan now" must not record the same conflict twice.
    private readonly SemaphoreSlim _scanning = new(1, 1);

    /// <summary>Scans every running worker's worktree now and records what is new.</summary>
    public async Task<ConflictScanReport> ScanAsync(CancellationToken cancellationToken)
    {
        await _scanning.WaitAsync(cancellationToken);
        try
        {
            var started = time.GetTimestamp();
            var targets = await TargetsAsync(cancellationToken);
            if (targets.Count == 0)
            {
                // No worker of ours runs in a repository: no process started, nothing read.
                return new ConflictScanReport(0, 0, 0, time.GetElapsedTime(started));
            }

            var scanned = new List<(ScanTarget, WorktreeDiff)>();
            foreach (var target in targets)
            {
                if (await WorktreeDiff.ReadAsync(target.Directory, target.BaseCommit, cancellationToken) is { } diff)
                {
                    scanned.Add((target, SinceStart(diff, target.Baseline)));
                }
            }

            var hotSpots = (await HotSpotsByProjectAsync(cancellationToken))
                .ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.Select(h => h.Path).ToHashSet(StringComparer.Ordinal));
            var none = new HashSet<string>();
            var found = await ConflictScanner.CompareAsync(scanned, p => hotSpots.GetValueOrDefault(p ?? Guid.Empty) ?? none, cancellationToken);
            found.AddRange(await ViolationsAsync(scanned, cancellationToken));
            var (detected, updated) = found.Count == 0 ? (0, 0) : await RecordAsync(found, cancellationToken);
            var report = new ConflictScanReport(scanned.Count, detected, updated, time.GetElapsedTime(started));
            if (detected + updated > 0)
            {
                LogScanned(logger, report.Worktrees, detected, updated, report.Took.TotalMilliseconds);
            }

            return report;
        }
        finally
        {
            _scanning.Release();
        }
    }

    /// <summary>Records what a scan saw; tells both sides of each new conflict, or of one that got worse.</summary>
    internal async Task<(int Detected, int Updated)> RecordAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        var changes = await writer.ExecuteAsync(new WriteCommand<List<(Conflict Conflict, string Change, bool Worse)>>(context =>
        {
            var db = context.Db;
            var now = time.GetUtcNow();
            var keyed = observations.Select(o => (Key: Conflict.KeyOf(o.Kind, o.First, o.Second), Observation: o)).ToList();
            var keys = keyed.Select(k => k.Key).ToList();
            var open = db.Conflicts.Where(c => c.State == ConflictState.Open && keys.Contains(c.Key)).ToDictionary(c => c.Key);
            // What someone already settled is not raised again for the same changes: only for other files, or worse.
            var settled = db.Conflicts.AsNoTracking().Where(c => c.State != ConflictState.Open && keys.Contains(c.Key))
                .Select(c => new { c.Key, c.Files, c.Severity }).AsEnumerable().ToLookup(c => c.Key);
            var result = new List<(Conflict, string, bool)>();
            foreach (var (key, o) in keyed.Where(k => !settled[k.Key]
                .Any(s => s.Severity >= k.Observation.Severity && k.Observation.Files.All(s.Files.Contains))))
            {
                if (open.TryGetValue(key, out var known))
                {
                    var before = known.Severity;
                    if (known.Update(o.Severity, o.Files, o.Detail, now))
                    {
                        result.Add((known, "updated", o.Severity > before));
                    }
                }
                else
                {
                    var conflict = Conflict.Detect(o.ProjectId, o.Kind, o.First, o.Second, o.Severity, o.Files, o.Detail, now);
                    db.Conflicts.Add(conflict);
                    open[conflict.Key] = conflict;
                    result.Add((conflict, "detected", true));
                }
            }

            db.SaveChanges();
            return result;
        }), cancellationToken);

        var names = changes.Count == 0 ? [] : await ProjectNamesAsync(cancellationToken);
        foreach (var (conflict, change, worse) in changes)
        {
            var snapshot = Snapshot(conflict, names);
            events.Publish(new ConflictChanged(change, snapshot, time.GetUtcNow()));
            if (worse)
            {
                await WarnAsync(snapshot, cancellationToken);
            }
        }

        return (changes.Count(c => c.Change == "detected"), changes.Count(c => c.Change == "updated"));
    }

    public async Task<IReadOnlyList<ConflictSnapshot>> ListAsync(string? state, string? projectName, int? limit, CancellationToken cancellationToken)
    {
        var wanted = state is null or "" or "all" ? (ConflictState?)null
            : Inputs.Enum<ConflictState>(state, "state", "open, resolved, dismissed or all");
        if (limit is < 1 or > MaxListed)
        {
            throw new DomainException($"'limit' must be between 1 and {MaxListed}.");
        }

        var project = projectName is null ? null : await projects.ResolveAsync(projectName, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conflicts.AsNoTracking();
        query = wanted is { } s ? query.Where(c => c.State == s) : query;
        query = project is not null ? query.Where(c => c.ProjectId == project.Id) : query;
        var rows = await query.OrderByDescending(c => c.DetectedAt).Take(limit ?? 100).ToListAsync(cancellationToken);
        var names = await ProjectNamesAsync(cancellationToken);
        return [.. rows.Select(c => Snapshot(c, names))];
    }

    public async Task<ConflictSnapshot> GetAsync(string? conflictId, CancellationToken cancellationToken)
    {
        var id = ConflictIds.Parse(conflictId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var conflict = await db.Conflicts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new EntityNotFoundException("Conflict", id.ToString());
        return await SnapshotAsync(conflict, cancellationToken);
    }

    /// <summary>How many open conflicts there are now (the dashboard's badge).</summary>
    public async Task<int> CountOpenAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Conflicts.CountAsync(c => c.State == ConflictState.Open, cancellationToken);
    }

    private async Task<List<ScanTarget>> TargetsAsync(CancellationToken cancellationToken)
    {
        var inWorktrees = workers.Running.Where(r => r.Worktree is not null).ToList();
        var shared = SharedRuns();
        if (inWorktrees.Count + shared.Count == 0)
        {
            return [];
        }

        var taskIds = inWorktrees.Concat(shared.Select(s => s.Run)).Select(r => r.TaskId).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var titles = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Title, cancellationToken);
        ConflictSide Side(WorkerRun r) =>
            new(r.AgentId, presence.NameOf(r.AgentId) ?? $"worker {r.WorkerId:N}"[..15], r.TaskId, titles.GetValueOrDefault(r.TaskId), r.Worktree?.Branch);
        return
        [
            .. inWorktrees.Select(r => new ScanTarget(Side(r), r.ProjectId, r.Worktree!.ProjectDirectory, r.Worktree.Path, r.Worktree.BaseCommit)),
            .. shared.Select(s => new ScanTarget(Side(s.Run), s.Run.ProjectId, s.Run.WorkingDirectory, s.Run.WorkingDirectory, s.Baseline.Head, s.Baseline.Files)),
        ];
    }

    /// <summary>A change to files another agent holds exclusively, by an agent that holds no reservation on them.</summary>
    private async Task<List<Observation>> ViolationsAsync(List<(ScanTarget Target, WorktreeDiff Diff)> scanned, CancellationToken cancellationToken)
    {
        var found = new List<Observation>();
        // Changes in a checkout two workers share cannot be put down to either of them.
        var sharedDirectories = scanned.GroupBy(s => s.Target.Directory).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        foreach (var (target, diff) in scanned.Where(s => !sharedDirectories.Contains(s.Target.Directory)))
        {
            var broken = await reservations.ViolatedByAsync(target.ProjectId, target.Side.AgentId, diff.Files.Keys, cancellationToken);
            foreach (var holder in broken.GroupBy(b => b.HeldBy.AgentId))
            {
                var claim = holder.First().HeldBy;
                var side = new ConflictSide(claim.AgentId, presence.NameOf(claim.AgentId) ?? "an agent", claim.TaskId, null, null);
                var files = holder.Select(h => h.Path).Distinct(StringComparer.Ordinal).ToList();
                found.Add(new Observation(target.ProjectId, ConflictKind.Violation, side, target.Side, ConflictSeverity.Medium, files,
                    $"{target.Side.AgentName} changed {string.Join(", ", files)} without a reservation, while {side.AgentName} holds "
                    + $"{string.Join(", ", holder.Select(h => h.HeldBy.Path).Distinct())} exclusively ({claim.Reason ?? "no reason given"}, until {claim.ExpiresAt:u})."));
            }
        }

        return found;
    }

    private async Task WarnAsync(ConflictSnapshot conflict, CancellationToken cancellationToken)
    {
        var subject = $"Conflict ({conflict.Severity.ToString().ToLowerInvariant()}): {Inputs.Shorten(string.Join(", ", conflict.Files), 150)}";
        foreach (var (me, other) in new[] { (conflict.First, conflict.Second), (conflict.Second, conflict.First) })
        {
            var body = conflict.Kind == ConflictKind.Violation && me == conflict.Second
                ? $"You changed files {other.AgentName} holds exclusively. Stop editing them, reserve what you need with reserve_files, or ask {other.AgentName}.\n\n{conflict.Detail}"
                : $"{other.AgentName}{(other.TaskTitle is { } t ? $" (task '{t}')" : "")} is changing the same files. Coordinate before you go on: send_message to {other.AgentName}, narrow your change, or wait. Conflict {conflict.Id}.\n\n{conflict.Detail}";
            await messages.NotifyAsync(me.AgentName, subject, Inputs.Shorten(body, Message.MaxBodyChars - 10),
                conflict.Severity == ConflictSeverity.High ? MessageImportance.High : MessageImportance.Normal, cancellationToken);
        }
    }

    private async Task<ConflictSnapshot> SnapshotAsync(Conflict conflict, CancellationToken cancellationToken) =>
        Snapshot(conflict, await ProjectNamesAsync(cancellationToken));

    private static ConflictSnapshot Snapshot(Conflict conflict, Dictionary<Guid, string> projectNames) =>
        ConflictSnapshot.From(conflict, conflict.ProjectId is { } id ? projectNames.GetValueOrDefault(id) : null);

    private async Task<Dictionary<Guid, string>> ProjectNamesAsync(CancellationToken cancellationToken) =>
        (await projects.ListAsync(cancellationToken)).ToDictionary(p => p.Id, p => p.Name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conflict scan of {Worktrees} worktree(s): {Detected} new, {Updated} updated in {Milliseconds:0} ms")]
    private static partial void LogScanned(ILogger logger, int worktrees, int detected, int updated, double milliseconds);
}

/// <summary>Reads a conflict id as callers write it, refusing anything else with a message naming the parameter.</summary>
public static class ConflictIds
{
    public static Guid Parse(string? value) => Inputs.Id(value, "conflictId", "a conflict id", "a conflict's id as list_conflicts returns it");
}
