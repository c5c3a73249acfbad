using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Projects;

namespace VibeEnsemble.Infrastructure.Conflicts;

/// <summary>
/// File reservations (advisory leases) and the check an agent makes before it edits: who holds what in a project,
/// exclusive or shared, until when. Reserving what another agent holds in a way that excludes it does not fail
/// silently: nothing is reserved and every overlap is listed. MCP tools and <c>vibe/conflict/*</c> share it.
/// </summary>
public sealed class ReservationService(
    IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, ProjectService projects, PresenceRegistry presence,
    Events.CoordinationEventBus events, TimeProvider time)
{
    public const int DefaultTimeToLiveSeconds = 3_600;

    public async Task<ReservationResult> ReserveAsync(ReserveFilesRequest request, AgentSnapshot agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var paths = ReservationInputs.Paths(request.Paths);
        var project = await projects.ResolveAsync(request.Project, cancellationToken);
        var normalized = paths.Select(p => ReservationPaths.Normalize(p, project?.WorkingDirectory)).Distinct(StringComparer.Ordinal).ToList();
        Guid? taskId = string.IsNullOrWhiteSpace(request.TaskId) ? null : Tasks.TaskIds.Parse(request.TaskId);
        var ttl = TimeSpan.FromSeconds(request.TtlSeconds ?? DefaultTimeToLiveSeconds);
        var now = time.GetUtcNow();
        var wanted = normalized.Select(p => FileClaim.Reserve(agent.Id, taskId, project?.Id, p, request.Exclusive ?? true, request.Reason, ttl, now)).ToList();
        var (granted, overlaps, made) = await writer.ExecuteAsync(new WriteCommand<(bool, List<(string, FileClaim)>, List<FileClaim>)>(context =>
        {
            var db = context.Db;
            var at = time.GetUtcNow();
            var held = Active(db, project?.Id, at).ToList();
            var found = wanted.SelectMany(w => held.Where(h => h.Excludes(w) && ReservationPaths.Overlap(w.Path, h.Path)).Select(h => (w.Path, h))).ToList();
            if (found.Count > 0)
            {
                return (false, found, []);
            }

            // Reserving again what one already holds the same way renews it rather than stacking a second lease.
            var result = new List<FileClaim>(wanted.Count);
            foreach (var w in wanted)
            {
                if (held.Find(h => h.AgentId == agent.Id && h.Path == w.Path && h.Exclusive == w.Exclusive) is { } own)
                {
                    own.Renew(ttl, at);
                    result.Add(own);
                }
                else
                {
                    db.FileClaims.Add(w);
                    result.Add(w);
                }
            }

            db.SaveChanges();
            return (true, found, result);
        }), cancellationToken);
        var projectName = project?.Name;
        if (granted)
        {
            Announce("reserved", agent.Id, made, projectName);
        }

        return granted
            ? new ReservationResult(true, [.. made.Select(w => Snapshot(w, projectName))], [], null)
            : new ReservationResult(false, [], [.. overlaps.Select(o => new ReservationOverlap(o.Item1, Snapshot(o.Item2, projectName)))],
                "Nothing was reserved. Wait for these to be released or to expire, narrow your paths, or ask the holder with send_message.");
    }

    /// <summary>Releases the caller's reservations with these ids or paths, or all of them when neither is given.</summary>
    public async Task<int> ReleaseAsync(AgentSnapshot agent, IReadOnlyList<string>? ids, IReadOnlyList<string>? paths, string? projectName, CancellationToken cancellationToken)
    {
        var idSet = (ids ?? []).Take(ReservationInputs.MaxPaths + 1).Select(id => ReservationInputs.ParseId(id, "reservationIds")).ToHashSet();
        var project = paths is { Count: > 0 } ? await projects.ResolveAsync(projectName, cancellationToken) : null;
        var pathSet = (paths ?? []).Take(ReservationInputs.MaxPaths + 1).Select(p => ReservationPaths.Normalize(p, project?.WorkingDirectory)).ToHashSet(StringComparer.Ordinal);
        var released = await writer.ExecuteAsync(new WriteCommand<List<FileClaim>>(context =>
        {
            var now = time.GetUtcNow();
            var mine = context.Db.FileClaims.Where(c => c.AgentId == agent.Id && c.ReleasedAt == null).AsEnumerable()
                .Where(c => c.IsActive(now) && ((idSet.Count == 0 && pathSet.Count == 0) || idSet.Contains(c.Id) || pathSet.Contains(c.Path))).ToList();
            mine.ForEach(c => c.Release(now));
            context.Db.SaveChanges();
            return mine;
        }), cancellationToken);
        Announce("released", agent.Id, released, null);
        return released.Count;
    }

    /// <summary>Releases every reservation <paramref name="agentId"/> holds (a spawned worker's, when it exits).</summary>
    public async Task<int> ReleaseAllOfAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var released = await writer.ExecuteAsync(new WriteCommand<List<FileClaim>>(context =>
        {
            var now = time.GetUtcNow();
            var held = context.Db.FileClaims.Where(c => c.AgentId == agentId && c.ReleasedAt == null).AsEnumerable().Where(c => c.IsActive(now)).ToList();
            held.ForEach(c => c.Release(now));
            context.Db.SaveChanges();
            return held;
        }), cancellationToken);
        Announce("released", agentId, released, null);
        return released.Count;
    }

    /// <summary>A person releases any agent's reservation (from the dashboard); false when it was no longer active.</summary>
    public async Task<bool> ReleaseAnyAsync(Guid reservationId, CancellationToken cancellationToken)
    {
        var released = await writer.ExecuteAsync(new WriteCommand<FileClaim?>(context =>
        {
            var now = time.GetUtcNow();
            var claim = context.Db.FileClaims.SingleOrDefault(c => c.Id == reservationId)
                ?? throw new EntityNotFoundException("Reservation", reservationId.ToString());
            if (!claim.IsActive(now))
            {
                return null;
            }

            claim.Release(now);
            context.Db.SaveChanges();
            return claim;
        }), cancellationToken);
        if (released is not null)
        {
            Announce("released", released.AgentId, [released], null);
        }

        return released is not null;
    }

    public async Task<ReservationSnapshot> RenewAsync(AgentSnapshot agent, Guid reservationId, int? ttlSeconds, CancellationToken cancellationToken)
    {
        var claim = await writer.ExecuteAsync(new WriteCommand<FileClaim>(context =>
        {
            var claim = context.Db.FileClaims.SingleOrDefault(c => c.Id == reservationId && c.AgentId == agent.Id)
                ?? throw new EntityNotFoundException("Reservation of yours", reservationId.ToString());
            claim.Renew(TimeSpan.FromSeconds(ttlSeconds ?? DefaultTimeToLiveSeconds), time.GetUtcNow());
            context.Db.SaveChanges();
            return claim;
        }), cancellationToken);
        var snapshot = Snapshot(claim, await ProjectNameAsync(claim.ProjectId, cancellationToken));
        ForgetCached();
        events.Publish(new ReservationsChanged("renewed", agent.Id, [snapshot], time.GetUtcNow()));
        return snapshot;
    }

    /// <summary>Active reservations, in a project (or all), optionally one agent's, oldest first.</summary>
    public async Task<IReadOnlyList<ReservationSnapshot>> ListAsync(string? projectName, string? agentName, CancellationToken cancellationToken)
    {
        var project = string.IsNullOrWhiteSpace(projectName) ? null : await projects.ResolveAsync(projectName, cancellationToken);
        var agentId = string.IsNullOrWhiteSpace(agentName) ? (Guid?)null
            : (presence.Find(Domain.Agents.Agent.NormalizeName(agentName)) ?? throw new EntityNotFoundException("Agent", Inputs.Shorten(agentName, 100))).Id;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var query = db.FileClaims.AsNoTracking().Where(c => c.ReleasedAt == null);
        query = project is null ? query : query.Where(c => c.ProjectId == project.Id);
        query = agentId is null ? query : query.Where(c => c.AgentId == agentId);
        var names = (await projects.ListAsync(cancellationToken)).ToDictionary(p => p.Id, p => p.Name);
        return [.. (await query.ToListAsync(cancellationToken)).Where(c => c.IsActive(now)).OrderBy(c => c.ClaimedAt).Take(1_000)
            .Select(c => Snapshot(c, c.ProjectId is { } id ? names.GetValueOrDefault(id) : null))];
    }

    /// <summary>Other agents' active reservations in the way of the paths the caller is about to touch.</summary>
    public async Task<IReadOnlyList<ReservationOverlap>> CheckAsync(AgentSnapshot? agent, IReadOnlyList<string>? paths, string? projectName, CancellationToken cancellationToken)
    {
        var project = await projects.ResolveAsync(projectName, cancellationToken);
        var normalized = ReservationInputs.Paths(paths).Select(p => ReservationPaths.Normalize(p, project?.WorkingDirectory)).Distinct(StringComparer.Ordinal).ToList();
        var now = time.GetUtcNow();
        var index = await ActiveCachedAsync(project?.Id, cancellationToken);
        return [.. normalized.SelectMany(p => index.Candidates(p)
            .Where(h => h.AgentId != agent?.Id && h.IsActive(now) && ReservationPaths.Overlap(p, h.Path))
            .Select(h => new ReservationOverlap(p, Snapshot(h, project?.Name))))];
    }

    /// <summary>
    /// Others' exclusive reservations that changes to <paramref name="paths"/> by <paramref name="agentId"/> break: the
    /// paths it changed without holding them itself (the conflict scan's violations).
    /// </summary>
    internal async Task<List<(string Path, FileClaim HeldBy)>> ViolatedByAsync(
        Guid? projectId, Guid agentId, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = (await ActiveCachedAsync(projectId, cancellationToken)).Claims.Where(c => c.IsActive(now)).ToList();
        var own = active.Where(c => c.AgentId == agentId).ToList();
        var others = active.Where(c => c.AgentId != agentId && c.Exclusive).ToList();
        return [.. paths.Where(p => !own.Any(o => ReservationPaths.Overlap(p, o.Path)))
            .SelectMany(p => others.Where(h => ReservationPaths.Overlap(p, h.Path)).Select(h => (p, h)))];
    }

    // Checks are frequent (an agent asks before each edit) and reservations change rarely: the active ones of a project
    // are kept in memory, read again after a change made here or after CheckCacheFor (other processes on the same file).
    private static readonly TimeSpan CheckCacheFor = TimeSpan.FromSeconds(2);
    private readonly Dictionary<Guid, (ReservationIndex Index, long At)> _activeCache = [];
    private readonly Lock _cacheGate = new();

    private async Task<ReservationIndex> ActiveCachedAsync(Guid? projectId, CancellationToken cancellationToken)
    {
        var key = projectId ?? Guid.Empty;
        lock (_cacheGate)
        {
            if (_activeCache.TryGetValue(key, out var cached) && time.GetElapsedTime(cached.At) < CheckCacheFor)
            {
                return cached.Index;
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var index = new ReservationIndex(Active(db.FileClaims.AsNoTracking(), projectId, time.GetUtcNow()).ToList());
        lock (_cacheGate)
        {
            _activeCache[key] = (index, time.GetTimestamp());
        }

        return index;
    }

    private void ForgetCached()
    {
        lock (_cacheGate)
        {
            _activeCache.Clear();
        }
    }

    private void Announce(string change, Guid agentId, IReadOnlyList<FileClaim> claims, string? projectName)
    {
        ForgetCached();
        if (claims.Count > 0)
        {
            events.Publish(new ReservationsChanged(change, agentId, [.. claims.Select(c => Snapshot(c, projectName))], time.GetUtcNow()));
        }
    }

    private static IEnumerable<FileClaim> Active(VibeEnsembleDbContext db, Guid? projectId, DateTimeOffset now) => Active(db.FileClaims, projectId, now);

    private static IEnumerable<FileClaim> Active(IQueryable<FileClaim> claims, Guid? projectId, DateTimeOffset now) =>
        claims.Where(c => c.ReleasedAt == null && c.ExpiresAt > now && c.ProjectId == projectId);

    private async Task<string?> ProjectNameAsync(Guid? projectId, CancellationToken cancellationToken) =>
        projectId is { } id ? (await projects.ListAsync(cancellationToken)).FirstOrDefault(p => p.Id == id)?.Name : null;

    private ReservationSnapshot Snapshot(FileClaim c, string? project) =>
        new(c.Id, presence.NameOf(c.AgentId) ?? "an agent", c.Path, c.Exclusive, c.Reason, c.TaskId, project, c.ClaimedAt, c.ExpiresAt);
}

/// <summary>A small change on the writer, through its EF Core context.</summary>
internal sealed class WriteCommand<T>(Func<WriteContext, T> run) : IWriteCommand<T>
{
    public T Execute(WriteContext context) => run(context);
}
